"""The changes feed's pages.

With ``expand=claim`` each entry embeds the claim as it is now (the shape
of the claim detail, from the same serializer), or only its id and status
once it is no longer published (retracted, or withdrawn for review), so a
consumer syncs with one request per page instead of one per claim. The
claims of a page are read in one query with their related rows prefetched,
so the number of queries does not grow with the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework.request import Request

from annotations import corpus
from annotations.api import serializers
from annotations.models import ChangeEntry, Claim

EXPANDABLE = ("claim",)


def entries_after(after: int, limit: int, *, versioned: bool = False) -> list[ChangeEntry]:
    """Entries with a cursor above ``after``, in cursor order, at most
    ``limit``; ``versioned`` reads the corpus version with them."""
    # Entries are only ever appended for published claims, so all may show;
    # a claim back in review ends with its `withdrawn` entry.
    entries = ChangeEntry.objects.filter(cursor__gt=after).order_by("cursor")
    if versioned:
        entries = entries.annotate(corpus_version=corpus.version_expression())
    return list(entries[:limit])


def page(
    request: Request,
    *,
    after: int,
    limit: int,
    expand: bool,
    for_display: Callable[[QuerySet], QuerySet],
    entries: list[ChangeEntry] | None = None,
) -> dict[str, Any]:
    """The feed page of ``entries`` (read here unless given)."""
    if entries is None:
        entries = entries_after(after, limit)
    context = {"request": request}
    results = serializers.ChangeEntrySerializer(entries, many=True, context=context).data
    if expand:
        claim_ids = {entry.claim_id for entry in entries}
        claims = for_display(Claim.objects.filter(pk__in=claim_ids)) if claim_ids else []
        claim_serializer = serializers.ClaimSerializer(
            context={"request": request, "show_internal": False}
        )
        embedded = {
            claim.pk: (
                claim_serializer.to_representation(claim)
                if claim.status == Claim.Status.PUBLISHED
                else {"id": claim.pk, "status": claim.status}
            )
            for claim in claims
        }
        for item in results:
            item["claim_data"] = embedded[item["claim"]]
    else:
        for item in results:
            item.pop("claim_data", None)
    next_cursor = entries[-1].cursor if entries else after
    base = request.build_absolute_uri(reverse("api:changes"))
    query = f"after={next_cursor}&limit={limit}" + ("&expand=claim" if expand else "")
    return {
        "results": results,
        "after": after,
        "next_cursor": next_cursor,
        "next": f"{base}?{query}",
    }
