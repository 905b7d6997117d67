"""The inbox: a person's notifications, marking them read, choosing which
kinds arrive in the inbox and by email, and the people that ``@mentions``
complete to. Who is notified of what is ``annotations.notifications``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from annotations import notifications, permissions
from annotations.forms import NotificationPreferencesForm
from annotations.models import Notification
from annotations.views.common import wants_partial, workspace_view

PAGE_LENGTH = 50
PEOPLE_LIMIT = 8


def _inbox(request: HttpRequest) -> HttpResponse:
    # A mark-read form says which page it was on, so the list stays there.
    number = request.GET.get("page") or request.POST.get("page")
    page = Paginator(notifications.inbox(request.user), PAGE_LENGTH).get_page(number)
    context = {
        "page": page,
        "notifications": list(page.object_list),
        "unread": notifications.unread_count(request.user),
    }
    template = "annotations/inbox.html"
    if wants_partial(request):
        template += "#inbox"
    return render(request, template, context)


@workspace_view("GET")
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request)


@require_GET
def inbox_count(request: HttpRequest) -> HttpResponse:
    """The header's inbox link, polled: new notifications show on every
    workspace page without a reload. Anyone no longer signed in as an editor
    gets 204, so a lapsed session never swaps a login page into the header."""
    if not permissions.is_editor(request.user):
        return HttpResponse(status=204)
    context = {"inbox_unread": notifications.unread_count(request.user)}
    return render(request, "annotations/_inbox_count.html", context)


@workspace_view("GET")
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its claim, marking it read on the way."""
    notification = get_object_or_404(
        Notification.objects.select_related("claim"), pk=pk, recipient=request.user
    )
    notifications.mark_read(request.user, [notification.pk])
    return redirect(notification.claim.get_absolute_url())


@workspace_view("POST")
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(request.user, [pk])
    if request.htmx:
        return _inbox(request)
    return redirect("annotations:inbox")


@workspace_view("POST")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(request.user)
    if request.htmx:
        return _inbox(request)
    return redirect("annotations:inbox")


@workspace_view("GET", "POST")
def notification_settings(request: HttpRequest) -> HttpResponse:
    choices = {row.kind: row for row in request.user.notification_preferences.all()}
    form = NotificationPreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        form.save(request.user)
        messages.success(request, "Your notification settings are saved.")
        return redirect("annotations:notification_settings")
    return render(
        request,
        "annotations/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


@workspace_view("GET")
def people(request: HttpRequest) -> JsonResponse:
    """Who ``@`` can mention, for the comment boxes' autocomplete: active
    editors and reviewers other than the caller whose username or name starts
    with ``q``, at most eight, as ``{"results": [{"username", "name"}]}``."""
    query = request.GET.get("q", "").strip().lstrip("@")[:150]
    field = get_user_model().USERNAME_FIELD
    # Mentioning oneself notifies nobody.
    people = permissions.workspace_people().exclude(pk=request.user.pk)
    if query:
        people = people.filter(
            Q(**{f"{field}__istartswith": query})
            | Q(first_name__istartswith=query)
            | Q(last_name__istartswith=query)
        )
    results = [
        {"username": person.get_username(), "name": person.get_full_name()}
        for person in people.order_by(field)[:PEOPLE_LIMIT]
    ]
    return JsonResponse({"results": results})
