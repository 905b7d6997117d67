"""Live updates: what an open page polls to learn what others changed.

Each answer is a 204 No Content (htmx swaps nothing) while the version the
page shows is current, and otherwise the changed part with its new version:
the reader (highlights and claim list) of an article, or for the dashboard a
small marker whose swap tells the queues to reload. Both also say which
claims have newer events, so an open claim panel can refresh itself or, when
it holds unsaved input, offer a reload instead (static/js/live.js).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from annotations import live, permissions
from annotations.models import Article
from annotations.views import panel

View = Callable[..., HttpResponse]


def live_view(view: View) -> View:
    """A read-only poll for editors and reviewers. Anyone else gets a 403
    rather than the login redirect: a poll that followed it would swap the
    login page into the article."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_editor(request.user):
            raise PermissionDenied("Live updates are for editors and reviewers.")
        return view(request, *args, **kwargs)

    return require_GET(never_cache(wrapper))


def _unchanged() -> HttpResponse:
    return HttpResponse(status=204)


@live_view
def article_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The reader of article ``pk`` if it changed since ``?since=``, else 204."""
    since = request.GET.get("since", "")
    version = live.article_version(pk)
    if version is None:
        raise Http404("No such article.")
    if version == since:
        return _unchanged()
    article = get_object_or_404(Article, pk=pk)
    context = panel.reader_context(request, article, live_version=version)
    context["live_claims"] = live.changed_claims(since, article_pk=pk, others_than=request.user)
    return render(request, "annotations/article_detail.html#reader", context)


@live_view
def desk_changes(request: HttpRequest) -> HttpResponse:
    """A new marker for the dashboard if the desk changed since ``?since=``,
    else 204; once swapped in, it has the queues reload (``claimChanged``)."""
    since = request.GET.get("since", "")
    version = live.desk_version()
    if version == since:
        return _unchanged()
    context = {
        "live_version": version,
        "live_claims": live.changed_claims(since, others_than=request.user),
    }
    response = render(request, "annotations/_desk_live.html", context)
    # After the swap: a marker kept out by the person's selection or unsaved
    # input keeps its old version, and the queues stay as they are.
    return trigger_client_event(response, "claimChanged", {"live": True}, after="swap")
