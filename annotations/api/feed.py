"""The changes feed's pages, from values queries.

With ``expand=claim`` each entry embeds the claim as it is now (the shape
of the claim detail), or only its id and status once it is retracted, so a
consumer syncs with one request per page instead of one per claim. A page
is at most five queries whatever its length: the corpus version, the
entries, the claims, their evidence, their corrections.
"""

from __future__ import annotations

from typing import Any

from annotations.api import claimjson, rows
from annotations.api.links import Links
from annotations.models import ChangeEntry, Claim

EXPANDABLE = ("claim",)


def page(links: Links, *, after: int, limit: int, expand: bool) -> dict[str, Any]:
    """Entries with a cursor above ``after``, in cursor order, at most ``limit``."""
    entries = list(
        ChangeEntry.objects.filter(cursor__gt=after)
        .order_by("cursor")
        .values("cursor", "claim_id", "action", "at")[:limit]
    )
    claim_ids = {entry["claim_id"] for entry in entries}
    # Only claims the public may see; claims are never unpublished, so this
    # drops nothing in practice, but the rule holds even if one were.
    public = Claim.objects.public().filter(pk__in=claim_ids)
    if expand:
        embedded = {row["id"]: row for row in rows.claims(public)} if claim_ids else {}
        visible = set(embedded)
    else:
        embedded = {}
        visible = set(public.values_list("pk", flat=True)) if claim_ids else set()
    results = []
    for entry in entries:
        claim_id = entry["claim_id"]
        if claim_id not in visible:
            continue
        item = {
            "cursor": entry["cursor"],
            "claim": claim_id,
            "claim_url": links.claim(claim_id),
            "action": entry["action"],
            "at": claimjson.iso(entry["at"]),
        }
        if expand:
            row = embedded[claim_id]
            item["claim_data"] = (
                claimjson.claim(row, links)
                if row["status"] == Claim.Status.PUBLISHED
                else {"id": claim_id, "status": row["status"]}
            )
        results.append(item)
    next_cursor = entries[-1]["cursor"] if entries else after
    query = f"after={next_cursor}&limit={limit}" + ("&expand=claim" if expand else "")
    return {
        "results": results,
        "after": after,
        "next_cursor": next_cursor,
        "next": f"{links.path('api:changes')}?{query}",
    }
