"""Who may do what: plain predicates used by the views, the API and the admin.

Roles are Django groups. A reviewer can do all an editor can, plus approve,
request changes and retract; superusers can do everything but still obey the
four-eyes rule, which is about people, not roles. The admin role is about
people only: it manages the team (invitations, roles, deactivation) and gives
no right over claims.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

if TYPE_CHECKING:
    from annotations.models import Claim

EDITOR = "editor"
REVIEWER = "reviewer"
ADMIN = "admin"
ROLES = (EDITOR, REVIEWER)
# The roles the team page sets, in the order it shows them.
TEAM_ROLES = (EDITOR, REVIEWER, ADMIN)

# What counts as changing a claim's content, for the four-eyes rule, in the
# order a refusal names them. Opening a correction, commenting and moving the
# claim through the workflow are not content changes.
CONTENT_FIELDS = {
    "claim_text": "claim text",
    "claimant": "claimant",
    "rating": "verdict",
    "summary": "summary",
    "rationale": "rationale",
}
EVIDENCE_EVENTS = ("evidence_added", "evidence_changed", "evidence_removed")


def with_roles(queryset, user_field: str = "user"):
    """Annotate rows that point to a user with that user's roles, so that an
    authentication read gives the roles too (one query instead of two)."""
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef

    return queryset.annotate(
        **{
            f"_role_{role}": Exists(Group.objects.filter(user=OuterRef(user_field), name=role))
            for role in ROLES
        }
    )


def adopt_roles(user, row) -> None:
    """Remember the roles ``with_roles`` read on ``row`` for ``user``."""
    user._factcheck_groups = frozenset(role for role in ROLES if getattr(row, f"_role_{role}"))


def _groups(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._factcheck_groups = cached
    return cached


def is_editor(user) -> bool:
    """Editors and reviewers work in the workspace and may change claims."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return True
    return bool(_groups(user) & {EDITOR, REVIEWER})


def is_reviewer(user) -> bool:
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return True
    return REVIEWER in _groups(user)


def has_role(user, role: str) -> bool:
    if role == ADMIN:
        return is_desk_admin(user)
    return is_reviewer(user) if role == REVIEWER else is_editor(user)


def workspace_people():
    """The active users who work in the workspace (editors, reviewers and
    superusers), as a queryset: the people who can be assigned, mentioned
    and notified."""
    people = get_user_model().objects.filter(is_active=True)
    return people.filter(
        Q(is_superuser=True) | Q(pk__in=people.filter(groups__name__in=ROLES).values("pk"))
    )


def is_desk_admin(user) -> bool:
    """Admins (the "admin" role, and superusers) manage the team."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return True
    return ADMIN in _groups(user)


def can_manage_team(user) -> bool:
    return is_desk_admin(user)


def team_change_denial(actor, target) -> str | None:
    """Why ``actor`` may not change ``target``'s roles or active flag, or None.

    Superusers are managed in the Django admin: a desk admin cannot demote
    or lock out the people who administer the installation. Whether the change
    would leave the desk without an admin is ``annotations.team``'s question.
    """
    if not can_manage_team(actor):
        return "Only an admin can manage the team."
    if target.is_superuser and not actor.is_superuser:
        return f"{target.get_username()} is a superuser: only a superuser can change them."
    return None


def deactivation_denial(actor, target) -> str | None:
    """Why ``actor`` may not deactivate ``target``, or None."""
    if target.pk == actor.pk:
        return "You cannot deactivate yourself: ask another admin."
    return team_change_denial(actor, target)


def can_view_claim(user, claim: Claim) -> bool:
    """The public sees published and retracted claims; editors see everything."""
    return claim.is_public or is_editor(user)


def can_import(user) -> bool:
    return is_editor(user)


def can_edit_claim(user, claim: Claim) -> bool:
    return is_editor(user)


def article(role: str) -> str:
    return "an editor" if role == EDITOR else "a reviewer"


def content_changes_by(user, claim: Claim, events=None) -> list[str]:
    """What of ``claim``'s content ``user`` changed (claim text, claimant,
    verdict, summary, rationale, evidence), as words for a person.

    ``events`` are the claim's events when the caller loaded them (the panel
    does, for the timeline); otherwise this costs one query. A correction's
    working copy has events of its own, so only the copy's editors count.
    """
    if events is None:
        events = claim.events.filter(
            actor_id=user.pk, action__in=("edited", *EVIDENCE_EVENTS)
        ).only("actor", "action", "changes", "claim")
    changed: set[str] = set()
    for event in events:
        if event.actor_id != user.pk or event.claim_id != claim.pk:
            continue
        if event.action in EVIDENCE_EVENTS:
            changed.add("evidence")
        elif event.action == "edited":
            changed |= CONTENT_FIELDS.keys() & set(event.changes)
    labels = {**CONTENT_FIELDS, "evidence": "evidence"}
    return [label for field, label in labels.items() if field in changed]


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def denial(user, transition, claim: Claim, *, events=None) -> str | None:
    """Why ``user`` may not take ``transition`` (a ``workflow.Transition``)
    on ``claim``, or None when they may.

    Covers roles and the four-eyes rule: nobody who submitted the version
    under review or changed its content may approve it. Whether the action
    applies to the claim's current status is the workflow's question.
    """
    if not has_role(user, transition.role):
        return f"Only {article(transition.role)} can {transition.verb}."
    if transition.name == "approve":
        if claim.submitted_by_id == user.pk:
            return "You submitted this claim: a second person must approve it."
        changed = content_changes_by(user, claim, events)
        if changed:
            return f"You changed this claim's {_words(changed)}: a second person must approve it."
    return None


def desk_members():
    """``workspace_people`` by username, each with ``reviews`` telling whether
    they may review. One query, for the panel's and the bulk bar's selects."""
    from django.contrib.auth.models import Group
    from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef

    reviewer_group = Group.objects.filter(user=OuterRef("pk"), name=REVIEWER)
    return (
        workspace_people()
        .annotate(
            reviews=ExpressionWrapper(
                Q(is_superuser=True) | Q(Exists(reviewer_group)), output_field=BooleanField()
            )
        )
        .order_by(get_user_model().USERNAME_FIELD)
    )
