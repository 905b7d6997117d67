"""Helpers the browser tests share: selecting text as a person does."""

from __future__ import annotations

from playwright.sync_api import Page

# Finds the n-th occurrence of ``text`` in the body's text content and
# returns the viewport boxes of its first and last characters.
CHAR_BOXES = """
([text, nth]) => {
  const root = document.getElementById("article-body");
  const full = root.textContent;
  let index = -1;
  for (let i = 0; i <= nth; i++) index = full.indexOf(text, index + 1);
  if (index < 0) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const points = [];
  let seen = 0;
  const wanted = [index, index + text.length - 1];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const target of wanted) {
      if (target >= seen && target < seen + node.data.length && points.length < 2) {
        const range = document.createRange();
        let offset = target - seen;
        // Keep surrogate pairs whole.
        const code = node.data.charCodeAt(offset);
        const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
        if (code >= 0xdc00 && code <= 0xdfff) offset -= 1;
        range.setStart(node, offset);
        range.setEnd(node, offset + width);
        const rect = range.getClientRects()[0];
        points.push({left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom});
      }
    }
    seen += node.data.length;
  }
  return points;
}
"""


def drag_select(page: Page, text: str, nth: int = 0) -> None:
    """Select ``text`` in the article body with a real mouse drag."""
    page.locator("#article-body").scroll_into_view_if_needed()
    boxes = page.evaluate(CHAR_BOXES, [text, nth])
    assert boxes and len(boxes) == 2, f"{text!r} not found in the body"
    first, last = boxes
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()
