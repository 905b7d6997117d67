"""Claims as schema.org ClaimReview (https://schema.org/ClaimReview), the
shape search engines read; served by the API and embedded in the public
fact-check page."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from annotations.api.links import Links
from annotations.api.rows import Row
from annotations.models import Claim

BEST_RATING = 5
WORST_RATING = 1

# The model records a claimant's name only; names like these are
# organisations, anything else is taken for a person.
ORGANIZATION_WORDS = re.compile(
    r"\b(ministry|department|government|agency|office|party|committee|council|commission|"
    r"association|union|institute|university|bank|company|corporation|inc|ltd|llc|"
    r"organi[sz]ation|foundation|campaign|administration|parliament|senate|congress|"
    r"newspaper|channel|network|group|police|army|court)\b",
    re.IGNORECASE,
)


def factcheck_url(links: Links, claim_id: int) -> str:
    return links.factcheck(claim_id)


def _claimant(name: str) -> dict[str, str]:
    kind = "Organization" if ORGANIZATION_WORDS.search(name) else "Person"
    return {"@type": kind, "name": name}


def _rating(row: Row) -> dict[str, Any] | None:
    if row["rating__slug"] is None:
        return None
    if row["rating__value"] is None:
        return {"@type": "Rating", "alternateName": row["rating__label"]}
    return {
        "@type": "Rating",
        "ratingValue": row["rating__value"],
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": row["rating__label"],
    }


def claim_review(row: Row, links: Links) -> dict[str, Any]:
    """A claim row (``rows``, published or retracted) as a ClaimReview JSON-LD object."""
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": row["article__title"]}
    if row["article__source_url"]:
        appearance["url"] = row["article__source_url"]
    if row["article__source_name"]:
        appearance["publisher"] = {"@type": "Organization", "name": row["article__source_name"]}
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if row["claimant"]:
        item["author"] = _claimant(row["claimant"])
    if row["article__published_on"]:
        item["datePublished"] = row["article__published_on"].isoformat()
    published_at = row["published_at"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": factcheck_url(links, row["id"]),
        "claimReviewed": row["claim_text"],
        "datePublished": published_at.date().isoformat() if published_at else None,
        "dateModified": row["updated_at"].isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "url": settings.FACTCHECK_PUBLISHER_URL,
        },
        "itemReviewed": item,
    }
    rating = _rating(row)
    if rating:
        data["reviewRating"] = rating
    if row["summary"]:
        data["reviewBody"] = row["summary"]
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": correction["note"],
            "datePublished": correction["created_at"].isoformat(),
        }
        for correction in row["corrections"]
    ]
    if row["status"] == Claim.Status.RETRACTED:
        data["creativeWorkStatus"] = "Retracted"
        corrections.append(
            {"@type": "CorrectionComment", "text": f"Retracted: {row['retraction_note']}"}
        )
    if corrections:
        data["correction"] = corrections
    return data


def script_json(data: dict[str, Any]) -> SafeString:
    """JSON for the inside of a <script type="application/ld+json"> element.

    Exactly what Django's ``json_script`` does (which only emits the type
    application/json): ``<``, ``>`` and ``&`` become \\u escapes, so no text
    in the data can close the element or open another; JSON parsers read the
    escapes back as the same characters.
    """
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_json_script_escapes))
