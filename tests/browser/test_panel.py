"""The claim panel as people use it in Chromium: nothing they type is lost
whatever button they press, refusals appear where they look, corrections
finish on a desk of two, and reviewers see the claim in its context."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Claim
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "moderate cleric was elected president there"
LAST_QUOTE = "criticized Putin for supporting Syria's Bashar Assad"
EARLIER_QUOTE = "calls for a no-fly zone showed disrespect for international law"
SCREENS = {"desktop": (1366, 768), "phone": (390, 844)}


def in_viewport(page: Page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def fill_verdict_and_source(page: Page) -> None:
    verdict = page.get_by_role("form", name="Verdict")
    verdict.get_by_label("Verdict", exact=True).select_option(label="False")
    verdict.get_by_label("Summary", exact=True).fill("He is no moderate cleric.")
    verdict.get_by_label("Rationale", exact=True).fill("The sources disagree.")
    source = page.get_by_role("form", name="Add evidence")
    source.get_by_label("Source URL", exact=True).fill("https://www.example.org/iran")
    source.get_by_label("Source title", exact=True).fill("Iran election results")


def assert_all_four_stored(page: Page, claim: Claim) -> None:
    expect(page.get_by_role("link", name="Iran election results")).to_be_visible()
    expect(page.locator(".review-history")).to_contain_text("He is no moderate cleric.")
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.rating.label == "False"
    assert claim.summary == "He is no moderate cleric."
    assert claim.rationale == "The sources disagree."
    assert [e.title for e in claim.evidence.all()] == ["Iran election results"]
    # The form shows the stored values, and nothing is left unsaved.
    verdict = page.get_by_role("form", name="Verdict")
    expect(verdict.get_by_label("Summary", exact=True)).to_have_value("He is no moderate cleric.")
    expect(page.get_by_role("form", name="Add evidence").get_by_label("Source URL")).to_have_value(
        ""
    )


@pytest.fixture
def editor_on_draft(page: Page, login, base_url, demo_users, seed_article):
    editor, _ = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    login(page, "editor")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}{claim.get_absolute_url()}")
    return page, claim


@pytest.mark.parametrize("first", ["Add source", "Save verdict"])
def test_verdict_summary_rationale_and_source_all_survive_either_button_first(
    editor_on_draft, first
):
    page, claim = editor_on_draft
    fill_verdict_and_source(page)
    second = "Save verdict" if first == "Add source" else "Add source"
    # Both presses in one go: the second comes while the first is under way,
    # from a panel about to be replaced.
    page.evaluate(
        """([first, second]) => {
            const buttons = [...document.querySelectorAll("#claim-panel button")];
            for (const label of [first, second]) {
                buttons.find((b) => b.textContent.trim() === label).click();
            }
        }""",
        [first, second],
    )
    assert_all_four_stored(page, claim)


def test_a_refused_submit_in_between_loses_nothing(editor_on_draft):
    page, claim = editor_on_draft
    fill_verdict_and_source(page)
    page.get_by_role("button", name="Submit for review").click()
    alert = page.get_by_role("form", name="Submit for review").get_by_role("alert")
    expect(alert).to_contain_text("Before submitting, add a verdict, a summary")
    verdict = page.get_by_role("form", name="Verdict")
    expect(verdict.get_by_label("Rationale", exact=True)).to_have_value("The sources disagree.")
    page.get_by_role("button", name="Add source").click()
    page.get_by_role("button", name="Save verdict").click()
    assert_all_four_stored(page, claim)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-review .review-actions .status-badge")).to_have_text("In review")


def test_a_stale_save_shows_the_other_change_and_keeps_every_typed_value(
    browser, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    contexts = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(2)]
    try:
        mine, theirs = (context.new_page() for context in contexts)
        login(mine, "editor")
        login(theirs, "reviewer")
        for page in (mine, theirs):
            page.goto(f"{base_url}{claim.get_absolute_url()}")

        theirs.get_by_role("form", name="Verdict").get_by_label("Summary", exact=True).fill(
            "The reviewer's summary"
        )
        theirs.get_by_role("button", name="Save verdict").click()
        expect(theirs.locator(".review-history")).to_contain_text("The reviewer's summary")

        verdict = mine.get_by_role("form", name="Verdict")
        verdict.get_by_label("Summary", exact=True).fill("The editor's summary")
        verdict.get_by_label("Rationale", exact=True).fill("The editor's reasons")
        mine.get_by_label("Claimant", exact=True).fill("Typed, not saved")
        mine.get_by_role("button", name="Save verdict").click()

        conflict = mine.get_by_role("form", name="Verdict").locator(".conflict")
        expect(conflict).to_contain_text("changed by reviewer")
        expect(conflict).to_contain_text("The reviewer's summary")
        expect(conflict).to_have_attribute("role", "alert")
        verdict = mine.get_by_role("form", name="Verdict")
        expect(verdict.get_by_label("Summary", exact=True)).to_have_value("The editor's summary")
        expect(verdict.get_by_label("Rationale", exact=True)).to_have_value("The editor's reasons")
        expect(mine.get_by_label("Claimant", exact=True)).to_have_value("Typed, not saved")
        assert Claim.objects.get(pk=claim.pk).summary == "The reviewer's summary"

        # Another button first: the refused verdict's values are still not lost.
        source = mine.get_by_role("form", name="Add evidence")
        source.get_by_label("Source URL", exact=True).fill("https://www.example.org/iran")
        source.get_by_role("button", name="Add source").click()
        expect(mine.get_by_role("link", name="https://www.example.org/iran")).to_be_visible()
        verdict = mine.get_by_role("form", name="Verdict")
        expect(verdict.get_by_label("Summary", exact=True)).to_have_value("The editor's summary")
        expect(verdict.get_by_label("Rationale", exact=True)).to_have_value("The editor's reasons")

        verdict.get_by_role("button", name="Save verdict").click()
        expect(mine.locator(".review-history")).to_contain_text("The editor's reasons")
        expect(mine.locator(".conflict")).to_have_count(0)
        expect(mine.get_by_label("Claimant", exact=True)).to_have_value("Typed, not saved")
        stored = Claim.objects.get(pk=claim.pk)
        assert (stored.summary, stored.rationale) == (
            "The editor's summary",
            "The editor's reasons",
        )
    finally:
        for context in contexts:
            context.close()


def test_choosing_another_claim_with_unsaved_changes_asks_first(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    first = workflow.mark(seed_article, by=editor, quote=QUOTE)
    workflow.mark(seed_article, by=editor, quote=LAST_QUOTE)
    login(page, "editor")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}{first.get_absolute_url()}")
    page.get_by_role("form", name="Verdict").get_by_label("Summary", exact=True).fill("Unsaved")
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#claim-list a[data-claim-id]").last.click()
    page.wait_for_timeout(300)
    assert asked and "not saved" in asked[0]
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(first.pk))
    summary = page.get_by_role("form", name="Verdict").get_by_label("Summary", exact=True)
    expect(summary).to_have_value("Unsaved")


def test_a_correction_opened_by_the_reviewer_and_edited_by_the_editor_is_approved_by_the_reviewer(
    browser, login, base_url, demo_users, seed_article
):
    editor, reviewer = demo_users
    claim = ready_for_review(workflow.mark(seed_article, by=editor, quote=QUOTE), by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    claim = workflow.approve(claim, by=reviewer, version=claim.version)
    contexts = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(2)]
    try:
        desk_reviewer, desk_editor = (context.new_page() for context in contexts)
        login(desk_reviewer, "reviewer")
        login(desk_editor, "editor")
        desk_reviewer.goto(f"{base_url}{claim.get_absolute_url()}")
        desk_reviewer.get_by_label("What the correction fixes (required)").fill(
            "The figure was 2.1%."
        )
        desk_reviewer.get_by_role("button", name="Start correction").click()
        expect(desk_reviewer.locator(".review-note")).to_contain_text("Working copy correcting")
        copy = Claim.objects.get(correction_of=claim, status="draft")

        desk_editor.goto(f"{base_url}{copy.get_absolute_url()}")
        desk_editor.get_by_role("form", name="Verdict").get_by_label("Summary", exact=True).fill(
            "It fell by 2.1 points."
        )
        desk_editor.get_by_role("button", name="Save verdict").click()
        expect(desk_editor.locator(".review-history")).to_contain_text("It fell by 2.1 points.")
        desk_editor.get_by_role("button", name="Submit for review").click()
        expect(desk_editor.locator("#claim-review .review-actions .status-badge")).to_have_text(
            "In review"
        )

        desk_reviewer.goto(f"{base_url}{copy.get_absolute_url()}")
        approve = desk_reviewer.get_by_role("button", name="Approve and publish")
        expect(approve).to_be_enabled()
        desk_reviewer.once("dialog", lambda dialog: dialog.accept())
        approve.click()
        desk_reviewer.wait_for_url(f"{base_url}{claim.get_absolute_url()}")
        expect(desk_reviewer.locator(".review-verdict .summary")).to_have_text(
            "It fell by 2.1 points."
        )
        # The copy's steps are in the published claim's timeline.
        expect(desk_reviewer.locator(".review-history .on-copy")).to_have_count(3)
    finally:
        for context in contexts:
            context.close()
    claim.refresh_from_db()
    assert claim.summary == "It fell by 2.1 points." and claim.corrections.count() == 1
    assert Claim.objects.get(pk=copy.pk).status == "superseded"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_refusal_of_an_empty_submit_is_an_alert_in_view(
    page: Page, login, base_url, demo_users, seed_article, screen
):
    editor, _ = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    width, height = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    login(page, "editor")
    page.goto(f"{base_url}{claim.get_absolute_url()}")
    page.get_by_role("button", name="Submit for review").click()
    alert = page.get_by_role("form", name="Submit for review").get_by_role("alert")
    expect(alert).to_contain_text("Before submitting, add a verdict")
    page.wait_for_timeout(200)  # the scroll that brings it into view
    assert in_viewport(page, alert)
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_after_clicking_the_last_highlight_the_panel_heading_is_in_view(
    page: Page, login, base_url, demo_users, seed_article, screen
):
    editor, _ = demo_users
    for quote in (QUOTE, EARLIER_QUOTE, LAST_QUOTE):
        workflow.mark(seed_article, by=editor, quote=quote)
    width, height = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    login(page, "editor")
    page.goto(f"{base_url}{seed_article.get_absolute_url()}")
    last = page.locator("#article-body mark[data-claims]").last
    last.scroll_into_view_if_needed()
    last.click()
    panel = page.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim-id", str(Claim.objects.get(quote=LAST_QUOTE).pk))
    page.wait_for_timeout(200)
    assert in_viewport(page, page.locator("#claim-panel-title"))
    assert no_sideways_scroll(page)


def test_no_workspace_page_scrolls_sideways_on_a_phone(
    page: Page, login, base_url, demo_users, seed_article
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "reviewer")
    for path in ("/", seed_article.get_absolute_url(), "/dashboard/"):
        page.goto(f"{base_url}{path}")
        assert no_sideways_scroll(page), path


def test_the_reviewer_sees_the_claim_in_its_sentence_with_who_submitted_it(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, _ = demo_users
    claim = ready_for_review(workflow.mark(seed_article, by=editor, quote=QUOTE), by=editor)
    workflow.submit(claim, by=editor, version=claim.version)
    login(page, "reviewer")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}/dashboard/")
    queue = page.locator(".queue-review")
    expect(queue).to_contain_text("by editor")
    expect(queue).to_contain_text("waiting")
    queue.get_by_role("link", name=str(claim)).click()
    passage = page.locator("#claim-panel .passage")
    expect(passage.locator("mark")).to_have_text(QUOTE)
    # The sentence around the quote, from the article's body.
    expect(passage).to_contain_text("after amoderate cleric was elected president there.")
    expect(passage).to_contain_text("Obama also said he and Putin expressed cautious optimism")
    link = page.get_by_role("link", name="Open in the article")
    expect(link).to_have_attribute("href", claim.get_absolute_url())
    expect(page.locator("#claim-panel .submitted")).to_contain_text("Submitted by editor")


def test_keyboard_focus_stays_on_the_control_after_the_panel_is_replaced(editor_on_draft):
    page, claim = editor_on_draft
    summary = page.get_by_role("form", name="Verdict").get_by_label("Summary", exact=True)
    summary.fill("Typed with the keyboard.")
    page.get_by_role("button", name="Save verdict").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".review-history")).to_contain_text("Typed with the keyboard.")
    page.wait_for_function(
        "() => document.activeElement?.textContent?.trim() === 'Save verdict'"
        " && document.activeElement.closest('#claim-panel') !== null"
    )
    assert Claim.objects.get(pk=claim.pk).summary == "Typed with the keyboard."


def test_leaving_the_page_with_unsaved_changes_asks_first(editor_on_draft):
    page, _ = editor_on_draft
    page.get_by_role("form", name="Verdict").get_by_label("Rationale", exact=True).fill("Draft")
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert not page.is_closed()
