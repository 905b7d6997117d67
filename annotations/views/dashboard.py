"""The dashboard: the desk's queues, with a claim opened beside them in the
claim panel (``views.panel``), whose actions update the queues in place."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations import permissions
from annotations.models import Claim, ClaimEvent
from annotations.views.common import wants_partial, workspace_view

QUEUE_LENGTH = 20


def _latest_request():
    """The comment of the latest "Request changes" on each claim."""
    return Subquery(
        ClaimEvent.objects.filter(claim=OuterRef("pk"), action=ClaimEvent.Action.CHANGES_REQUESTED)
        .order_by("-created_at", "-id")
        .values("comment")[:1]
    )


@workspace_view("GET")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    base = Claim.objects.select_related("article", "rating", "submitted_by")
    # Waiting time: a claim in review changes only by leaving review, so its
    # last update is its submission.
    queues = [
        ("drafts", "My drafts", base.drafts_of(user).order_by("-updated_at", "-id")),
        (
            "changes",
            "Changes requested to me",
            base.changes_requested_to(user)
            .annotate(change_request=_latest_request())
            .order_by("-changes_requested_at", "-id"),
        ),
    ]
    if permissions.is_reviewer(user):
        queues.insert(
            1,
            (
                "review",
                "Awaiting review",
                base.awaiting_review().order_by("updated_at", "id"),
            ),
        )
    queues.append(("published", "Recently published", base.recently_published()))
    context = {
        "queues": [
            {
                "slug": slug,
                "title": title,
                "claims": list(qs[:QUEUE_LENGTH]),
                "count": qs.count(),
            }
            for slug, title, qs in queues
        ]
    }
    template = "annotations/dashboard.html"
    if wants_partial(request):
        template += "#queues"
    return render(request, template, context)
