"""The dashboard: the desk's queues, with a claim opened beside them in the
claim panel (``views.panel``), whose actions update the queues in place; and
the bulk bar over the queues (``annotations.bulk``)."""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from annotations import desk, live, permissions
from annotations.forms import BulkForm
from annotations.models import Claim, ClaimEvent
from annotations.views.common import bulk_action, wants_partial, workspace_view

QUEUE_LENGTH = 20
TEMPLATE = "annotations/dashboard.html"


def _latest_request():
    """The comment of the latest "Request changes" on each claim."""
    return Subquery(
        ClaimEvent.objects.filter(claim=OuterRef("pk"), action=ClaimEvent.Action.CHANGES_REQUESTED)
        .order_by("-created_at", "-id")
        .values("comment")[:1]
    )


def _latest(action: str, **lookups):
    """When the latest event ``action`` (matching ``lookups``) of each claim happened."""
    return Subquery(
        ClaimEvent.objects.filter(claim=OuterRef("pk"), action=action, **lookups)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def _submitted_at():
    # Assigning a claim in review changes it too: its waiting time counts
    # from its submission, not from its last update.
    return Coalesce(_latest(ClaimEvent.Action.SUBMITTED), F("updated_at"))


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "")
    return sort if sort in desk.SORT_LABELS else ""


def _queues(request: HttpRequest, sort: str) -> list[dict]:
    """Each queue: its claims (at most ``QUEUE_LENGTH``) with their ``since``
    (when they started waiting there), age, overdue mark, and its count. Two
    queries a queue, whatever the number of claims."""
    user = request.user
    base = Claim.objects.select_related("article", "rating", "submitted_by", "assignee", "reviewer")
    # (slug, title, claims with ``since``, default order, what the age means,
    # whether the bulk bar acts on it)
    queues = [
        (
            "assigned",
            "Assigned to me",
            base.assigned_to(user).annotate(
                since=Coalesce(
                    _latest(ClaimEvent.Action.ASSIGNED, changes__has_key="assignee"),
                    F("created_at"),
                )
            ),
            "priority",
            "waiting",
        ),
        (
            "drafts",
            "My drafts",
            base.drafts_of(user).annotate(since=F("updated_at")),
            ("-updated_at", "-id"),
            "edited",
        ),
        (
            "changes",
            "Changes requested to me",
            base.changes_requested_to(user).annotate(
                change_request=_latest_request(), since=F("changes_requested_at")
            ),
            ("-changes_requested_at", "-id"),
            "sent back",
        ),
    ]
    if permissions.is_reviewer(user):
        queues[1:1] = [
            (
                "requested",
                "Review requested from me",
                base.review_requested_from(user).annotate(since=_submitted_at()),
                "priority",
                "waiting",
            ),
            (
                "review",
                "Awaiting review",
                base.awaiting_review().annotate(since=_submitted_at()),
                "age",
                "waiting",
            ),
        ]
    queues.append(
        (
            "published",
            "Recently published",
            base.recently_published().annotate(since=F("published_at")),
            None,
            "published",
        )
    )
    now = timezone.now()
    result = []
    for slug, title, claims, default, age_kind in queues:
        sortable = default is not None
        if sortable:
            order = sort or default
            claims = claims.order_by(*(desk.ordering(order) if isinstance(order, str) else order))
        rows = [
            {
                "claim": claim,
                "age": desk.age(claim.since, now),
                "overdue": desk.is_overdue(claim, now),
            }
            for claim in claims[:QUEUE_LENGTH]
        ]
        result.append(
            {
                "slug": slug,
                "title": title,
                "rows": rows,
                "count": claims.count() if len(rows) == QUEUE_LENGTH else len(rows),
                "age_kind": age_kind,
                "sortable": sortable,
            }
        )
    return result


def _context(request: HttpRequest, sort: str, people=None, **extra) -> dict:
    if people is None:
        people = list(permissions.desk_members())
    return {
        "queues": _queues(request, sort),
        "sort": sort,
        "sorts": desk.SORT_LABELS,
        "bulk_form": BulkForm(people=people, auto_id="id_bulk_%s"),
        "people": people,
        **extra,
    }


@workspace_view("GET")
def dashboard(request: HttpRequest) -> HttpResponse:
    if wants_partial(request):
        return render(request, f"{TEMPLATE}#queues", _context(request, _sort(request)))
    # The desk's version is read before the queues: a change made while they
    # are read shows on the next poll instead of being missed.
    live_version = live.desk_version()
    context = _context(request, _sort(request))
    return render(request, TEMPLATE, {**context, "live_version": live_version})


@workspace_view("POST")
def dashboard_bulk(request: HttpRequest) -> HttpResponse:
    """The bulk bar over the queues: the queues come back with the summary."""
    sort = _sort(request)
    people = list(permissions.desk_members())
    form, result = bulk_action(request, people)
    if not wants_partial(request):
        url = reverse("annotations:dashboard")
        return redirect(f"{url}?sort={sort}" if sort else url)
    context = _context(request, sort, people, bulk_result=result)
    if result is None:
        context["bulk_form"] = form
    return render(request, f"{TEMPLATE}#queues", context, status=200 if result else 422)
