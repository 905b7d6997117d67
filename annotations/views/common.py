from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from annotations import permissions


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse with 403 unless the user is an editor or reviewer (use after
    ``login_required``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_editor(request.user):
            raise PermissionDenied("The workspace is for editors and reviewers.")
        return view(request, *args, **kwargs)

    return wrapper


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request swaps a fragment; a history restore needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
