"""The reader's repeated markup: the highlighted pieces of each part of the
article and the rows of the claim list.

An article can carry thousands of claims; rendered through template
includes and loops, these few elements took most of the reader's time. Here
each is one string format per piece or row, and the template calls each tag
once. This module is the only place that knows this markup. Every text from
the article or a person goes through ``escape``; the only other values are
integer ids and offsets (``piece.ids`` joins the integer ids of the claims
that cover a piece), and the statuses' and parts' fixed choices (escaped once
each).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations import reader
from annotations.models import Claim, Part

register = template.Library()

# Django's escape itself, without its check for lazy strings (none come here):
# that check cost more than the escaping over thousands of pieces.
_escape = getattr(escape, "__wrapped__", escape)

# Escaping leaves NUL alone and maps every other character on its own, so
# texts joined by NUL, escaped once and split again are each escaped.
_JOIN = "\x00"


def _escape_all(texts: list[str]) -> list[str]:
    """Each of ``texts`` escaped, in one call over all of them (one call each
    if any of them contains a NUL)."""
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1:
        return [_escape(text) for text in texts]
    return _escape(joined).split(_JOIN)


# The claim URL is reversed once per article with this id, and each claim's
# own id is put in its place.
_SENTINEL = "987654321"


def _pieces(
    paragraph: reader.Paragraph,
    texts: Iterator[str],
    out: list[str],
    classes: dict[tuple[str, bool, str], str],
) -> None:
    # zip stops at the paragraph's last piece without taking the next text.
    for piece, text in zip(paragraph.pieces, texts, strict=False):
        if piece.ids:
            key = (piece.status, piece.depth > 1, piece.ends)
            names = classes.get(key)
            if names is None:
                names = _escape(f"claim status-{piece.status}")
                if piece.depth > 1:
                    names += " nested"
                if piece.ends:
                    names += _escape(f" claim-end end-{piece.ends}")
                classes[key] = names
            out.append(
                f'<mark class="{names}" data-claims="{piece.ids}" '
                f'data-start="{piece.start:d}">{text}</mark>'
            )
        else:
            out.append(f'<span data-start="{piece.start:d}">{text}</span>')


@register.simple_tag
def highlighted(paragraphs: list[reader.Paragraph], element: str = "", css: str = "") -> SafeString:
    """The pieces of ``paragraphs`` (from ``reader.build``) as ``<mark>``s
    and ``<span>``s, each paragraph preceded by its separator and wrapped in
    ``element`` (``p``, ``li``; none for the headline) with class ``css``.
    The separators are kept as they are, so the text content of the result
    is the part's text exactly."""
    opening = closing = ""
    if element:
        opening = f'<{element} class="{_escape(css)}">' if css else f"<{element}>"
        closing = f"</{element}>"
    out: list[str] = []
    # A handful of status combinations recur over thousands of pieces.
    classes: dict[tuple[str, bool, str], str] = {}
    texts = iter(_escape_all([piece.text for p in paragraphs for piece in p.pieces]))
    for paragraph in paragraphs:
        out.append(_escape(paragraph.separator))
        out.append(opening)
        _pieces(paragraph, texts, out, classes)
        out.append(closing)
    return mark_safe("".join(out))  # built from escaped parts only


@register.simple_tag
def claim_rows(claims: Iterable) -> SafeString:
    """The claim list's ``<li>`` rows, each a link that loads the claim into
    the panel: its status, where it sits (orphaned, or its part unless the
    body), an excerpt of its quote and its claimant. ``claims`` are claims or
    rows with their ``id``, ``article_id``, ``part``, ``orphan_revision_id``,
    ``quote``, ``claimant`` and ``status``."""
    badges = {
        value: f'<span class="status-badge status-{_escape(value)}">{_escape(label)}</span>'
        for value, label in Claim.Status.choices
    }
    parts = {value: _escape(label) for value, label in Part.choices}
    urls: dict[int, tuple[str, str]] = {}
    rows: list[str] = []
    claims = list(claims)
    excerpts = _escape_all([reader.excerpt(claim.quote) for claim in claims])
    for claim, excerpt in zip(claims, excerpts, strict=True):
        url = urls.get(claim.article_id)
        if url is None:
            pattern = _escape(
                reverse("annotations:claim_detail", args=[claim.article_id, int(_SENTINEL)])
            )
            # The claim's id comes last in the URL; the article's may hold the same digits.
            head, _, tail = pattern.rpartition(_SENTINEL)
            url = urls[claim.article_id] = (head, tail)
        href = f"{url[0]}{claim.id:d}{url[1]}"
        badge = badges.get(claim.status)
        if badge is None:
            status = _escape(claim.status)
            badge = f'<span class="status-badge status-{status}">{status}</span>'
        if claim.orphan_revision_id:
            where = ' <span class="orphan-badge">Orphaned</span>'
        elif claim.part != Part.BODY:
            part = parts.get(claim.part)
            if part is None:
                part = _escape(claim.part)
            where = f' <span class="part-badge">{part}</span>'
        else:
            where = ""
        who = (
            f' <span class="list-claimant">— {_escape(claim.claimant)}</span>'
            if claim.claimant
            else ""
        )
        rows.append(
            f'<li><a href="{href}" data-claim-id="{claim.id:d}" hx-get="{href}"'
            ' hx-target="#claim-panel" hx-swap="outerHTML" hx-push-url="true"'
            ' hx-sync="#claim-list:replace">'
            f"{badge}{where}"
            f' <span class="list-quote">{excerpt}</span>{who}</a></li>'
        )
    return mark_safe("\n".join(rows))  # built from escaped parts only
