"""Desk coordination as people read it: how long a claim has waited, whether
it is overdue, and the orders a queue can be sorted in."""

from __future__ import annotations

import datetime

from django.db.models import Case, F, OrderBy, Value, When

from annotations.models import Claim, Priority

# ?sort= values of a queue, each an ordering over the queue's ``since``
# annotation (when the claim started waiting there) and the claim's fields.
SORT_LABELS = {"due": "Due date", "priority": "Priority", "age": "Waiting longest"}

URGENT_FIRST = Case(When(priority=Priority.URGENT, then=Value(0)), default=Value(1))
DUE_FIRST = F("due").asc(nulls_last=True)


def ordering(sort: str) -> tuple[OrderBy | str, ...]:
    """The ORDER BY of a queue for ``sort`` (a key of ``SORT_LABELS``); ties
    fall back to the other keys so that the order is stable."""
    if sort == "due":
        return (DUE_FIRST, URGENT_FIRST.asc(), F("since").asc(), "id")
    if sort == "priority":
        return (URGENT_FIRST.asc(), DUE_FIRST, F("since").asc(), "id")
    return (F("since").asc(), "id")


def age(since: datetime.datetime | None, now: datetime.datetime) -> str:
    """``now - since`` in the fewest words a queue needs: "under a minute",
    "12 min", "3 h", "2 d"; empty when ``since`` is unknown."""
    if since is None:
        return ""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return "under a minute"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def is_overdue(claim: Claim, now: datetime.datetime) -> bool:
    """A claim still being worked on whose due date has passed."""
    return (
        claim.due is not None
        and claim.due < now
        and claim.status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW)
    )
