"""Live updates: the version tokens that tell an open page whether anything
it shows changed since it was rendered.

A page carries the token it was rendered with and polls
``…/changes/?since=<token>`` every few seconds; while nothing changed the
answer is a 204 that costs one indexed query. Every change to a claim (a
mark, an edit, evidence, a status change, a comment) is a ``ClaimEvent``
written by the workflow, so the newest event id says "something happened";
counts are added because ids are handed out before commit (a transaction
that took an id earlier may commit later) and because deleting a draft
deletes its events. The token is computed *before* the content it guards,
so a change made in between costs one redundant refresh, never a missed one.
"""

from __future__ import annotations

from django.db.models import Count, F, Func, Max, OuterRef, Subquery

from annotations.models import Article, Claim, ClaimEvent

# A late commit lands within this many ids of the newest event: the desk's
# token counts the events in that window (a bounded range of the primary
# key) rather than the whole history.
RECENT_EVENTS = 1000


def _scalar(queryset, function: str):
    """``function`` (MAX, COUNT) over ``queryset``'s ids, as a subquery that
    returns one value (no GROUP BY)."""
    return Subquery(
        queryset.order_by().annotate(value=Func(F("id"), function=function)).values("value")
    )


def article_version(article_pk: int) -> str | None:
    """The version of what the workspace shows of an article: its text and
    details (revision, last edit) and its claims (their count, and the newest
    id and count of their events). None when there is no such article. One
    query, on the claim and event indexes of that article's claims."""
    events = ClaimEvent.objects.filter(claim__article_id=OuterRef("pk"))
    row = (
        Article.objects.filter(pk=article_pk)
        .annotate(
            last_event=_scalar(events, "MAX"),
            event_count=_scalar(events, "COUNT"),
            claim_count=_scalar(Claim.objects.filter(article_id=OuterRef("pk")), "COUNT"),
        )
        .values_list("last_event", "event_count", "claim_count", "revision", "updated_at")
        .first()
    )
    if row is None:
        return None
    last_event, event_count, claim_count, revision, updated_at = row
    edited = int(updated_at.timestamp() * 1_000_000)
    return f"{last_event or 0}.{event_count or 0}.{claim_count or 0}.{revision}.{edited}"


def desk_version() -> str:
    """The version of the desk's queues: the newest event and the number of
    events near it (both read off the primary key index), and the number of
    drafts (deleting one leaves no event behind). Two queries."""
    newest = ClaimEvent.objects.order_by("-id").values("id")[:1]
    recent = ClaimEvent.objects.filter(id__gt=Subquery(newest) - RECENT_EVENTS).aggregate(
        last=Max("id"), count=Count("id")
    )
    drafts = Claim.objects.filter(status=Claim.Status.DRAFT).count()
    return f"{recent['last'] or 0}.{recent['count']}.{drafts}"


def last_event_of(version: str) -> int | None:
    """The newest event id a token was made with, or None for no token."""
    head = version.partition(".")[0]
    return int(head) if head.isdigit() else None


def changed_claims(
    since: str, *, article_pk: int | None = None, others_than=None
) -> dict[int, int]:
    """The claims with events newer than the token ``since`` (of one article,
    or of the desk), each with its newest event id: an open claim panel
    compares that with the event it was rendered at. Events of the person
    ``others_than`` are left out: their own steps already refreshed what they
    see, and a reload racing their next click would swallow it. Empty
    without a token."""
    last = last_event_of(since)
    if last is None:
        return {}
    events = ClaimEvent.objects.filter(id__gt=last)
    if others_than is not None:
        events = events.exclude(actor=others_than)
    if article_pk is not None:
        events = events.filter(claim__article_id=article_pk)
    rows = events.order_by().values("claim_id").annotate(newest=Max("id"))
    return {row["claim_id"]: row["newest"] for row in rows}
