from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from annotations import permissions

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Refuse with 403 unless the user is an editor or reviewer (use after
    ``login_required``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.is_editor(request.user):
            raise PermissionDenied("The workspace is for editors and reviewers.")
        return view(request, *args, **kwargs)

    return wrapper


def workspace_view(*methods: str) -> Callable[[View], View]:
    """A view of the workspace: only ``methods``, logged in, editor or reviewer."""

    def decorate(view: View) -> View:
        return require_http_methods(list(methods))(login_required(editor_required(view)))

    return decorate


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request swaps a fragment; a history restore needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
