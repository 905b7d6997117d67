"""Search and similar claims in a real Chromium: type a query, filter, save
the search and open it from the sidebar; mark a claim that an earlier
fact-check already covered, see it in the panel, link it, start from it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Claim, ClaimRelation
from tests import factories
from tests.browser.test_workspace import drag_select

pytestmark = pytest.mark.django_db(transaction=True)

EARLIER = "A no-fly zone over Ukraine is not on NATO's agenda."
NEW = "NATO is not considering a no-fly zone over Ukraine."


def mark(page: Page, article) -> Claim:
    page.get_by_role("button", name="Mark claim").click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", re.compile(r"\d+"))
    return article.claims.get()


@pytest.fixture
def earlier(demo_users) -> Claim:
    editor, reviewer = demo_users
    article = factories.ArticleFactory(title="Summit report", body=EARLIER)
    return factories.published_claim(article, EARLIER, editor=editor, reviewer=reviewer)


@pytest.fixture
def editor_page(page: Page, login, demo_users):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    yield page
    expected = ("status of 422", "status of 409")
    assert [p for p in problems if not any(e in p for e in expected)] == []


def test_search_filter_save_and_reopen_from_the_sidebar(editor_page, earlier, demo_users):
    editor, _ = demo_users
    workflow.mark(
        factories.ArticleFactory(body="NATO spends 2 percent of GDP on defence."),
        by=editor,
        quote="NATO spends 2 percent of GDP on defence.",
    )
    page = editor_page
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search claims").fill("NATO")
    expect(page.get_by_role("status").filter(has_text="matching")).to_have_text(
        "2 claims matching “NATO”"
    )
    expect(page).to_have_url(re.compile(r"q=NATO"))
    expect(page.locator("#search-results mark").first).to_have_text("NATO")

    page.get_by_role("checkbox", name="Published").check()
    expect(page.get_by_role("status").filter(has_text="matching")).to_have_text(
        "1 claim matching “NATO”"
    )
    expect(page).to_have_url(re.compile(r"status=published"))

    page.get_by_label("Name this search").fill("NATO, published")
    page.get_by_role("button", name="Save search").click()
    sidebar = page.locator("#search-sidebar")
    expect(sidebar.get_by_role("link", name="NATO, published")).to_be_visible()

    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="claim")).to_have_text("2 claims")
    page.locator("#search-sidebar").get_by_role("link", name="NATO, published").click()
    expect(page.get_by_role("status").filter(has_text="matching")).to_have_text(
        "1 claim matching “NATO”"
    )
    expect(page.get_by_label("Search claims")).to_have_value("NATO")
    expect(page.get_by_role("checkbox", name="Published")).to_be_checked()
    expect(page.locator("#search-results")).to_contain_text("not on NATO")


def test_marking_a_claim_shows_the_earlier_fact_check_to_link_and_start_from(
    editor_page, earlier, base_url
):
    article = factories.ArticleFactory(title="Minister interview", body=NEW)
    page = editor_page
    page.goto(f"{base_url}{article.get_absolute_url()}")
    drag_select(page, NEW.rstrip("."))
    claim = mark(page, article)

    similar = page.locator("#similar-claims")
    expect(similar.get_by_role("heading", name="Similar earlier fact-checks")).to_be_visible()
    expect(similar).to_contain_text("Likely the same claim")
    expect(similar.get_by_role("link", name=re.compile("not on NATO"))).to_be_visible()

    similar.get_by_role("button", name=f"Same claim as #{earlier.pk}").click()
    expect(similar.get_by_role("status")).to_have_text(f"Linked: same claim as #{earlier.pk}.")
    assert ClaimRelation.objects.filter(claim=claim, other=earlier).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#similar-claims").get_by_role("button", name="Start from this fact-check").click()
    expect(page.locator("#claim-panel")).to_contain_text(earlier.summary)
    claim.refresh_from_db()
    assert claim.rating_id == earlier.rating_id
    assert claim.events.filter(comment=f"Started from fact-check #{earlier.pk}.").exists()


def test_a_one_letter_selection_asks_mark_anyway(editor_page, demo_users, base_url):
    article = factories.ArticleFactory(title="Letters", body="G said the talks went well.")
    page = editor_page
    page.goto(f"{base_url}{article.get_absolute_url()}")
    drag_select(page, "G")
    page.get_by_role("button", name="Mark claim").click()
    expect(page.locator("#mark-status")).to_contain_text("mark anyway?")
    assert not article.claims.exists()
    page.get_by_role("button", name="Mark anyway").click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", re.compile(r"\d+"))
    assert article.claims.get().quote == "G"
