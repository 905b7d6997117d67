"""Team management for admins: invite people by email, set their roles,
deactivate and reactivate them; the page where an invitee accepts; and the
capped password reset everyone can ask for.

Every write is a plain POST form (CSRF) answered by a redirect back to the
team page; a refusal re-renders the page with its reason and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from annotations import permissions, team
from annotations.models import Invitation, TeamEvent
from annotations.team_forms import AcceptInvitationForm, InviteForm, RolesForm
from factcheck.clientip import client_ip

View = Callable[..., HttpResponse]
TEMPLATE = "annotations/team.html"
RECENT_EVENTS = 30
# Password reset emails per hour, per client address and per address asked
# for: enough for a person who mistyped, too few to flood someone's inbox.
RESET_LIMIT = 5
RESET_WINDOW = 3600


def team_view(*methods: str) -> Callable[[View], View]:
    """A view of the team page: only ``methods``, logged in, an admin."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not permissions.can_manage_team(request.user):
                raise PermissionDenied("Only admins manage the team.")
            return view(request, *args, **kwargs)

        return require_http_methods(list(methods))(login_required(wrapper))

    return decorate


def _members(actor) -> list[dict]:
    User = get_user_model()
    users = User.objects.order_by("-is_active", "username").prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("id", "name"))
    )
    return [
        {
            "user": user,
            "roles": team.roles_of(user),
            "locked": permissions.team_change_denial(actor, user),
            "is_self": user.pk == actor.pk,
        }
        for user in users
    ]


def _page(request: HttpRequest, *, invite_form=None, error: str = "", status: int = 200):
    context = {
        "members": _members(request.user),
        "invitations": Invitation.objects.open().select_related("invited_by"),
        "events": TeamEvent.objects.select_related("actor", "user", "invitation")[:RECENT_EVENTS],
        "invite_form": invite_form or InviteForm(),
        "role_choices": [(role, team.ROLE_LABELS[role]) for role in permissions.TEAM_ROLES],
        "error": error,
    }
    return render(request, TEMPLATE, context, status=status)


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("annotations:invitation_accept", args=[token]))


def _sent(request: HttpRequest, invitation: Invitation, token: str, done: str) -> None:
    if team.send_invitation(invitation, link=_link(request, token)):
        messages.success(request, f"{done} {invitation.email}.")
    else:
        messages.error(
            request,
            f"The invitation to {invitation.email} is saved, but the email could not be "
            "sent: try “Resend” later.",
        )


@team_view("GET")
def team_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@team_view("POST")
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _page(request, invite_form=form, status=422)
    try:
        invitation, token = team.invite(by=request.user, **form.cleaned_data)
    except team.Refused as refusal:
        form.add_error(None, refusal.message)
        return _page(request, invite_form=form, status=422)
    _sent(request, invitation, token, "Invitation sent to")
    return redirect("annotations:team")


@team_view("POST")
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        token = team.resend(invitation, by=request.user)
    except team.Refused as refusal:
        return _page(request, error=refusal.message, status=409)
    invitation.refresh_from_db()
    _sent(request, invitation, token, "Invitation sent again to")
    return redirect("annotations:team")


@team_view("POST")
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        team.revoke(invitation, by=request.user)
    except team.Refused as refusal:
        return _page(request, error=refusal.message, status=409)
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("annotations:team")


@team_view("POST")
def member_roles(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        return _page(request, error="Choose roles from the list.", status=422)
    try:
        changed = team.set_roles(member, by=request.user, roles=form.cleaned_data["roles"])
    except team.Refused as refusal:
        return _page(request, error=refusal.message, status=409)
    if changed:
        messages.success(request, f"Roles of {member.get_username()} saved.")
    if member.pk == request.user.pk and not permissions.can_manage_team(
        get_user_model().objects.get(pk=member.pk)
    ):
        # They gave up the admin role: the team page is no longer theirs.
        return redirect("annotations:article_list")
    return redirect("annotations:team")


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=pk)
    try:
        team.set_active(member, by=request.user, active=active)
    except team.Refused as refusal:
        return _page(request, error=refusal.message, status=409)
    done = "reactivated" if active else "deactivated: they can no longer log in"
    messages.success(request, f"{member.get_username()} {done}.")
    return redirect("annotations:team")


@team_view("POST")
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@team_view("POST")
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a name and a password, then log in. A
    link that is unknown, used, withdrawn or expired gets a page saying so."""
    invitation = team.find(token)
    reason = team.unusable_reason(invitation)
    if reason:
        status = 404 if invitation is None else 410
        return render(
            request, "registration/invitation_invalid.html", {"reason": reason}, status=status
        )
    if request.user.is_authenticated:
        return render(
            request, "registration/invitation_invalid.html", {"signed_in": True}, status=409
        )
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = team.accept(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except team.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, f"Welcome, {user.get_username()}: your account is ready. Log in."
            )
            return redirect("login")
    status = 422 if form.is_bound else 200
    roles = [team.ROLE_LABELS[role] for role in invitation.roles]
    context = {"form": form, "invitation": invitation, "roles": roles}
    return render(request, "registration/invitation_accept.html", context, status=status)


def _count(key: str) -> int:
    cache.add(key, 0, RESET_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        return 1


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with a cap on the emails it sends (see
    RESET_LIMIT). Over the cap the answer is the same "check your email"
    page, so it reveals nothing, but no email goes out."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        keys = [
            f"password-reset:ip:{client_ip(self.request)}",
            f"password-reset:email:{hashlib.sha256(email.encode()).hexdigest()}",
        ]
        counts = [_count(key) for key in keys]
        if max(counts) > RESET_LIMIT:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
