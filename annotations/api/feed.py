"""The changes feed's pages.

With ``expand=claim`` each entry embeds the claim as it is now (the public
claim JSON of ``claimjson``, the content of the claim detail), or only its
id and status once it is no longer published (retracted, or withdrawn for
review), so a consumer syncs with one request per page instead of one per
claim. The claims of a page and their related rows are a fixed number of
values queries, so the number of queries does not grow with the page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.request import Request

from annotations import corpus
from annotations.api import claimjson
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
    entries: list[ChangeEntry] | None = None,
) -> dict[str, Any]:
    """The feed page of ``entries`` (read here unless given)."""
    if entries is None:
        entries = entries_after(after, limit)
    links = claimjson.Links(request)
    results = [
        {
            "cursor": entry.cursor,
            "claim": entry.claim_id,
            "claim_url": f"{links.claim}{entry.claim_id}/",
            "action": entry.action,
            "at": claimjson.moment(entry.at),
        }
        for entry in entries
    ]
    if expand:
        claim_ids = {entry.claim_id for entry in entries}
        rows = claimjson.rows(Claim.objects.filter(pk__in=claim_ids)) if claim_ids else []
        rows = list(rows)
        published = [row for row in rows if row["status"] == Claim.Status.PUBLISHED]
        embedded = {data["id"]: data for data in claimjson.claims(request, published)}
        for row in rows:
            embedded.setdefault(row["id"], {"id": row["id"], "status": row["status"]})
        for item in results:
            item["claim_data"] = embedded[item["claim"]]
    next_cursor = entries[-1].cursor if entries else after
    base = request.build_absolute_uri(reverse("api:changes"))
    query = f"after={next_cursor}&limit={limit}" + ("&expand=claim" if expand else "")
    return {
        "results": results,
        "after": after,
        "next_cursor": next_cursor,
        "next": f"{base}?{query}",
    }
