"""The public read paths' data: values queries, no model instances.

A page of claims is three queries whatever its size: the claims with their
article and verdict columns (one join), their evidence, their corrections.
Each output format (``claimjson``, ``webannotation``, ``claimreview``,
``exports``, ``feed``) is a set of plain functions over these rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from annotations.models import Claim, Correction, Evidence

Row = dict[str, Any]

CLAIM_FIELDS = (
    "id",
    "article_id",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "claim_text",
    "claimant",
    "summary",
    "rationale",
    "status",
    "retraction_note",
    "published_at",
    "updated_at",
    "created_at",
    "version",
    "correction_of_id",
    "article__title",
    "article__source_url",
    "article__source_name",
    "article__published_on",
    "article__language",
    "rating__label",
    "rating__slug",
    "rating__value",
)
EVIDENCE_FIELDS = ("id", "claim_id", "url", "title", "publisher", "excerpt", "note", "added_at")
CORRECTION_FIELDS = ("claim_id", "note", "changes", "created_at")


def claim_values(queryset: QuerySet[Claim]) -> QuerySet:
    """``queryset`` as rows of every column an output format reads."""
    return queryset.values(*CLAIM_FIELDS)


def attach(rows: list[Row], *, evidence: bool = True, corrections: bool = True) -> list[Row]:
    """Give each row its ``evidence`` and ``corrections`` lists, one query each."""
    if not rows:
        return rows
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["evidence"] = []
        row["corrections"] = []
    if evidence:
        items = Evidence.objects.filter(claim_id__in=by_id).order_by("claim_id", "added_at", "id")
        for item in items.values(*EVIDENCE_FIELDS):
            by_id[item["claim_id"]]["evidence"].append(item)
    if corrections:
        items = Correction.objects.filter(claim_id__in=by_id).order_by(
            "claim_id", "created_at", "id"
        )
        for item in items.values(*CORRECTION_FIELDS):
            by_id[item["claim_id"]]["corrections"].append(item)
    return rows


def claims(queryset: QuerySet[Claim], **kwargs: bool) -> list[Row]:
    """The rows of ``queryset`` (already filtered, ordered and sliced) with their lists."""
    return attach(list(claim_values(queryset)), **kwargs)


def claim(queryset: QuerySet[Claim], pk: int) -> Row | None:
    rows = claims(queryset.filter(pk=pk))
    return rows[0] if rows else None


def chunked(queryset: QuerySet, size: int = 1000) -> Iterator[Row]:
    """Every row of ``queryset`` (ordered by id) in keyset chunks: memory and
    each query stay bounded however large the corpus, unlike one iterator
    over a server-side cursor that a slow consumer keeps open."""
    last = 0
    while True:
        chunk = attach(list(claim_values(queryset.filter(pk__gt=last).order_by("id")[:size])))
        yield from chunk
        if len(chunk) < size:
            return
        last = chunk[-1]["id"]


def ids(rows: Iterable[Row]) -> list[int]:
    return [row["id"] for row in rows]
