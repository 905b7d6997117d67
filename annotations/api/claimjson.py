"""The API's plain JSON shape of a claim, from ``rows``: used by the claim
list and detail, the NDJSON export and the feed's ``expand=claim``.

The shape is the contract that ``serializers.ClaimSerializer`` documents in
the OpenAPI schema; these functions build the same JSON without a
serializer instance per row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from annotations.api.links import Links
from annotations.api.rows import Row
from annotations.models import Claim

PUBLIC = frozenset(Claim.PUBLIC_STATUSES)


def iso(value: datetime.datetime | None) -> str | None:
    """As DRF's DateTimeField writes it: the current time zone, ``Z`` for UTC."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rating(row: Row) -> dict[str, Any] | None:
    if row["rating__slug"] is None:
        return None
    return {
        "label": row["rating__label"],
        "slug": row["rating__slug"],
        "value": row["rating__value"],
    }


def evidence(item: Row, *, internal: bool) -> dict[str, Any]:
    data = {
        "id": item["id"],
        "url": item["url"],
        "title": item["title"],
        "publisher": item["publisher"],
        "excerpt": item["excerpt"],
    }
    if internal:
        data["note"] = item["note"]
    data["added_at"] = iso(item["added_at"])
    return data


def correction_changes(changes: dict[str, Any], *, internal: bool) -> dict[str, Any]:
    """``{field: [before, after]}``; evidence lists lose their internal notes."""
    if internal or "evidence" not in changes:
        return changes
    changes = dict(changes)
    changes["evidence"] = [
        [{k: v for k, v in item.items() if k != "note"} for item in (side or [])]
        for side in changes["evidence"]
    ]
    return changes


def claim(row: Row, links: Links, *, internal: bool = False) -> dict[str, Any]:
    """One claim; ``internal`` adds evidence notes and ``correction_of`` (editors)."""
    pk = row["id"]
    article_id = row["article_id"]
    data = {
        "id": pk,
        "url": links.claim(pk),
        "article": {
            "id": article_id,
            "title": row["article__title"],
            "url": links.article(article_id),
            "source_url": row["article__source_url"],
        },
        "quote": row["quote"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "start": row["start"],
        "end": row["end"],
        "claim_text": row["claim_text"],
        "claimant": row["claimant"],
        "rating": rating(row),
        "summary": row["summary"],
        "rationale": row["rationale"],
        "evidence": [evidence(item, internal=internal) for item in row["evidence"]],
        "status": row["status"],
        "retraction_note": row["retraction_note"],
        "published_at": iso(row["published_at"]),
        "updated_at": iso(row["updated_at"]),
        "version": row["version"],
        "corrections": [
            {
                "note": item["note"],
                "changes": correction_changes(item["changes"], internal=internal),
                "created_at": iso(item["created_at"]),
            }
            for item in row["corrections"]
        ],
        "factcheck_url": links.factcheck(pk) if row["status"] in PUBLIC else None,
    }
    if internal:
        data["correction_of"] = row["correction_of_id"]
    return data


def etag(row: Row) -> str:
    return f'"claim-{row["id"]}-v{row["version"]}"'
