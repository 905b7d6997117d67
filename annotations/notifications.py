"""Who is told what: the one place that turns a claim's events into
notifications, and the one parser of ``@username`` mentions.

``on_event`` is called for every ``ClaimEvent`` the workflow records, inside
its transaction: the inbox entries commit or roll back with the step, and
emails are queued only once the step has committed. Each person gets at most
one notification per event; the event's own kind (assigned, review requested,
changes requested, published, retracted) wins over a mention in the same
event's comment, unless that person has switched the kind off entirely, in
which case the mention still reaches them. Nobody is told of their own step,
and only active editors and reviewers are told anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.text import Truncator

from annotations import permissions
from annotations.models import Claim, ClaimEvent, Notification, NotificationPreference

if TYPE_CHECKING:
    from django.db.models import QuerySet

Kind = Notification.Kind
UNREAD = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
Action = ClaimEvent.Action

# Django's username characters (``UnicodeUsernameValidator``: letters,
# digits, ``_ . @ + -``). A mention is ``@`` not preceded by one of them (so
# ``name@example.org`` is no mention), and does not end in ``.``, ``@`` or
# ``-``, which are sentence punctuation far more often than part of a name.
USERNAME_CHARS = r"[\w.@+-]"
MENTION = re.compile(rf"(?<!{USERNAME_CHARS})@({USERNAME_CHARS}*[\w+])")

TEXT_LENGTH = 80
EXCERPT_LENGTH = 140


def mentioned_usernames(text: str) -> list[str]:
    """The usernames ``text`` mentions with ``@``, each once, in order of
    first appearance. Whether such a person exists is for the caller."""
    return list(dict.fromkeys(match.group(1) for match in MENTION.finditer(text or "")))


def mention_parts(text: str, known: Iterable[str]) -> list[dict[str, Any]]:
    """``text`` cut into ``{"text", "mention"}`` pieces for a template, which
    escapes each piece and emphasises those whose ``mention`` is true: the
    mentions of ``known`` usernames (unknown ``@names`` stay plain text)."""
    known = set(known)
    parts: list[dict[str, Any]] = []
    position = 0
    for match in MENTION.finditer(text or ""):
        if match.group(1) not in known:
            continue
        if match.start() > position:
            parts.append({"text": text[position : match.start()], "mention": False})
        parts.append({"text": match.group(0), "mention": True})
        position = match.end()
    if position < len(text or ""):
        parts.append({"text": text[position:], "mention": False})
    return parts


def _named(usernames: Iterable[str]) -> QuerySet:
    """The people who can be mentioned (active editors and reviewers) among
    ``usernames``, matched exactly."""
    field = get_user_model().USERNAME_FIELD
    return permissions.workspace_people().filter(**{f"{field}__in": list(usernames)})


def mentionable(usernames: Iterable[str]) -> set[str]:
    """Which of ``usernames`` belong to people who can be mentioned (active
    editors and reviewers); one query, none for no names."""
    usernames = set(usernames)
    if not usernames:
        return set()
    return set(_named(usernames).values_list(get_user_model().USERNAME_FIELD, flat=True))


# --- from an event to notifications ----------------------------------------


def _people(claim: Claim) -> list[int | None]:
    return [claim.created_by_id, claim.submitted_by_id, claim.assignee_id]


def _corrector_ids(original: Claim) -> list[int | None]:
    """The people of the working copy whose approval just corrected ``original``."""
    copy = (
        Claim.objects.filter(correction_of=original, status=Claim.Status.SUPERSEDED)
        .order_by("-updated_at", "-id")
        .values("created_by_id", "submitted_by_id", "assignee_id")
        .first()
    )
    return list(copy.values()) if copy else []


def _kind_recipients(event: ClaimEvent, claim: Claim) -> list[tuple[int | None, str]]:
    """``(user id, kind)`` pairs the event's own kind asks for, in order."""
    action, changes = event.action, event.changes or {}
    if action == Action.ASSIGNED:
        pairs = []
        if "assignee" in changes and changes["assignee"][1] is not None:
            pairs.append((claim.assignee_id, Kind.ASSIGNED))
        if (
            "reviewer" in changes
            and changes["reviewer"][1] is not None
            and claim.status == Claim.Status.IN_REVIEW
        ):
            pairs.append((claim.reviewer_id, Kind.REVIEW_REQUESTED))
        return pairs
    if action == Action.SUBMITTED and claim.reviewer_id:
        return [(claim.reviewer_id, Kind.REVIEW_REQUESTED)]
    if action == Action.CHANGES_REQUESTED:
        return [
            (claim.submitted_by_id, Kind.CHANGES_REQUESTED),
            (claim.assignee_id, Kind.CHANGES_REQUESTED),
        ]
    if action == Action.APPROVED and not claim.correction_of_id:
        return [(pk, Kind.PUBLISHED) for pk in _people(claim)]
    if action == Action.CORRECTION_PUBLISHED:
        # The working copy's approval is told here, once, on the published claim.
        return [(pk, Kind.PUBLISHED) for pk in [*_people(claim), *_corrector_ids(claim)]]
    if action == Action.RETRACTED:
        return [(pk, Kind.RETRACTED) for pk in _people(claim)]
    return []


def message(kind: str, *, actor: str, claim: Claim, event: ClaimEvent) -> str:
    """The sentence a person reads in the inbox and the email."""
    text = f"“{Truncator(str(claim)).chars(TEXT_LENGTH)}”"
    if kind == Kind.ASSIGNED:
        return f"{actor} assigned you {text}"
    if kind == Kind.REVIEW_REQUESTED:
        return f"{actor} asked you to review {text}"
    if kind == Kind.CHANGES_REQUESTED:
        note = Truncator(event.comment).chars(EXCERPT_LENGTH)
        return f"{actor} requested changes on {text}" + (f": “{note}”" if note else "")
    if kind == Kind.PUBLISHED:
        if event.action == Action.CORRECTION_PUBLISHED:
            return f"{actor} published a correction of {text}"
        return f"{actor} published {text}"
    if kind == Kind.RETRACTED:
        return f"{actor} retracted {text}"
    return f"{actor} mentioned you on {text}: “{Truncator(event.comment).chars(EXCERPT_LENGTH)}”"


def _preferences(user_ids: Iterable[int]) -> dict[tuple[int, str], NotificationPreference]:
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids))
    return {(row.user_id, row.kind): row for row in rows}


def on_event(event: ClaimEvent) -> list[Notification]:
    """Notify the people ``event`` concerns (see the module docstring), as
    inbox entries and, after commit, emails on the task queue. Returns the
    notifications written. No query at all for an event that concerns no one
    (an edit without a mention)."""
    claim = event.claim
    candidates: dict[int, list[str]] = {}
    for user_id, kind in _kind_recipients(event, claim):
        if user_id is not None:
            candidates.setdefault(user_id, []).append(kind)
    names = mentioned_usernames(event.comment)
    if names:
        for user_id in _named(names).values_list("pk", flat=True):
            candidates.setdefault(user_id, []).append(Kind.MENTIONED)
    candidates.pop(event.actor_id, None)
    if not candidates:
        return []
    allowed = set(
        permissions.workspace_people().filter(pk__in=candidates).values_list("pk", flat=True)
    )
    preferences = _preferences(allowed)
    actor = event.actor.get_username() if event.actor_id else "Someone"
    now = timezone.now()
    notifications = []
    for user_id, kinds in candidates.items():
        if user_id not in allowed:
            continue
        for kind in dict.fromkeys(kinds):
            choice = preferences.get((user_id, kind))
            inbox = choice.inbox if choice else True
            email = choice.email if choice else True
            if not (inbox or email):
                continue
            notifications.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    claim=claim,
                    event=event,
                    actor_id=event.actor_id,
                    message=message(kind, actor=actor, claim=claim, event=event)[:500],
                    in_inbox=inbox,
                    # An email-only notification is never unread in the inbox.
                    read_at=None if inbox else now,
                    # Nothing to send: marked as done so the queue never sends it.
                    emailed_at=None if email else now,
                )
            )
            break
    if not notifications:
        return []
    created = Notification.objects.bulk_create(notifications)
    to_email = [n.pk for n in created if n.emailed_at is None]
    if to_email:
        transaction.on_commit(lambda: _queue_emails(to_email), robust=True)
    return created


def _queue_emails(ids: list[int]) -> None:
    # Imported here: the task module imports the importers, which import the
    # workflow, which calls this module.
    from annotations import tasks

    for pk in ids:
        tasks.email_notification.enqueue(pk)


# --- the inbox ---------------------------------------------------------------


def inbox(user) -> QuerySet[Notification]:
    """``user``'s inbox: unread first, then newest."""
    return (
        Notification.objects.filter(recipient=user, in_inbox=True)
        .select_related("actor", "claim")
        .order_by(UNREAD.desc(), "-created_at", "-id")
    )


def unread_count(user) -> int:
    """How many of ``user``'s inbox entries are unread; one indexed count."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s unread notifications read: those of ``ids`` (other
    people's ids are left alone), or all when ``ids`` is None. Returns how
    many were marked."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
