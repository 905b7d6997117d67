"""The team: invitations, roles and deactivation.

Each write is guarded (``permissions``), atomic, and leaves one ``TeamEvent``.
A change to who holds the admin role locks the admin group's row first, so
two admins demoting each other at the same moment cannot leave the desk with
none. Refusals raise ``Refused`` with a message for a person.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.authtoken.models import Token

from annotations import permissions
from annotations.models import Invitation, TeamEvent

logger = logging.getLogger(__name__)

ROLE_LABELS = {
    permissions.EDITOR: "Editor",
    permissions.REVIEWER: "Reviewer",
    permissions.ADMIN: "Admin",
}

# Why a link that is not pending cannot be used, for the page that says so.
UNUSABLE = {
    Invitation.State.ACCEPTED: "This invitation has already been used. Log in with the "
    "account it made, or reset its password.",
    Invitation.State.REVOKED: "This invitation was withdrawn. Ask an admin for a new one.",
    Invitation.State.EXPIRED: "This invitation has expired. Ask an admin to send it again.",
}
UNKNOWN_LINK = (
    "This invitation link is not valid. Check that you opened the whole link from the email, "
    "or ask an admin to send it again."
)


class Refused(Exception):
    """A team change that may not happen; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def roles_of(user) -> list[str]:
    """``user``'s team roles in the team page's order, from its groups
    (prefetched ones when the caller loaded them)."""
    names = {group.name for group in user.groups.all()}
    return [role for role in permissions.TEAM_ROLES if role in names]


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = set(roles)
    unknown = roles - set(permissions.TEAM_ROLES)
    if unknown:
        raise Refused(f"Unknown role: {', '.join(sorted(unknown))}.")
    return [role for role in permissions.TEAM_ROLES if role in roles]


def _guard(by) -> None:
    if not permissions.can_manage_team(by):
        raise Refused("Only an admin can manage the team.")


def _record(action: str, *, by, user=None, invitation=None, changes=None) -> TeamEvent:
    return TeamEvent.objects.create(
        action=action, actor=by, user=user, invitation=invitation, changes=changes or {}
    )


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = Invitation.hash_token(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.FACTCHECK_INVITATION_DAYS)
    return token


def _lock_admins() -> None:
    Group.objects.select_for_update().get_or_create(name=permissions.ADMIN)


def _other_active_admins(user) -> bool:
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=permissions.ADMIN) | Q(is_superuser=True))
        .exclude(pk=user.pk)
        .exists()
    )


def invite(*, by, email: str, roles: Iterable[str], username: str = "") -> tuple[Invitation, str]:
    """Invite ``email`` to join with ``roles`` (and, when given, the user
    name ``username``); returns the invitation and the token of its link,
    which is stored only as a hash. Refused when the address or the name
    already has an account or an open invitation."""
    _guard(by)
    roles = _clean_roles(roles)
    if not roles:
        raise Refused("Choose at least one role.")
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    username = username.strip()
    existing = User.objects.filter(email__iexact=email).first()
    if existing and not existing.is_active:
        raise Refused(
            f"{email} belongs to {existing.get_username()}, who is deactivated: "
            "reactivate them instead."
        )
    if existing:
        raise Refused(f"{email} already has an account ({existing.get_username()}).")
    if username and User.objects.filter(username__iexact=username).exists():
        raise Refused(f"The user name {username} is taken.")
    if Invitation.objects.open().filter(email__iexact=email).exists():
        raise Refused(f"{email} has already been invited: resend that invitation instead.")
    if username and Invitation.objects.open().filter(username__iexact=username).exists():
        raise Refused(f"The user name {username} is reserved by another invitation.")
    invitation = Invitation(email=email, username=username, roles=roles, invited_by=by)
    token = _new_token(invitation)
    try:
        with transaction.atomic():
            invitation.save()
            _record(
                TeamEvent.Action.INVITED,
                by=by,
                invitation=invitation,
                changes={"email": [None, email], "roles": [[], roles]},
            )
    except IntegrityError:
        # Another admin invited the same address a moment ago.
        raise Refused(
            f"{email} has already been invited: resend that invitation instead."
        ) from None
    return invitation, token


@transaction.atomic
def resend(invitation: Invitation, *, by) -> str:
    """Give an open invitation a new link (the old one stops working) and a
    new expiry; returns the new token."""
    _guard(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state not in (Invitation.State.PENDING, Invitation.State.EXPIRED):
        raise Refused(f"The invitation to {invitation.email} is {invitation.state}.")
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _record(TeamEvent.Action.INVITATION_RESENT, by=by, invitation=invitation)
    return token


@transaction.atomic
def revoke(invitation: Invitation, *, by) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    _guard(by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state not in (Invitation.State.PENDING, Invitation.State.EXPIRED):
        raise Refused(f"The invitation to {invitation.email} is {invitation.state}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _record(TeamEvent.Action.INVITATION_REVOKED, by=by, invitation=invitation)
    return invitation


def find(token: str) -> Invitation | None:
    """The invitation whose link carries ``token``, whatever its state."""
    return Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first()


def unusable_reason(invitation: Invitation | None) -> str | None:
    """Why an invitation's link cannot be used now, or None when it can."""
    if invitation is None:
        return UNKNOWN_LINK
    return UNUSABLE.get(invitation.state)


def accept(
    token: str, *, username: str, password: str, first_name: str = "", last_name: str = ""
) -> AbstractBaseUser:
    """Make the invitee's account, active, with the invitation's roles, and
    use the invitation up. The caller has validated the name and password
    (``team_forms.AcceptInvitationForm``)."""
    User = get_user_model()
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update()
                .filter(token_hash=Invitation.hash_token(token))
                .first()
            )
            reason = unusable_reason(invitation)
            if reason:
                raise Refused(reason)
            username = invitation.username or username
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise Refused(f"{invitation.email} already has an account: log in instead.")
            if User.objects.filter(username__iexact=username).exists():
                raise Refused(f"The user name {username} is taken: choose another.")
            user = User(
                username=username,
                email=invitation.email,
                first_name=first_name,
                last_name=last_name,
                is_active=True,
            )
            user.set_password(password)
            user.save()
            for role in invitation.roles:
                user.groups.add(Group.objects.get_or_create(name=role)[0])
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            _record(
                TeamEvent.Action.JOINED,
                by=user,
                user=user,
                invitation=invitation,
                changes={"roles": [[], list(invitation.roles)]},
            )
    except IntegrityError:
        raise Refused(f"The user name {username} is taken: choose another.") from None
    return user


@transaction.atomic
def set_roles(target, *, by, roles: Iterable[str]) -> bool:
    """Give ``target`` exactly ``roles``; returns whether anything changed.
    Refused when it would leave the desk without an active admin."""
    roles = _clean_roles(roles)
    _lock_admins()
    User = get_user_model()
    target = User.objects.select_for_update().get(pk=target.pk)
    denial = permissions.team_change_denial(by, target)
    if denial:
        raise Refused(denial)
    before = roles_of(target)
    if before == roles:
        return False
    if (
        permissions.ADMIN in before
        and permissions.ADMIN not in roles
        and target.is_active
        and not target.is_superuser
        and not _other_active_admins(target)
    ):
        raise Refused(
            f"{target.get_username()} is the last admin: make someone else an admin first."
        )
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in permissions.TEAM_ROLES}
    target.groups.remove(*(groups[role] for role in before if role not in roles))
    target.groups.add(*(groups[role] for role in roles if role not in before))
    _record(TeamEvent.Action.ROLES_CHANGED, by=by, user=target, changes={"roles": [before, roles]})
    return True


@transaction.atomic
def set_active(target, *, by, active: bool) -> AbstractBaseUser:
    """Deactivate ``target`` (they can no longer log in, their sessions end
    and their API token is deleted) or reactivate them. Their claims, events
    and assignments stay as they are."""
    _lock_admins()
    User = get_user_model()
    target = User.objects.select_for_update().get(pk=target.pk)
    denial = (
        permissions.team_change_denial(by, target)
        if active
        else permissions.deactivation_denial(by, target)
    )
    if denial:
        raise Refused(denial)
    name = target.get_username()
    if target.is_active == active:
        raise Refused(f"{name} is already {'active' if active else 'deactivated'}.")
    if not active and permissions.ADMIN in roles_of(target) and not _other_active_admins(target):
        raise Refused(f"{name} is the last admin: make someone else an admin first.")
    target.is_active = active
    target.save(update_fields=["is_active"])
    if not active:
        # DRF refuses an inactive user's token anyway; deleting it means a
        # reactivated account starts without old credentials in the wild.
        Token.objects.filter(user=target).delete()
    _record(
        TeamEvent.Action.REACTIVATED if active else TeamEvent.Action.DEACTIVATED,
        by=by,
        user=target,
        changes={"is_active": [not active, active]},
    )
    return target


def send_invitation(invitation: Invitation, *, link: str) -> bool:
    """Email the invitation's link; returns False (and logs) when the mail
    server refused or could not be reached, so the admin can resend."""
    context = {
        "invitation": invitation,
        "link": link,
        "roles": [ROLE_LABELS[role] for role in invitation.roles],
        "inviter": invitation.invited_by,
        "days": settings.FACTCHECK_INVITATION_DAYS,
    }
    subject = render_to_string("registration/invitation_subject.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("registration/invitation_email.txt", context),
        to=[invitation.email],
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation to %s", invitation.email)
        return False
    return True
