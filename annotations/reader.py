"""The highlighted article body of the reader.

``build`` cuts the body at every claim boundary (``anchoring.segments``: one
sort of the boundaries, one sweep) and at every paragraph break, and returns
plain data that the template renders with auto-escaping: no HTML is made
here. Joining the pieces and the paragraph separators gives back the body
exactly, so the DOM's text content equals the stored text and the browser's
selection offsets map onto the model's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.urls import reverse
from django.utils.safestring import SafeString

from annotations import anchoring
from annotations.models import Article, Claim

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


def build(body: str, claims: Iterable[Claim]) -> list[Paragraph]:
    """Split ``body`` into paragraphs of pieces highlighted by ``claims``."""
    claims = list(claims)
    # The innermost (shortest) claim decides the colour of a nested piece.
    claims.sort(key=lambda c: (c.end - c.start, c.start, c.pk or 0))
    spans = [(c.start, c.end, rank) for rank, c in enumerate(claims)]
    # Plain lists indexed by rank: the sweep below runs once per piece.
    pks = [str(c.pk) for c in claims]
    ends_at = [c.end for c in claims]
    statuses = [c.status for c in claims]
    paragraphs = [Paragraph(separator="")]
    offset = 0
    for text, covering in anchoring.segments(body, spans):
        ranks = sorted(covering)
        ids = " ".join([pks[r] for r in ranks])
        status = statuses[ranks[0]] if ranks else ""
        piece_end = offset + len(text)
        ends = ""
        for r in ranks:
            if ends_at[r] == piece_end:
                ends = statuses[r]
                break
        if PARAGRAPH_BREAK not in text:
            if text:
                paragraphs[-1].pieces.append(Piece(text, offset, ids, status, len(ranks), ends))
            offset = piece_end
            continue
        parts = text.split(PARAGRAPH_BREAK)
        for index, part in enumerate(parts):
            if index:
                paragraphs.append(Paragraph(separator=PARAGRAPH_BREAK))
                offset += len(PARAGRAPH_BREAK)
            if part:
                last = index == len(parts) - 1
                paragraphs[-1].pieces.append(
                    Piece(part, offset, ids, status, len(ranks), ends if last else "")
                )
            offset += len(part)
    return paragraphs


class Mark(NamedTuple):
    """What the reader shows of a claim: a row, not a model instance (an
    article may carry thousands)."""

    pk: int
    start: int
    end: int
    status: str
    quote: str
    claimant: str

    @property
    def excerpt(self) -> str:
        return excerpt(self.quote)


def marks(article: Article) -> list[Mark]:
    """The article's claims in reading order, one query."""
    rows = article.claims.in_reading_order().values_list(*Mark._fields)
    return [Mark(*row) for row in rows]


# The body and the claim list are built here rather than in template loops:
# with thousands of claims, the template engine's per-variable lookups cost
# hundreds of milliseconds. Every text and attribute value goes through
# ``html.escape``, exactly what the template's auto-escaping applies, and
# only the escaped result is marked safe.
_NEEDS_ESCAPE = re.compile(r"[&<>\"']").search


def _escape(text: str) -> str:
    # Most pieces of prose hold none of the five characters: skip the copies.
    return html.escape(text) if _NEEDS_ESCAPE(text) else text


_BADGES = {
    value: f'<span class="status-badge status-{html.escape(value)}">{html.escape(label)}</span>'
    for value, label in Claim.Status.choices
}


def _badge(status: str) -> str:
    badge = _BADGES.get(status)
    if badge is None:
        badge = f'<span class="status-badge status-{_escape(status)}">{_escape(status)}</span>'
    return badge


def body_html(body: str, claims: Iterable[Claim | Mark]) -> SafeString:
    """The inside of ``#article-body``: what ``build`` describes, as markup,
    made in the same sweep without the intermediate pieces. A ``<p>`` per
    paragraph, a ``<mark>`` per highlighted run and a ``<span>`` per plain
    one, each with its code-point ``data-start``."""
    claims = sorted(claims, key=lambda c: (c.end - c.start, c.start, c.pk or 0))
    spans = [(c.start, c.end, rank) for rank, c in enumerate(claims)]
    pks = [str(c.pk) for c in claims]
    ends_at = [c.end for c in claims]
    statuses = [_escape(c.status) for c in claims]
    out = ["<p>"]
    offset = 0
    for text, covering in anchoring.segments(body, spans):
        piece_end = offset + len(text)
        opening = closing = ""
        if covering:
            ranks = sorted(covering)
            opening = f'<mark class="claim status-{statuses[ranks[0]]}'
            if len(ranks) > 1:
                opening += " nested"
            for r in ranks:
                if ends_at[r] == piece_end:
                    closing = f" claim-end end-{statuses[r]}"
                    break
            ids = " ".join([pks[r] for r in ranks])
            tail = f'" data-claims="{ids}" data-start="'
        parts = text.split(PARAGRAPH_BREAK) if PARAGRAPH_BREAK in text else (text,)
        last = len(parts) - 1
        for index, part in enumerate(parts):
            if index:
                out.append("</p>\n\n<p>")
                offset += len(PARAGRAPH_BREAK)
            if part:
                if covering:
                    out.append(
                        f'{opening}{closing if index == last else ""}{tail}{offset}">'
                        f"{_escape(part)}</mark>"
                    )
                else:
                    out.append(f'<span data-start="{offset}">{_escape(part)}</span>')
            offset += len(part)
    out.append("</p>")
    return SafeString("".join(out))


def claim_items_html(article_pk: int, claims: list[Mark]) -> SafeString:
    """The ``<li>`` items of the claim list, each opening its claim in the panel."""
    placeholder = "987654321"
    path = html.escape(reverse("annotations:claim_detail", args=[article_pk, placeholder]))
    head, tail = path.rsplit(placeholder, 1)
    out: list[str] = []
    for pk, _start, _end, status, quote, claimant in claims:
        url = f"{head}{pk}{tail}"
        who = f' <span class="list-claimant">— {_escape(claimant)}</span>' if claimant else ""
        out.append(
            f'<li><a href="{url}" data-claim-id="{pk}" hx-get="{url}" '
            'hx-target="#claim-panel" hx-swap="outerHTML" hx-push-url="true" '
            f'hx-sync="#claim-list:replace">{_badge(status)} '
            f'<span class="list-quote">{_escape(excerpt(quote))}</span>{who}</a></li>'
        )
    return SafeString("\n".join(out))


def excerpt(text: str, limit: int = 110) -> str:
    """``text`` cut to ``limit`` characters for the claim list (a cheap
    stand-in for the truncatechars filter, which is slow over many claims)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_of(paragraphs: list[Paragraph]) -> str:
    """The text the rendered body carries (equal to the body)."""
    return "".join(p.separator + "".join(piece.text for piece in p.pieces) for p in paragraphs)
