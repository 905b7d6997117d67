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
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from annotations.models import Article, Claim, Part

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


class WebAnnotationRenderer(JSONRenderer):
    """Chosen by ``Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"``."""

    media_type = ANNO_MEDIA_TYPE
    format = "jsonld"


class JsonLdRenderer(JSONRenderer):
    """Plain ``application/ld+json``: the Web Annotation protocol answers it
    with the same representation."""

    media_type = "application/ld+json"
    format = "jsonld"


def wants_annotation(request) -> bool:
    return getattr(request, "accepted_renderer", None) is not None and isinstance(
        request.accepted_renderer, WebAnnotationRenderer | JsonLdRenderer
    )


def article_iri(request, article: Article) -> str:
    """The target's source: the article's own URL, or our API resource when it has none."""
    return article.source_url or request.build_absolute_uri(
        reverse("api:article-detail", args=[article.pk])
    )


def _text(value: str, purpose: str, language: str) -> dict[str, str]:
    return {
        "type": "TextualBody",
        "value": value,
        "purpose": purpose,
        "format": "text/plain",
        "language": language,
    }


# A claim outside the body names its part with a selector that the text
# selectors refine; the part's element carries data-part in our pages.
PART_SELECTOR = 'article [data-part="{part}"]'


def selectors(claim: Claim) -> list[dict[str, Any]]:
    """The target's selectors: TextQuote and TextPosition over the body, or,
    for the headline, standfirst or captions, a CssSelector naming the part
    refined by each of them (offsets then count within that part)."""
    text = [
        {
            "type": "TextQuoteSelector",
            "exact": claim.quote,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
        },
        {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
    ]
    if claim.part == Part.BODY:
        return text
    css = PART_SELECTOR.format(part=claim.part)
    return [{"type": "CssSelector", "value": css, "refinedBy": selector} for selector in text]


def annotation(request, claim: Claim, *, context: bool = True) -> dict[str, Any]:
    """One claim as an Annotation; ``context=False`` for items inside a page."""
    article = claim.article
    language = article.language or "en"
    body = []
    if claim.summary:
        body.append(_text(claim.summary, "assessing", language))
    if claim.rating is not None:
        body.append(_text(claim.rating.label, "tagging", language))
    if claim.rationale:
        body.append(_text(claim.rationale, "describing", language))
    if claim.status == Claim.Status.RETRACTED:
        # The model has no retraction property: a commenting body says it,
        # so a consumer can never take a withdrawn verdict for a live one.
        body.append(_text(f"Retracted: {claim.retraction_note}", "commenting", language))
    data: dict[str, Any] = {}
    if context:
        data["@context"] = ANNO_CONTEXT
    data.update(
        {
            "id": request.build_absolute_uri(reverse("api:claim-detail", args=[claim.pk])),
            "type": "Annotation",
            "motivation": "assessing",
            "created": claim.created_at.isoformat(),
            "modified": claim.updated_at.isoformat(),
            "creator": {
                "id": settings.FACTCHECK_PUBLISHER_URL,
                "type": "Organization",
                "name": settings.FACTCHECK_PUBLISHER_NAME,
            },
            "body": body,
            "target": {
                "source": article_iri(request, article),
                "selector": selectors(claim),
            },
        }
    )
    return data


def annotation_page(
    request,
    article: Article,
    claims: list[Claim],
    *,
    page: int,
    page_size: int,
    total: int,
) -> dict[str, Any]:
    """An AnnotationPage of ``article``'s published claims, part of the
    AnnotationCollection of all of them; ``startIndex`` is 0-based."""
    base = request.build_absolute_uri(reverse("api:article-annotations", args=[article.pk]))

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
            "label": article.title,
            "total": total,
            "first": page_url(0),
            "last": page_url(last),
        },
        "startIndex": page * page_size,
        "items": [annotation(request, claim, context=False) for claim in claims],
    }
    if page < last:
        data["next"] = page_url(page + 1)
    if page > 0:
        data["prev"] = page_url(min(page - 1, last))
    return data
