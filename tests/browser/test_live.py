"""Live updates in Chromium: two people on the same article, each in a
browser context of their own. What one marks, submits or comments shows on
the other's page without a reload, and without touching what the other is
typing or selecting."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Claim
from tests.browser.helpers import drag_select
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "moderate cleric was elected president there"
NEW_QUOTE = "criticized Putin for supporting Syria's Bashar Assad"
TYPED = "Half-written: check the 2013 turnout figures"
# Polls run every 3 s; the waits below allow several.
WAIT = 15_000

# Counts the polls the reader has started (htmx:confirm precedes each),
# so a test can wait until one has run rather than for a time.
COUNT_POLLS = """() => {
  window.livePolls = 0;
  document.addEventListener("htmx:confirm", (event) => {
    if (event.detail.elt.id === "reader") window.livePolls += 1;
  });
}"""


def mark_at(page: Page, claim_id: int):
    return page.locator(f'#article-body mark[data-claims~="{claim_id}"]').first


def listed_status(page: Page, claim_id: int):
    return page.locator(f'#claim-list a[data-claim-id="{claim_id}"] .status-badge')


def comment_box(page: Page):
    return page.get_by_role("form", name="Add a comment").get_by_role("textbox")


@pytest.fixture
def two_people(page: Page, browser, login, base_url, demo_users, seed_article):
    """The editor's page on a claim ready for review, and the reviewer's on
    the same article; script errors on either page fail the test."""
    editor, _ = demo_users
    claim = ready_for_review(workflow.mark(seed_article, by=editor, quote=QUOTE), by=editor)
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    other = context.new_page()
    for each in (page, other):
        each.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 1360, "height": 900})
    login(page, "editor")
    page.goto(f"{base_url}{claim.get_absolute_url()}")
    page.evaluate(COUNT_POLLS)
    login(other, "reviewer")
    other.goto(f"{base_url}{seed_article.get_absolute_url()}")
    yield page, other, claim
    context.close()
    assert problems == []


def test_a_new_mark_and_a_status_change_appear_while_the_other_person_types(two_people):
    page, other, claim = two_people
    # The editor starts a comment on the open claim and leaves it unsent.
    comment_box(page).click()
    comment_box(page).fill(TYPED)

    # The reviewer marks a new claim and submits the editor's claim.
    drag_select(other, NEW_QUOTE)
    other.get_by_role("button", name="Mark claim").click()
    expect(other.locator("#claim-panel")).to_contain_text(NEW_QUOTE)
    new = Claim.objects.exclude(pk=claim.pk).get()
    other.locator(f'#claim-list a[data-claim-id="{claim.pk}"]').click()
    expect(other.locator("#claim-panel")).to_have_attribute("data-claim-id", str(claim.pk))
    other.get_by_role("button", name="Submit for review").click()
    expect(listed_status(other, claim.pk)).to_have_text("In review")

    # The editor sees both without reloading ...
    expect(mark_at(page, new.pk)).to_be_visible(timeout=WAIT)
    expect(listed_status(page, claim.pk)).to_have_text("In review", timeout=WAIT)
    expect(mark_at(page, claim.pk)).to_have_class(re.compile(r"\bstatus-in_review\b"))
    # ... with the typed comment untouched, and the panel offering a reload
    # rather than replacing itself under the person's hands.
    expect(comment_box(page)).to_have_value(TYPED)
    expect(comment_box(page)).to_be_focused()
    notice = page.locator("#claim-panel .live-notice")
    expect(notice).to_contain_text("This claim was changed by someone else.", timeout=WAIT)
    expect(page.locator("#claim-panel h2 .status-badge")).to_have_text("Draft")

    # Reloading shows the new status and still keeps the comment.
    notice.get_by_role("button", name="Reload panel").click()
    expect(page.locator("#claim-panel h2 .status-badge")).to_have_text("In review")
    expect(notice).to_have_count(0)
    expect(comment_box(page)).to_have_value(TYPED)


def test_an_open_panel_with_nothing_typed_shows_a_new_comment_by_itself(two_people, demo_users):
    page, _other, claim = two_people
    _, reviewer = demo_users
    history = page.locator("#claim-panel .review-history")
    expect(history).to_be_visible()
    workflow.comment(claim, by=reviewer, text="Seen this?")
    expect(history).to_contain_text("Seen this?", timeout=WAIT)
    expect(page.locator("#claim-panel .live-notice")).to_have_count(0)


def test_a_text_selection_in_progress_is_kept_until_it_ends(two_people, demo_users):
    page, _other, claim = two_people
    _, reviewer = demo_users
    drag_select(page, NEW_QUOTE)
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    selected = page.evaluate("() => document.getSelection().toString()")
    assert NEW_QUOTE in selected
    new = workflow.mark(claim.article, by=reviewer, quote="held a tense meeting on Monday")
    # Two polls after the change, the selection and its button are still there.
    polls = page.evaluate("() => window.livePolls")
    page.wait_for_function("n => window.livePolls >= n + 2", arg=polls, timeout=WAIT)
    assert page.evaluate("() => document.getSelection().toString()") == selected
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    expect(mark_at(page, new.pk)).to_have_count(0)
    # Once the selection is let go, the new mark arrives.
    page.evaluate("() => document.getSelection().removeAllRanges()")
    expect(mark_at(page, new.pk)).to_be_visible(timeout=WAIT)


def test_the_dashboard_shows_a_claim_submitted_by_someone_else(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    login(page, "reviewer")
    page.goto(f"{base_url}/dashboard/")
    expect(page.locator("#desk-live")).to_be_attached()
    claim = ready_for_review(workflow.mark(seed_article, by=editor, quote=QUOTE), by=editor)
    workflow.submit(claim, by=editor, version=claim.version)
    expect(page.locator(f'#queues a[data-claim-id="{claim.pk}"]').first).to_be_visible(timeout=WAIT)
