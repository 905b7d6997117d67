"""The desk statistics page in Chromium: charts drawn by the server, named
for screen readers, under the content security policy, passing the scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from tests import factories
from tests.browser.test_accessibility import scan
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)


def test_statistics_page_draws_named_charts_and_passes_the_scan(
    page: Page, base_url, login, demo_users
):
    editor, reviewer = demo_users
    article = factories.ArticleFactory()
    published_claim(
        workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year"),
        editor=editor,
        reviewer=reviewer,
    )
    claim = ready_for_review(
        workflow.mark(article, by=editor, quote="We have never been stronger"), by=editor
    )
    workflow.submit(claim, by=editor, version=claim.version)
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    login(page, "editor")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Statistics").click()

    expect(page.get_by_role("heading", name="Desk statistics", level=1)).to_be_visible()
    expect(
        page.get_by_role("img", name="Marked per week: 2 in all, at most 2 in a week")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Published per week: 1 in all, at most 1 in a week")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Verdicts of the claims published in the period")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Claims per week (weeks start on Monday)")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    assert scan(page) == []
    page.screenshot(path="/tmp/statshot/stats.png", full_page=True)

    page.get_by_label("Last weeks").fill("4")
    page.get_by_label("Last weeks").press("Enter")
    expect(page.locator("#weeks-table tbody tr")).to_have_count(4)
    assert problems == []
