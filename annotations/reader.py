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

from annotations import anchoring
from annotations.models import Claim, Part

PARAGRAPH_BREAK = "\n\n"


@dataclass(slots=True)
class Piece:
    """A run of text covered by the same claims. ``start`` is its code-point
    offset in the body; ``status`` is the status of the innermost claim that
    covers it; ``ends`` the status of the innermost claim that ends here."""

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
    (captions are cut into lines with ``separator="\n"``)."""
    claims = list(claims)
    # The innermost (shortest) claim decides the colour of a nested piece.
    claims.sort(key=lambda c: (c.end - c.start, c.start, c.pk or 0))
    spans = [(c.start, c.end, rank) for rank, c in enumerate(claims)]
    paragraphs = [Paragraph(separator="")]
    offset = 0
    for text, covering in anchoring.segments(body, spans):
        ranks = sorted(covering)
        ids = " ".join(str(claims[r].pk) for r in ranks)
        status = claims[ranks[0]].status if ranks else ""
        piece_end = offset + len(text)
        ending = [r for r in ranks if claims[r].end == piece_end]
        ends = claims[ending[0]].status if ending else ""
        parts = text.split(separator)
        for index, part in enumerate(parts):
            if index:
                paragraphs.append(Paragraph(separator=separator))
                offset += len(separator)
            if part:
                last = index == len(parts) - 1
                paragraphs[-1].pieces.append(
                    Piece(part, offset, ids, status, len(ranks), ends if last else "")
                )
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
    """``text`` cut to ``limit`` characters for the claim list (a cheap
    stand-in for the truncatechars filter, which is slow over many claims)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_of(paragraphs: list[Paragraph]) -> str:
    """The text the rendered body carries (equal to the body)."""
    return "".join(p.separator + "".join(piece.text for piece in p.pieces) for p in paragraphs)
