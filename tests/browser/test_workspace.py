"""The editor workspace in a real Chromium: marking claims by dragging the
mouse over the text, exactly as a person does."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotations import importers
from annotations.models import Article, Claim
from tests.browser.helpers import drag_select
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs"
QUOTE = "moderate cleric was elected president there"


def selected_text(page: Page) -> str:
    return page.evaluate("() => document.getSelection().toString()")


def body_text(page: Page) -> str:
    return page.evaluate("() => document.getElementById('article-body').textContent")


def marked_text(page: Page, claim_id: int) -> str:
    return page.evaluate(
        """(id) => [...document.querySelectorAll('#article-body mark[data-claims]')]
            .filter(m => m.dataset.claims.split(' ').includes(String(id)))
            .map(m => m.textContent).join('')""",
        claim_id,
    )


def mark_selection(page: Page) -> Claim:
    before = set(Claim.objects.values_list("pk", flat=True))
    page.get_by_role("button", name="Mark claim").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#claim-list a[data-claim-id]').length === n",
        arg=len(before) + 1,
    )
    (claim,) = Claim.objects.exclude(pk__in=before)
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(claim.pk))
    return claim


@pytest.fixture
def seed(demo_users) -> Article:
    return importers.import_path(SEED_FILE).article


@pytest.fixture
def editor_page(page: Page, login, seed, base_url):
    """The demo editor's page; at the end, no script error may have happened
    and nothing may have been blocked by the Content-Security-Policy."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => console.error(
            "CSP blocked", e.violatedDirective, e.target?.outerHTML?.slice(0, 120)))"""
    )
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    yield page
    # Expected: a refused mark's 422, and the requests that fast j/k presses
    # abort (hx-sync replace), which htmx logs.
    expected = ("status of 422", "htmx:sendAbort", "htmx:afterRequest")
    assert [p for p in problems if not any(e in p for e in expected)] == []


def test_editor_marks_edits_and_deletes_claims_on_the_seed_article(editor_page, seed, base_url):
    page = editor_page
    page.get_by_role("link", name=seed.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.title)
    assert body_text(page) == seed.body
    page.evaluate("() => { window.notReloaded = true; }")

    # The seed's own typo: "amoderate". The selection starts inside the word.
    assert "amoderate cleric" in seed.body
    drag_select(page, QUOTE)
    assert selected_text(page) == QUOTE
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    claim = mark_selection(page)

    # In place, without a reload; and the stored offsets give back the quote.
    assert page.evaluate("() => window.notReloaded") is True
    assert seed.body[claim.start : claim.end] == QUOTE
    assert claim.quote == QUOTE
    assert marked_text(page, claim.pk) == QUOTE
    assert page.url.endswith(claim.get_absolute_url())
    assert body_text(page) == seed.body

    page.reload()
    assert marked_text(page, claim.pk) == QUOTE
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(claim.pk))
    page.evaluate("() => { window.notReloaded = true; }")

    # An overlapping span, starting before the first claim and ending inside it.
    overlap = "dialogue with Iran after amoderate cleric"
    drag_select(page, overlap)
    assert selected_text(page) == overlap
    second = mark_selection(page)
    assert (second.quote, seed.body[second.start : second.end]) == (overlap, overlap)
    assert second.start < claim.start < second.end < claim.end
    assert body_text(page) == seed.body
    assert marked_text(page, claim.pk) == QUOTE
    assert marked_text(page, second.pk) == overlap

    # Edit the claimant of the first claim, selected by clicking its highlight.
    page.locator("#article-body mark", has_text="elected president").first.click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(claim.pk))
    expect(page.locator(f'#claim-list a[data-claim-id="{claim.pk}"]')).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_label("Claimant", exact=True).fill("Barack Obama")
    page.get_by_label("Claim", exact=True).fill("Iran elected a moderate cleric as president.")
    page.get_by_role("button", name="Save", exact=True).click()
    # The guess already named "Barack Obama, U.S. President": wait for the edit itself.
    expect(page.locator(f'#claim-list a[data-claim-id="{claim.pk}"] .list-claimant')).to_have_text(
        "— Barack Obama"
    )
    claim.refresh_from_db()
    assert (claim.claimant, claim.version) == ("Barack Obama", 2)
    assert page.evaluate("() => window.notReloaded") is True

    DOCS.mkdir(exist_ok=True)
    page.locator("#article-body").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / "reader.png"))

    # Delete the overlapping one, confirming the dialog.
    page.locator(f'#claim-list a[data-claim-id="{second.pk}"]').click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(second.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("#claim-panel")).to_contain_text("The claim was deleted.")
    expect(page.locator("#claim-list a[data-claim-id]")).to_have_count(1)
    assert list(Claim.objects.values_list("pk", flat=True)) == [claim.pk]
    assert marked_text(page, claim.pk) == QUOTE
    assert body_text(page) == seed.body
    assert page.evaluate("() => window.notReloaded") is True


def test_a_selection_outside_the_article_text_offers_nothing(editor_page, seed):
    page = editor_page
    page.goto(seed.get_absolute_url())
    page.locator("#claim-list-title").dblclick()
    assert selected_text(page)
    expect(page.get_by_role("button", name="Mark claim")).to_be_hidden()
    drag_select(page, "tense meeting on Monday")
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    page.mouse.click(5, 5)
    expect(page.get_by_role("button", name="Mark claim")).to_be_hidden()


def test_shift_arrows_extend_a_selection_and_white_space_is_trimmed(editor_page, seed):
    page = editor_page
    page.goto(seed.get_absolute_url())
    drag_select(page, "held a tense meeting")
    for _ in range(len(" on Monday")):
        page.keyboard.press("Shift+ArrowRight")
    assert selected_text(page) == "held a tense meeting on Monday"
    page.keyboard.press("Shift+ArrowRight")  # the comma
    page.keyboard.press("Shift+ArrowRight")  # and a space, trimmed by the server
    assert selected_text(page) == "held a tense meeting on Monday, "
    # The button comes next in the tab order; Enter presses it.
    button = page.get_by_role("button", name="Mark claim")
    expect(button).to_be_visible()
    expect(page.locator("#mark-quote")).to_have_value("held a tense meeting on Monday, ")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    assert selected_text(page) == "held a tense meeting on Monday, "
    page.keyboard.press("Enter")
    expect(page.locator("#claim-list a[data-claim-id]")).to_have_count(1)
    claim = Claim.objects.get(article=seed)
    assert claim.quote == "held a tense meeting on Monday,"
    assert seed.body[claim.start : claim.end] == claim.quote


def test_a_selection_across_paragraphs_becomes_one_claim(editor_page, seed):
    page = editor_page
    page.goto(seed.get_absolute_url())
    text = "in Geneva.\n\nObama also said"
    assert text in seed.body
    drag_select(page, text)
    claim = mark_selection(page)
    assert claim.quote == text
    assert body_text(page) == seed.body
    assert page.locator("#article-body p").count() == len(seed.paragraphs)


def test_j_and_k_move_between_claims_in_reading_order(editor_page, seed):
    page = editor_page
    page.goto(seed.get_absolute_url())
    for text in ("tense meeting", "peace conference", "cautious optimism"):
        drag_select(page, text)
        mark_selection(page)
    first, second, third = Claim.objects.in_reading_order()
    page.goto(seed.get_absolute_url())
    page.keyboard.press("k")  # nothing selected: k starts from the end
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(third.pk))
    page.keyboard.press("j")  # already the last one
    page.keyboard.press("k")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(second.pk))
    page.keyboard.press("k")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(first.pk))
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(third.pk))
    expect(page.locator(f'#claim-list a[data-claim-id="{third.pk}"]')).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(second.pk))
    expect(page.locator("#article-body mark.selected").first).to_have_text(
        re.compile("peace conference")
    )
    # Typing in a field does not move.
    page.get_by_label("Claimant", exact=True).press("j")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(second.pk))


def test_a_refused_mark_shows_an_inline_error(editor_page, seed):
    page = editor_page
    page.goto(seed.get_absolute_url())
    drag_select(page, "tense meeting")
    page.evaluate("() => { document.getElementById('mark-quote').value = 'tampered'; }")
    # The selection listener refills the form only on a change; submit now.
    page.get_by_role("button", name="Mark claim").click()
    status = page.locator("#mark-status")
    expect(status).to_contain_text("Could not mark this claim")
    assert Claim.objects.count() == 0
    # Said next to the button, where the person looks, as an alert.
    expect(status).to_have_attribute("role", "alert")
    status_box, button_box = status.bounding_box(), page.locator("#mark-button").bounding_box()
    assert 0 <= status_box["y"] - (button_box["y"] + button_box["height"]) < 40
    assert status_box["y"] + status_box["height"] <= page.viewport_size["height"]


UNICODE_ARTICLE = (
    "Festival report 🎉 with 東京 and café\n\n"
    "A short standfirst.\n\n"
    "The party 🎉 opened at the 東京タワー where Spin\u0308al Tap and Zoe\u0308 said the "
    "crème brûlée was 👍🏽 perfect.\n\n"
    "漢字 and emoji 👩‍👩‍👧 keep coming."
)


def test_imported_unicode_article_gets_exact_code_point_offsets(editor_page, base_url):
    page = editor_page
    page.goto(f"{base_url}/")
    page.get_by_text("Import an article").click()
    page.get_by_label("Paste the article text").fill(UNICODE_ARTICLE)
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article = Article.objects.get(title="Festival report 🎉 with 東京 and café")
    assert body_text(page) == article.body
    # NFC composes "e\u0308" into one code point, but "n\u0308" has no
    # composed form and stays two: a base letter and a combining mark.
    text = unicodedata.normalize(
        "NFC", "東京タワー where Spin\u0308al Tap and Zoe\u0308 said the crème"
    )
    assert "n\u0308" in text and "e\u0308" not in text
    drag_select(page, text)
    assert selected_text(page) == text
    claim = mark_selection(page)
    assert claim.quote == text
    assert article.body[claim.start : claim.end] == text
    # Code points, not UTF-16 units: the emoji before counts once.
    assert claim.start == article.body.index("東京タワー")
    after_skin_tone = "perfect"
    drag_select(page, after_skin_tone)
    second = mark_selection(page)
    assert article.body[second.start : second.end] == after_skin_tone
    assert body_text(page) == article.body


def test_search_as_you_type_filters_the_list_and_updates_the_address(editor_page, base_url):
    page = editor_page
    importers.import_text("Another story\n\nStand.\n\nAbout tram lines in the city.")
    page.goto(f"{base_url}/")
    page.evaluate("() => { window.notReloaded = true; }")
    expect(page.locator("#article-results tbody tr")).to_have_count(2)
    page.get_by_label("Search articles").press_sequentially("tram", delay=40)
    expect(page.locator("#article-results tbody tr")).to_have_count(1)
    expect(page.locator("#article-results")).to_contain_text("Another story")
    expect(page).to_have_url(re.compile(r"q=tram"))
    assert page.evaluate("() => window.notReloaded") is True
