"""Template access to the team predicates (the header's "Team" link)."""

from __future__ import annotations

from django import template

from annotations import permissions

register = template.Library()


@register.filter
def can_manage_team(user) -> bool:
    return permissions.can_manage_team(user)
