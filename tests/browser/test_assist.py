"""Reading assistance in a real Chromium: the hints toggle (remembered), one
click to mark a suggested claim, and the claimant's evidence with Change and
Accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotations import importers
from annotations.models import Article, Claim, ReadingPreference
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs"
LUKASHEVICH = "Alexander Lukashevich, Russian Foreign Ministry spokesman"
SENTENCE = "Russian Foreign Ministry spokesman Alexander Lukashevich told a news briefing"


@pytest.fixture
def seed(demo_users) -> Article:
    return importers.import_path(SEED_FILE).article


@pytest.fixture
def reader(page: Page, login, seed):
    """The demo editor reading the seed article; no script error and nothing
    blocked by the Content-Security-Policy may happen on the way."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => console.error(
            "CSP blocked", e.violatedDirective, e.target?.outerHTML?.slice(0, 120)))"""
    )
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(seed.get_absolute_url())
    yield page
    assert problems == []


def hints(page: Page):
    return page.get_by_role("region", name="Suggested claims")


def test_toggling_hints_hides_them_and_is_remembered(reader: Page, seed):
    page = reader
    toggle = hints(page).get_by_role("button", name="Check-worthiness hints")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(hints(page).get_by_role("button", name="Mark as claim").first).to_be_visible()
    expect(page.locator(".hint-marker").first).to_be_visible()

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(hints(page).get_by_role("button", name="Mark as claim")).to_have_count(0)
    expect(page.locator(".hint-marker")).to_have_count(0)
    assert ReadingPreference.objects.get().show_hints is False

    page.reload()
    toggle = hints(page).get_by_role("button", name="Check-worthiness hints")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".hint-marker")).to_have_count(0)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".hint-marker").first).to_be_visible()


def test_a_margin_marker_selects_its_sentence_for_marking(reader: Page):
    page = reader
    marker = page.get_by_role("button", name="Worth checking").first
    marker.click()
    selected = page.evaluate("() => document.getSelection().toString()")
    assert selected and selected in page.locator("#article-body").text_content()
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()


def test_mark_a_suggested_claim_then_see_and_change_its_attribution(reader: Page, seed):
    page = reader
    item = hints(page).get_by_role("listitem").filter(has_text=SENTENCE)
    item.get_by_role("button", name="Mark as claim").click()

    panel = page.locator("#claim-panel")
    expect(panel).to_have_attribute("data-claim-id", re.compile(r"^\d+$"))
    claim = Claim.objects.get()
    expect(panel).to_have_attribute("data-claim-id", str(claim.pk))
    assert claim.quote.startswith(SENTENCE) and claim.claimant == LUKASHEVICH
    expect(page.get_by_label("Claimant", exact=True)).to_have_value(LUKASHEVICH)
    expect(panel).to_contain_text("from: “Alexander Lukashevich told”")
    # Marked, it leaves the suggestions.
    expect(hints(page).get_by_role("listitem").filter(has_text=SENTENCE)).to_have_count(0)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / "reading-hints.png"))

    panel.get_by_role("button", name="Change").click()
    claimant = page.get_by_label("Claimant", exact=True)
    expect(claimant).to_be_focused()
    page.keyboard.type("Russian Foreign Ministry")
    panel.get_by_role("button", name="Save", exact=True).click()
    expect(panel).to_contain_text(f"Suggested: {LUKASHEVICH}")
    claim.refresh_from_db()
    assert claim.claimant == "Russian Foreign Ministry"

    panel.get_by_role("button", name="Accept").click()
    expect(panel.get_by_role("button", name="Change")).to_be_visible()
    expect(panel.get_by_role("button", name="Accept")).to_have_count(0)
    expect(page.get_by_label("Claimant", exact=True)).to_have_value(LUKASHEVICH)
    claim.refresh_from_db()
    assert (claim.claimant, claim.version) == (LUKASHEVICH, 3)
