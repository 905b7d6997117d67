"""The four-eyes workflow in a real Chromium: the demo editor marks a claim
in the seed article, gives it a verdict, a summary and a source, submits it,
and cannot approve it; the demo reviewer, in a second browser context,
approves it; it shows as published; a retraction shows its note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Claim
from tests.browser.helpers import drag_select

pytestmark = pytest.mark.django_db(transaction=True)


QUOTE = "moderate cleric was elected president there"


def status_of(page: Page):
    return page.locator("#claim-review .review-actions .status .status-badge")


def test_a_claim_goes_from_marked_to_published_only_through_a_second_person(
    page: Page, browser, login, base_url, demo_users, seed_article
):
    # The editor marks the claim by selecting its text.
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(f"{base_url}{seed_article.get_absolute_url()}")
    drag_select(page, QUOTE)
    page.get_by_role("button", name="Mark claim").click()
    panel = page.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim-id", re.compile(r"\d+"))
    claim = Claim.objects.get()
    assert claim.quote == QUOTE

    # Verdict and summary.
    verdict = page.get_by_role("form", name="Verdict")
    verdict.get_by_label("Verdict", exact=True).select_option(label="False")
    verdict.get_by_label("Summary", exact=True).fill("Rouhani won, but he is no moderate cleric.")
    verdict.get_by_label("Rationale", exact=True).fill("See the *sources*.")
    verdict.get_by_role("button", name="Save verdict").click()
    expect(page.locator(".review-history")).to_contain_text("Edited")

    # One evidence source.
    source = page.get_by_role("form", name="Add evidence")
    source.get_by_label("Source URL", exact=True).fill("https://www.example.org/iran-election")
    source.get_by_label("Source title", exact=True).fill("Iran election results")
    source.get_by_label("Publisher", exact=True).fill("Example Wire")
    source.get_by_label("Excerpt", exact=True).fill("Hassan Rouhani won 50.7% of the vote.")
    source.get_by_role("button", name="Add source").click()
    expect(page.get_by_role("link", name="Iran election results")).to_be_visible()

    page.get_by_role("button", name="Submit for review").click()
    expect(status_of(page)).to_have_text("In review")
    claim.refresh_from_db()
    assert (claim.status, claim.rating.label, claim.evidence.count()) == ("in_review", "False", 1)

    # The same editor cannot approve: the button says why, and the server refuses too.
    approve = page.get_by_role("button", name="Approve and publish")
    expect(approve).to_be_disabled()
    expect(page.locator("#claim-review")).to_contain_text(
        "Only a reviewer can approve and publish."
    )
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{base_url}/claims/{claim.pk}/transitions/approve/",
        form={"version": str(claim.version)},
        headers={"X-CSRFToken": csrf, "HX-Request": "true"},
    )
    assert refused.status == 403
    assert "Only a reviewer" in refused.text()
    claim.refresh_from_db()
    assert claim.status == "in_review"

    # The reviewer, in a browser context of their own, approves it.
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    try:
        other = context.new_page()
        login(other, "reviewer")
        other.goto(f"{base_url}{claim.get_absolute_url()}")
        # Publishing asks first.
        other.once("dialog", lambda dialog: dialog.accept())
        other.get_by_role("button", name="Approve and publish").click()
        expect(status_of(other)).to_have_text("Published")
        expect(other.locator(".review-verdict .rating")).to_have_text("False")
        expect(other.locator(".review-verdict .summary")).to_have_text(
            "Rouhani won, but he is no moderate cleric."
        )
        expect(other.locator(".review-history")).to_contain_text(
            "Approved and published by reviewer"
        )
        claim.refresh_from_db()
        assert claim.status == "published" and claim.reviewed_by.username == "reviewer"

        # The editor's page learns of it on reload, with the verdict shown.
        page.reload()
        expect(status_of(page)).to_have_text("Published")
        expect(page.locator(".review-verdict .rating")).to_have_text("False")

        # A retraction needs a note, and shows it.
        other.get_by_label("Public retraction note (required)").fill(
            "The results we cited were preliminary."
        )
        other.once("dialog", lambda dialog: dialog.accept())
        other.get_by_role("button", name="Retract").click()
        expect(status_of(other)).to_have_text("Retracted")
        note = other.get_by_role("note", name="Retraction note")
        expect(note).to_contain_text("The results we cited were preliminary.")
    finally:
        context.close()
    claim.refresh_from_db()
    assert claim.status == "retracted"
    assert claim.retraction_note == "The results we cited were preliminary."
    assert list(claim.events.values_list("action", flat=True)) == [
        "created",
        "edited",
        "evidence_added",
        "submitted",
        "approved",
        "retracted",
    ]


def test_a_stale_verdict_is_refused_in_the_browser_and_reapplied(
    page: Page, browser, login, base_url, demo_users, seed_article
):
    from annotations import workflow

    editor, reviewer = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    login(page, "editor")
    page.goto(f"{base_url}{claim.get_absolute_url()}")
    # Somebody else saves a summary meanwhile.
    workflow.update(claim, by=reviewer, version=claim.version, summary="The reviewer's summary")

    verdict = page.get_by_role("form", name="Verdict")
    verdict.get_by_label("Summary", exact=True).fill("The editor's summary")
    verdict.get_by_role("button", name="Save verdict").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("changed by reviewer")
    expect(conflict).to_contain_text("The reviewer's summary")
    verdict = page.get_by_role("form", name="Verdict")
    expect(verdict.get_by_label("Summary", exact=True)).to_have_value("The editor's summary")
    assert Claim.objects.get(pk=claim.pk).summary == "The reviewer's summary"

    verdict.get_by_role("button", name="Save verdict").click()
    expect(page.locator(".conflict")).to_have_count(0)
    expect(page.locator(".review-history")).to_contain_text("The editor's summary")
    assert Claim.objects.get(pk=claim.pk).summary == "The editor's summary"


def test_dashboard_counts_update_in_place_after_an_action(
    page: Page, login, base_url, demo_users, seed_article
):
    from annotations import workflow
    from tests.conftest import ready_for_review

    editor, _ = demo_users
    claim = ready_for_review(workflow.mark(seed_article, by=editor, quote=QUOTE), by=editor)
    workflow.submit(claim, by=editor, version=claim.version)

    login(page, "reviewer")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.evaluate("() => { window.notReloaded = true; }")
    review_count = page.locator('[data-queue="review"]')
    published_count = page.locator('[data-queue="published"]')
    expect(review_count).to_have_text("1")
    expect(published_count).to_have_text("0")

    page.locator(".queue-review").get_by_role("link", name=str(claim)).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve and publish").click()
    expect(review_count).to_have_text("0")
    expect(published_count).to_have_text("1")
    expect(page.locator(".queue-published")).to_contain_text(str(claim))
    assert page.evaluate("() => window.notReloaded") is True
