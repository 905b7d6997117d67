from __future__ import annotations

from django import template

from annotations import live

register = template.Library()


@register.simple_tag
def desk_version() -> str:
    """The desk's version, for the dashboard's live-update marker on a page
    whose view does not compute it."""
    return live.desk_version()
