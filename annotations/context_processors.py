"""Template context for every page."""

from __future__ import annotations

import functools

from django.http import HttpRequest

from annotations import notifications, permissions


def inbox(request: HttpRequest) -> dict:
    """``inbox_unread``: the signed-in editor's unread notification count,
    or None for anyone else. Lazy: the one indexed count runs only on a page
    that shows it, and never for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread() -> int | None:
        return notifications.unread_count(user) if permissions.is_editor(user) else None

    return {"inbox_unread": unread}
