"""Articles as living documents in a real Chromium: claims in the headline
and a caption, the details form, a changed version with its diff, re-anchored
highlights and an orphan re-attached by selecting text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Article, Claim
from tests.browser.test_workspace import editor_page, mark_selection, seed  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The viewport boxes of the first and last characters of ``text`` inside the
# element matched by ``selector``.
CHAR_BOXES = """
([selector, text]) => {
  const root = document.querySelector(selector);
  const index = root.textContent.indexOf(text);
  if (index < 0) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const points = [];
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const target of [index, index + text.length - 1]) {
      if (target >= seen && target < seen + node.data.length && points.length < 2) {
        const range = document.createRange();
        range.setStart(node, target - seen);
        range.setEnd(node, target - seen + 1);
        const rect = range.getClientRects()[0];
        points.push({left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom});
      }
    }
    seen += node.data.length;
  }
  return points;
}
"""


def drag_select_in(page: Page, selector: str, text: str) -> None:
    page.locator(selector).scroll_into_view_if_needed()
    boxes = page.evaluate(CHAR_BOXES, [selector, text])
    assert boxes and len(boxes) == 2, f"{text!r} not found in {selector}"
    first, last = boxes
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()


def marks_in(page: Page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{selector} mark[data-claims]", "ms => ms.map(m => m.textContent)"
    )


def test_editor_marks_claims_in_the_headline_and_a_caption(editor_page, seed):  # noqa: F811 (fixtures of test_workspace)
    page = editor_page
    page.goto(seed.get_absolute_url())
    drag_select_in(page, "#article-title", "Admit to Differences on Syria")
    headline = mark_selection(page)
    assert (headline.part, headline.quote) == ("headline", "Admit to Differences on Syria")
    expect(page.locator("#article-title mark")).to_have_text("Admit to Differences on Syria")

    caption_quote = "Northern Ireland, June 17, 2013"
    drag_select_in(page, ".captions", caption_quote)
    caption = mark_selection(page)
    assert (caption.part, caption.quote) == ("captions", caption_quote)
    assert seed.captions[caption.start : caption.end] == caption_quote
    assert "".join(marks_in(page, ".captions")) == caption_quote


def test_editor_fills_in_the_seed_articles_details(editor_page, seed):  # noqa: F811
    page = editor_page
    page.goto(seed.get_absolute_url())
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Byline").fill("Reuters staff")
    page.get_by_label("Outlet").fill("The Moscow Times")
    page.get_by_label("Source URL").fill("https://www.themoscowtimes.com/2013/06/17/obama-putin")
    page.get_by_label("Publication date").fill("2013-06-17")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Article details saved.")).to_be_visible()
    history = page.locator(".article-history")
    expect(history).to_contain_text("The Moscow Times")
    seed.refresh_from_db()
    assert seed.source_name == "The Moscow Times"
    assert str(seed.published_on) == "2013-06-17"


def test_changed_version_shows_diff_reanchored_highlights_and_an_orphan_to_reattach(
    editor_page,  # noqa: F811
    seed,  # noqa: F811
    demo_users,
):
    page = editor_page
    editor, _ = demo_users
    moved = workflow.mark(seed, by=editor, quote="expressed cautious optimism aboutthe ability")
    lost = workflow.mark(seed, by=editor, quote="held a tense meeting on Monday")
    text = "\n\n".join([seed.title, seed.standfirst, *seed.caption_lines, seed.body])
    text = text.replace("aboutthe ability", "about the ability").replace(
        "held a tense meeting on Monday", "met in Enniskillen"
    )

    page.goto(seed.get_absolute_url())
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Paste the new version").fill(text)
    page.get_by_role("button", name="Import new version").click()
    page.wait_for_url(f"**/articles/{seed.pk}/history/")
    diff = page.locator(".diff-text[data-part=body]")
    expect(diff.locator("ins", has_text="met in Enniskillen")).to_be_visible()
    expect(diff.locator("del", has_text="held a tense meeting on Monday")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("1 re-anchored with a changed quote")

    page.get_by_role("link", name="Reader", exact=True).click()
    moved.refresh_from_db()
    assert moved.quote == "expressed cautious optimism about the ability"
    expect(page.locator("#article-body mark", has_text="about the ability").first).to_be_visible()
    orphans = page.locator(".orphans")
    expect(orphans).to_contain_text("held a tense meeting on Monday")

    drag_select_in(page, "#article-body", "met in Enniskillen")
    button = orphans.get_by_role("button", name="Re-attach to selection")
    expect(button).to_be_enabled()
    button.click()
    page.wait_for_url(f"**/articles/{seed.pk}/?claim={lost.pk}")
    lost.refresh_from_db()
    assert not lost.is_orphan
    assert lost.quote == "met in Enniskillen"
    assert Article.objects.get(pk=seed.pk).body[lost.start : lost.end] == "met in Enniskillen"
    expect(page.locator(".orphans")).to_have_count(0)
    assert Claim.objects.orphaned().count() == 0
