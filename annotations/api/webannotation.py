"""Claims as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

A published claim is an ``Annotation`` with motivation ``assessing``: its
bodies are the summary (``assessing``), the verdict label (``tagging``) and
the rationale (``describing``); its target is the article with a
TextQuoteSelector and a TextPositionSelector, both read from the claim's
anchored span (offsets count code points, as the selector defines them).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from annotations.api.links import Links
from annotations.api.renderers import OrjsonRenderer
from annotations.api.rows import Row
from annotations.models import Claim

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


class WebAnnotationRenderer(OrjsonRenderer):
    """Chosen by ``Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"``."""

    media_type = ANNO_MEDIA_TYPE
    format = "jsonld"


class JsonLdRenderer(OrjsonRenderer):
    """Plain ``application/ld+json``: the Web Annotation protocol answers it
    with the same representation."""

    media_type = "application/ld+json"
    format = "jsonld"


def wants_annotation(request) -> bool:
    return getattr(request, "accepted_renderer", None) is not None and isinstance(
        request.accepted_renderer, WebAnnotationRenderer | JsonLdRenderer
    )


def article_iri(links: Links, article_id: int, source_url: str) -> str:
    """The target's source: the article's own URL, or our API resource when it has none."""
    return source_url or links.article(article_id)


def _text(value: str, purpose: str, language: str) -> dict[str, str]:
    return {
        "type": "TextualBody",
        "value": value,
        "purpose": purpose,
        "format": "text/plain",
        "language": language,
    }


def _creator() -> dict[str, str]:
    return {
        "id": settings.FACTCHECK_PUBLISHER_URL,
        "type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
    }


def annotation(row: Row, links: Links, *, context: bool = True) -> dict[str, Any]:
    """One claim row (``rows``) as an Annotation; ``context=False`` for items inside a page."""
    language = row["article__language"] or "en"
    body = []
    if row["summary"]:
        body.append(_text(row["summary"], "assessing", language))
    if row["rating__label"] is not None:
        body.append(_text(row["rating__label"], "tagging", language))
    if row["rationale"]:
        body.append(_text(row["rationale"], "describing", language))
    if row["status"] == Claim.Status.RETRACTED:
        # The model has no retraction property: a commenting body says it,
        # so a consumer can never take a withdrawn verdict for a live one.
        body.append(_text(f"Retracted: {row['retraction_note']}", "commenting", language))
    data: dict[str, Any] = {"@context": ANNO_CONTEXT} if context else {}
    data.update(
        {
            "id": links.claim(row["id"]),
            "type": "Annotation",
            "motivation": "assessing",
            "created": row["created_at"].isoformat(),
            "modified": row["updated_at"].isoformat(),
            "creator": _creator(),
            "body": body,
            "target": {
                "source": article_iri(links, row["article_id"], row["article__source_url"]),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": row["quote"],
                        "prefix": row["prefix"],
                        "suffix": row["suffix"],
                    },
                    {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
                ],
            },
        }
    )
    return data


def annotation_page(
    links: Links,
    article: dict[str, Any],
    rows: list[Row],
    *,
    page: int,
    page_size: int,
    total: int,
) -> dict[str, Any]:
    """An AnnotationPage of an article's published claims (``article`` has
    ``id`` and ``title``), part of the AnnotationCollection of all of them;
    ``startIndex`` is 0-based."""
    base = links.article_annotations(article["id"])

    def page_url(number: int) -> str:
        return f"{base}?page={number}&page_size={page_size}"

    last = max(0, (total - 1) // page_size)
    data: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": page_url(page),
        "type": "AnnotationPage",
        "partOf": {
            "id": base,
            "type": "AnnotationCollection",
            "label": article["title"],
            "total": total,
            "first": page_url(0),
            "last": page_url(last),
        },
        "startIndex": page * page_size,
        "items": [annotation(row, links, context=False) for row in rows],
    }
    if page < last:
        data["next"] = page_url(page + 1)
    if page > 0:
        data["prev"] = page_url(min(page - 1, last))
    return data
