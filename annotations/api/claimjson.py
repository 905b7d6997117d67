"""The public claim JSON built from values queries and plain functions.

The same content as ``serializers.ClaimSerializer`` gives anonymous callers
(equivalence is tested over a varied corpus), without a model instance or a
serializer field per value: a page is one values query for the claims with
their article and verdict, and one each for their evidence (with archived
copies), corrections and related fact-checks, whatever its length. URLs are
built from one reversed prefix per route, not one ``reverse()`` per row.
Editors keep the serializer (they see internal fields).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework.fields import DateTimeField

from annotations.models import Claim, ClaimRelation, Correction, Evidence

CLAIM_FIELDS = (
    "id",
    "article_id",
    "article__title",
    "article__source_url",
    "part",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "claim_text",
    "claimant",
    "headline",
    "claim_date",
    "appearance_url",
    "rating_id",
    "rating__label",
    "rating__slug",
    "rating__value",
    "summary",
    "rationale",
    "status",
    "retraction_note",
    "published_at",
    "updated_at",
    "version",
)
EVIDENCE_FIELDS = (
    "claim_id",
    "id",
    "kind",
    "stance",
    "url",
    "title",
    "publisher",
    "excerpt",
    "added_at",
    "archive_id",
    "archive__status",
    "archive__fetched_at",
    "archive__sha256",
    "archive__http_status",
    "protected_reason",
)
PUBLIC = frozenset(Claim.PUBLIC_STATUSES)

_moment = DateTimeField().to_representation


def moment(value) -> str | None:
    """A datetime as DRF writes it (ISO 8601 in the current zone, ``Z`` for UTC)."""
    return None if value is None else _moment(value)


class Links:
    """Absolute URL prefixes of one request, reversed once."""

    def __init__(self, request) -> None:
        def prefix(name: str) -> str:
            path = reverse(name, args=[0])
            # "…/0/" → "…/": the id goes where the 0 was.
            cut = path.rindex("/0/") + 1
            base = request.build_absolute_uri(path[:cut]) if request is not None else path[:cut]
            return base

        self.claim = prefix("api:claim-detail")
        self.article = prefix("api:article-detail")
        self.factcheck = prefix("annotations:factcheck_detail")
        self.archived = prefix("annotations:archived_copy")
        self.source_file = prefix("annotations:source_file")


def rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` of claims as the values this module reads."""
    return queryset.values(*CLAIM_FIELDS)


def _evidence(links: Links, item: dict[str, Any]) -> dict[str, Any]:
    protected = item["kind"] == Evidence.Kind.PROTECTED
    archive = None
    if item["archive_id"] is not None:
        ok = item["archive__status"] == "ok"
        archive = {
            "status": item["archive__status"],
            "fetched_at": moment(item["archive__fetched_at"]),
            "sha256": item["archive__sha256"],
            "http_status": item["archive__http_status"],
            "url": f"{links.archived}{item['id']}/archive/" if ok else None,
        }
    return {
        "id": item["id"],
        "kind": item["kind"],
        "stance": item["stance"],
        "url": item["url"],
        # The public learns that a protected source exists and why, nothing more.
        "title": "" if protected else item["title"],
        "publisher": "" if protected else item["publisher"],
        "excerpt": "" if protected else item["excerpt"],
        "added_at": moment(item["added_at"]),
        "archive": archive,
        "file": f"{links.source_file}{item['id']}/file/"
        if item["kind"] == Evidence.Kind.FILE
        else None,
        "protected_reason": item["protected_reason"],
    }


def _public_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A correction's changes as the public sees them: evidence without notes."""
    if "evidence" not in changes:
        return changes
    changes = dict(changes)
    changes["evidence"] = [
        [{k: v for k, v in item.items() if k != "note"} for item in (side or [])]
        for side in changes["evidence"]
    ]
    return changes


def claims(request, claim_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The public JSON of ``claim_rows`` (from ``rows``), in their order."""
    claim_rows = list(claim_rows)
    if not claim_rows:
        return []
    links = Links(request)
    ids = [row["id"] for row in claim_rows]
    evidence: dict[int, list] = defaultdict(list)
    for item in (
        Evidence.objects.filter(claim_id__in=ids)
        .order_by("added_at", "id")
        .values(*EVIDENCE_FIELDS)
    ):
        evidence[item["claim_id"]].append(_evidence(links, item))
    corrections: dict[int, list] = defaultdict(list)
    for item in (
        Correction.objects.filter(claim_id__in=ids)
        .order_by("claim", "created_at", "id")
        .values("claim_id", "note", "changes", "created_at")
    ):
        corrections[item["claim_id"]].append(
            {
                "note": item["note"],
                "changes": _public_changes(item["changes"]),
                "created_at": moment(item["created_at"]),
            }
        )
    related: dict[int, list] = defaultdict(list)
    for item in (
        # Filtered by status here, not in SQL: a status condition in the
        # query lets the planner start from every public claim.
        ClaimRelation.objects.filter(claim_id__in=ids)
        .order_by("created_at", "id")
        .values(
            "claim_id",
            "kind",
            "other_id",
            "other__claim_text",
            "other__status",
            "other__rating__slug",
        )
    ):
        if item["other__status"] not in PUBLIC:
            continue
        other = item["other_id"]
        related[item["claim_id"]].append(
            {
                "id": other,
                "url": f"{links.claim}{other}/",
                "relation": item["kind"],
                "claim_text": item["other__claim_text"],
                "status": item["other__status"],
                "rating": item["other__rating__slug"],
                "factcheck_url": f"{links.factcheck}{other}/",
            }
        )
    return [_claim(links, row, evidence, corrections, related) for row in claim_rows]


def _claim(links: Links, row: dict[str, Any], evidence, corrections, related) -> dict[str, Any]:
    pk = row["id"]
    article = row["article_id"]
    rating = None
    if row["rating_id"] is not None:
        rating = {
            "label": row["rating__label"],
            "slug": row["rating__slug"],
            "value": row["rating__value"],
        }
    claim_date = row["claim_date"]
    return {
        "id": pk,
        "url": f"{links.claim}{pk}/",
        "article": {
            "id": article,
            "title": row["article__title"],
            "url": f"{links.article}{article}/",
            "source_url": row["article__source_url"],
        },
        "part": row["part"],
        "quote": row["quote"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "start": row["start"],
        "end": row["end"],
        "claim_text": row["claim_text"],
        "claimant": row["claimant"],
        "headline": row["headline"],
        "claim_date": claim_date.isoformat() if claim_date is not None else None,
        "appearance_url": row["appearance_url"],
        "rating": rating,
        "summary": row["summary"],
        "rationale": row["rationale"],
        "evidence": evidence.get(pk, []),
        "status": row["status"],
        "retraction_note": row["retraction_note"],
        "published_at": moment(row["published_at"]),
        "updated_at": moment(row["updated_at"]),
        "version": row["version"],
        "corrections": corrections.get(pk, []),
        "factcheck_url": f"{links.factcheck}{pk}/" if row["status"] in PUBLIC else None,
        "related": related.get(pk, []),
    }
