"""The offset/quote invariant and the W3C selectors built on it.

This module is the only place that computes offsets. Offsets count Unicode
code points, exactly as the W3C TextPositionSelector defines them, which is
also how Python indexes a ``str``: ``body[start:end]`` is the quote. Browsers
count UTF-16 code units; ``utf16_to_codepoint`` converts their offsets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_LENGTH = 32
# How many places an ambiguous quote is counted to, at most.
MAX_COUNTED = 10


def normalize_text(text: str) -> str:
    """Return ``text`` in the canonical form every stored body uses.

    Unicode NFC, ``\\n`` line endings, no trailing white space on lines, no
    leading or trailing blank lines. Article text is otherwise kept as
    written: typos and spacing inside lines belong to the source.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def check_span(body: str, start: int, end: int, quote: str) -> None:
    """Raise ``ValidationError`` unless ``0 <= start < end <= len(body)`` and
    ``body[start:end] == quote``.

    Every writer of a claim goes through this check (``Claim.save`` calls it).
    """
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError("Offsets must be integers.", code="offsets")
    if start < 0 or end > len(body):
        raise ValidationError(
            f"Offsets {start}..{end} fall outside the article body (0..{len(body)}).",
            code="out_of_range",
        )
    if start >= end:
        raise ValidationError(
            f"Empty or reversed span {start}..{end}: the end must come after the start.",
            code="empty_span",
        )
    if body[start:end] != quote:
        raise ValidationError(
            f"The quote does not match the article text at {start}..{end}: "
            f"expected {body[start:end]!r}, got {quote!r}.",
            code="quote_mismatch",
        )


def context(body: str, start: int, end: int) -> tuple[str, str]:
    """The TextQuoteSelector prefix and suffix: up to 32 code points each side."""
    return body[max(0, start - CONTEXT_LENGTH) : start], body[end : end + CONTEXT_LENGTH]


def span(body: str, start: int, end: int, quote: str | None = None) -> Span:
    """Validate a span given by offsets and return it with its context.

    When ``quote`` is None the quote is read from the body; otherwise it must
    match exactly.
    """
    if quote is None and isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        quote = body[start:end]
    check_span(body, start, end, quote if quote is not None else "")
    prefix, suffix = context(body, start, end)
    return Span(start, end, quote, prefix, suffix)


def trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start..end`` so the span neither starts nor ends with white space."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def trimmed(body: str, anchored: Span) -> Span:
    """The span without white space at its edges, so that every way of marking
    (a mouse selection, API offsets, a quote) stores the same claim; a span of
    white space alone is refused."""
    start, end = trim(body, anchored.start, anchored.end)
    if start == end:
        raise ValidationError("The selection is only white space.", code="empty_span")
    if (start, end) == (anchored.start, anchored.end):
        return anchored
    return span(body, start, end)


def find_quote(body: str, quote: str, prefix: str = "", suffix: str = "") -> Span:
    """Anchor a TextQuoteSelector: find the one place where ``prefix + quote +
    suffix`` occurs, and raise ``ValidationError`` when it is absent or
    ambiguous."""
    quote = unicodedata.normalize("NFC", quote)
    prefix = unicodedata.normalize("NFC", prefix)
    suffix = unicodedata.normalize("NFC", suffix)
    if not quote:
        raise ValidationError("The quote is empty.", code="empty_span")
    # The three must occur together: one search for the joined needle, which
    # str.find does in linear time, instead of a prefix and suffix test at
    # every place the quote occurs (quadratic for a short quote in a long
    # body). Counting stops at MAX_COUNTED, so the whole is O(len(body)).
    needle = prefix + quote + suffix
    matches = []
    position = body.find(needle)
    while position != -1 and len(matches) < MAX_COUNTED:
        matches.append(position + len(prefix))
        position = body.find(needle, position + 1)
    if not matches:
        raise ValidationError("The quote does not occur in the article body.", code="absent")
    if len(matches) > 1:
        count = f"more than {MAX_COUNTED}" if position != -1 else str(len(matches))
        raise ValidationError(
            f"The quote occurs {count} times in the article body; "
            "give a prefix or suffix (or offsets) that picks one.",
            code="ambiguous",
        )
    start = matches[0]
    return span(body, start, start + len(quote), quote)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Convert a UTF-16 code unit offset into ``text`` to a code point offset."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    if units >= offset:
        return len(text)
    raise ValidationError(f"UTF-16 offset {offset} is beyond the text.", code="out_of_range")


def segments(body: str, spans: list[tuple[int, int, object]]) -> list[tuple[str, list[object]]]:
    """Cut ``body`` at every span boundary and return ``(text, covering)`` pairs.

    ``covering`` lists the payloads of the spans that cover each piece, so the
    pieces joined give back the body exactly, whatever overlaps or nests. One
    sort of the 2n boundaries and one sweep: O(n log n).
    """
    events: list[tuple[int, int, int]] = []
    for index, (start, end, _payload) in enumerate(spans):
        events.append((start, 1, index))
        events.append((end, 0, index))
    events.sort()
    pieces: list[tuple[str, list[object]]] = []
    active: dict[int, None] = {}
    cursor = 0
    for position, kind, index in events:
        if position > cursor:
            pieces.append((body[cursor:position], [spans[i][2] for i in active]))
            cursor = position
        if kind == 1:
            active[index] = None
        else:
            active.pop(index, None)
    if cursor < len(body):
        pieces.append((body[cursor:], []))
    return pieces
