"""The highlighted article body of the reader.

``build`` cuts the body at every claim boundary (``anchoring.segments``: one
sort of the boundaries, one sweep) and at every paragraph break, and returns
plain data that the template renders with auto-escaping: no HTML is made
here. Joining the pieces and the paragraph separators gives back the body
exactly, so the DOM's text content equals the stored text and the browser's
selection offsets map onto the model's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from annotations import anchoring
from annotations.models import Claim, Part

PARAGRAPH_BREAK = "\n\n"


class Piece(NamedTuple):
    """A run of text covered by the same claims. ``start`` is its code-point
    offset in the body; ``status`` is the status of the innermost claim that
    covers it; ``ends`` the status of the innermost claim that ends here. A
    tuple of strings and numbers, which the garbage collector stops
    tracking: an article makes thousands."""

    text: str
    start: int
    ids: str = ""
    status: str = ""
    depth: int = 0
    ends: str = ""


@dataclass(slots=True)
class Paragraph:
    separator: str
    pieces: list[Piece] = field(default_factory=list)


def build(body: str, claims: Iterable[Claim], separator: str = PARAGRAPH_BREAK) -> list[Paragraph]:
    """Split ``body`` into paragraphs of pieces highlighted by ``claims``
    (captions are cut into lines with ``separator="\n"``). A claim is
    anything with ``id``, ``start``, ``end`` and ``status``: a model
    instance or a row of the reader's query."""
    # The innermost (shortest) claim decides the colour of a nested piece.
    claims = sorted(claims, key=lambda c: (c.end - c.start, c.start, c.id or 0))
    # Looked up by rank for every piece: thousands of pieces, a few claims each.
    ids = [str(c.id) for c in claims]
    statuses = [c.status for c in claims]
    ends = [c.end for c in claims]
    spans = [(c.start, c.end, rank) for rank, c in enumerate(claims)]
    paragraphs = [Paragraph(separator="")]
    pieces = paragraphs[0].pieces
    offset = 0
    for text, ranks in anchoring.segments(body, spans):
        piece_end = offset + len(text)
        if ranks:
            ranks.sort()
            first = ranks[0]
            piece_ids = ids[first] if len(ranks) == 1 else " ".join([ids[r] for r in ranks])
            status = statuses[first]
            ending = ""
            for rank in ranks:
                if ends[rank] == piece_end:
                    ending = statuses[rank]
                    break
        else:
            piece_ids = status = ending = ""
        depth = len(ranks)
        if separator not in text:
            pieces.append(Piece(text, offset, piece_ids, status, depth, ending))
            offset = piece_end
            continue
        parts = text.split(separator)
        for index, part in enumerate(parts):
            if index:
                paragraphs.append(Paragraph(separator=separator))
                pieces = paragraphs[-1].pieces
                offset += len(separator)
            if part:
                last = index == len(parts) - 1
                pieces.append(Piece(part, offset, piece_ids, status, depth, ending if last else ""))
            offset += len(part)
    return paragraphs


def build_parts(article, claims: Iterable[Claim]) -> dict[str, list[Paragraph]]:
    """The headline, standfirst, captions and body, each highlighted by the
    claims anchored in it (orphans are left out: their offsets count in an
    older revision)."""
    by_part: dict[str, list[Claim]] = {part: [] for part in Part.values}
    for claim in claims:
        if claim.orphan_revision_id is None:
            by_part[claim.part].append(claim)
    return {
        part: build(
            article.text_of(part),
            by_part[part],
            separator="\n" if part == Part.CAPTIONS else PARAGRAPH_BREAK,
        )
        for part in Part.values
    }


def excerpt(text: str, limit: int = 110) -> str:
    """``text`` on one line and cut to ``limit`` characters for the claim
    list (a cheap stand-in for the truncatechars filter, which is slow over
    many claims)."""
    # Collapsing the whitespace of a prefix gives a prefix of the collapsed
    # text, so a long quote is read no further than twice the limit. Most
    # need no collapsing: printable text has no whitespace but ASCII spaces,
    # and single ones between words stay as they are.
    head = text[: limit * 2]
    if not (head.isprintable() and "  " not in head and head[:1] != " " != head[-1:]):
        head = " ".join(head.split())
    if len(head) > limit:
        return head[: limit - 1].rstrip() + "…"
    if len(text) > limit * 2:
        head = " ".join(text.split())
        if len(head) > limit:
            return head[: limit - 1].rstrip() + "…"
    return head


def text_of(paragraphs: list[Paragraph]) -> str:
    """The text the rendered body carries (equal to the body)."""
    return "".join(p.separator + "".join(piece.text for piece in p.pieces) for p in paragraphs)
