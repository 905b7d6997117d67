"""Desk coordination in a real Chromium: an editor assigns a claim to the
reviewer in the claim panel and the reviewer finds it in "Assigned to me"
with its age, and in the inbox; a bulk submit of three drafts, one without evidence, submits
two and says why not the third."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from annotations import workflow
from annotations.models import Claim
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)

QUOTES = (
    "moderate cleric was elected president there",
    "expressed cautious optimism",
    "held a tense meeting on Monday",
)


def assign_to_reviewer_and_open_their_dashboard(
    page: Page, browser: Browser, login, base_url: str, claim: Claim
) -> Page:
    """The editor (logged in on ``page``) assigns ``claim`` to the reviewer
    in the claim panel; the reviewer logs in in a second browser context and
    opens the dashboard. Returns the reviewer's page (its context closes
    with the test), for the checks that follow an assignment."""
    page.goto(f"{base_url}{claim.get_absolute_url()}")
    assignment = page.get_by_role("form", name="Assignment")
    assignment.get_by_label("Assignee", exact=True).select_option(label="reviewer")
    assignment.get_by_label("Priority", exact=True).select_option(label="Urgent")
    assignment.get_by_role("button", name="Save assignment").click()
    expect(page.locator("#claim-panel .desk-marks")).to_contain_text("assigned to reviewer")
    expect(page.locator(".review-history")).to_contain_text("Assignment changed")

    context = browser.new_context(viewport={"width": 1360, "height": 900})
    other = context.new_page()
    login(other, "reviewer")
    other.goto(f"{base_url}/dashboard/")
    return other


def test_an_assigned_claim_shows_in_the_reviewers_assigned_to_me_with_its_age(
    page: Page, browser: Browser, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTES[0])
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})

    reviewer_page = assign_to_reviewer_and_open_their_dashboard(
        page, browser, login, base_url, claim
    )
    try:
        queue = reviewer_page.get_by_role("region", name="Assigned to me")
        expect(queue.get_by_role("link", name=str(claim))).to_be_visible()
        expect(queue).to_contain_text("waiting under a minute")
        expect(queue).to_contain_text("Urgent")
        expect(reviewer_page.locator('[data-queue="assigned"]')).to_have_text("1")
        # The assignment also reached the reviewer's inbox, linked to the claim.
        inbox = reviewer_page.get_by_role("link", name=re.compile(r"^Inbox"))
        expect(inbox).to_have_text("Inbox 1 unread")
        inbox.click()
        notice = reviewer_page.get_by_role("link", name=re.compile("editor assigned you"))
        expect(notice).to_be_visible()
        notice.click()
        expect(reviewer_page.locator("#claim-panel")).to_contain_text(claim.quote)
    finally:
        reviewer_page.context.close()
    assert Claim.objects.get(pk=claim.pk).assignee.username == "reviewer"


def test_bulk_submit_of_three_drafts_submits_two_and_reports_the_third(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    ready = [
        ready_for_review(workflow.mark(seed_article, by=editor, quote=quote), by=editor)
        for quote in QUOTES[:2]
    ]
    bare = workflow.mark(seed_article, by=editor, quote=QUOTES[2])
    workflow.update(
        bare, by=editor, version=bare.version, rating=factories.rating(), summary="Not so."
    )
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(f"{base_url}/dashboard/")

    drafts = page.get_by_role("region", name="My drafts")
    for claim in (*ready, bare):
        drafts.get_by_role("checkbox", name=f"Select {claim}").check()
    page.locator(".bulk-bar").get_by_role("button", name="Submit for review").click()

    done = page.locator(".bulk-bar").get_by_role("status")
    expect(done).to_contain_text("Submit for review: done for 2 of 3 claims.")
    failed = page.locator(".bulk-bar").get_by_role("alert")
    expect(failed).to_contain_text(str(bare))
    expect(failed).to_contain_text("Before submitting, add at least one evidence source.")
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in ready] == ["in_review", "in_review"]
    assert statuses[bare.pk] == "draft"
    # The list came back with the summary: only the draft without evidence is left.
    expect(page.locator('[data-queue="drafts"]')).to_have_text("1")


def test_the_queues_do_not_refresh_away_a_selection(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTES[0])
    login(page, "editor")
    page.goto(f"{base_url}/dashboard/")
    refreshes = []
    page.on(
        "request",
        lambda request: (
            refreshes.append(request.url)
            if request.method == "GET" and "/dashboard/" in request.url
            else None
        ),
    )
    box = page.get_by_role("region", name="My drafts").get_by_role(
        "checkbox", name=f"Select {claim}"
    )
    box.check()
    signal = "() => document.body.dispatchEvent(new CustomEvent('claimChanged'))"
    page.evaluate(signal)  # held: a claim is ticked
    box.uncheck()
    with page.expect_request(lambda request: "/dashboard/" in request.url):
        page.evaluate(signal)  # nothing ticked: the queues refresh

    assert len(refreshes) == 1
