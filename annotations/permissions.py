"""Who may do what: plain predicates used by the views, the API and the admin.

Roles are Django groups. A reviewer can do all an editor can, plus approve,
request changes and retract; superusers can do everything but still obey the
four-eyes rule, which is about people, not roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotations.models import Claim

EDITOR = "editor"
REVIEWER = "reviewer"
ROLES = (EDITOR, REVIEWER)

# The role each workflow action needs.
ACTION_ROLES = {
    "submit": EDITOR,
    "approve": REVIEWER,
    "request_changes": REVIEWER,
    "dismiss": EDITOR,
    "reopen": EDITOR,
    "retract": REVIEWER,
    "start_correction": EDITOR,
}


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
    return is_reviewer(user) if role == REVIEWER else is_editor(user)


def can_view_claim(user, claim: Claim) -> bool:
    """The public sees published and retracted claims; editors see everything."""
    return claim.is_public or is_editor(user)


def can_import(user) -> bool:
    return is_editor(user)


def can_edit_claim(user, claim: Claim) -> bool:
    return is_editor(user)


def denial(user, action: str, claim: Claim) -> str | None:
    """Why ``user`` may not take ``action`` on ``claim``, or None when they may.

    Covers roles and the four-eyes rule; whether the action applies to the
    claim's current status is the workflow's question.
    """
    role = ACTION_ROLES.get(action)
    if role is None:
        return f"Unknown action {action!r}."
    if not has_role(user, role):
        return f"Only a {role} can {action.replace('_', ' ')} a claim."
    if action == "approve":
        if claim.submitted_by_id == user.pk:
            return "You submitted this claim: a second person must approve it."
        if claim.verdict_changed_by_id == user.pk:
            return (
                "You last changed this claim's verdict, summary or evidence: "
                "a second person must approve it."
            )
        if user.pk in claim.verdict_author_ids():
            return (
                "You changed this claim's verdict, summary or evidence: "
                "a second person must approve it."
            )
    return None
