"""Claims as schema.org ClaimReview (https://schema.org/ClaimReview), the
shape search engines read; served by the API and embedded in the public
fact-check page."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

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


def factcheck_url(request, claim: Claim) -> str:
    return request.build_absolute_uri(reverse("annotations:factcheck_detail", args=[claim.pk]))


def _claimant(claimant: str) -> dict[str, str]:
    # The attribution rules write "Name, role" ("Alexander Lukashevich,
    # Russian Foreign Ministry spokesman"): the role is not the name's kind.
    name, _, role = claimant.partition(", ")
    if ORGANIZATION_WORDS.search(name):
        return {"@type": "Organization", "name": claimant}
    person = {"@type": "Person", "name": name}
    if role:
        person["jobTitle"] = role
    return person


def _rating(claim: Claim) -> dict[str, Any] | None:
    rating = claim.rating
    if rating is None:
        return None
    if rating.value is None:
        return {"@type": "Rating", "alternateName": rating.label}
    return {
        "@type": "Rating",
        "ratingValue": rating.value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": rating.label,
    }


def _item_reviewed(claim: Claim) -> dict[str, Any]:
    """The claim as said: who said it, when, and where it appeared (with a
    URL whenever one is known: the claim's own, else its article's)."""
    article = claim.article
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    if claim.appeared_at:
        appearance["url"] = claim.appeared_at
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    if article.source_name:
        appearance["publisher"] = {"@type": "Organization", "name": article.source_name}
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if claim.claimant:
        item["author"] = _claimant(claim.claimant)
    if claim.date_made:
        item["datePublished"] = claim.date_made.isoformat()
    return item


def claim_review(request, claim: Claim) -> dict[str, Any]:
    """``claim`` (published or retracted) as a ClaimReview JSON-LD object.

    ``claimReviewed`` is the short public headline (search engines cut it
    after about 75 characters), the claim text when no headline was written.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": factcheck_url(request, claim),
        "claimReviewed": claim.public_headline,
        "datePublished": claim.published_at.date().isoformat() if claim.published_at else None,
        "dateModified": claim.updated_at.isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "url": settings.FACTCHECK_PUBLISHER_URL,
        },
        "itemReviewed": _item_reviewed(claim),
    }
    rating = _rating(claim)
    if rating:
        data["reviewRating"] = rating
    if claim.summary:
        data["reviewBody"] = claim.summary
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": correction.note,
            "datePublished": correction.created_at.isoformat(),
        }
        for correction in claim.corrections.all()
    ]
    if claim.status == Claim.Status.RETRACTED:
        data["creativeWorkStatus"] = "Retracted"
        corrections.append(
            {"@type": "CorrectionComment", "text": f"Retracted: {claim.retraction_note}"}
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
