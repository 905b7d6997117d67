from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from annotations import bulk, permissions
from annotations.forms import BulkForm

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


def bulk_action(request: HttpRequest, people) -> tuple[BulkForm, bulk.Result | None]:
    """Run the bulk bar's POST: the bound form (with its errors when it did
    not validate) and the per-claim result when it ran. A plain POST gets the
    summary as messages, for the page it is redirected back to."""
    form = BulkForm(request.POST, people=people, auto_id="id_bulk_%s")
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = bulk.apply(
            data["claim"],
            data["action"],
            by=request.user,
            assignee=data["assignee"],
            due=data["due"],
            note=data["note"],
        )
    if not wants_partial(request):
        if result is None:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        else:
            if result.succeeded:
                messages.success(
                    request, f"{result.label}: done for {len(result.succeeded)} claim(s)."
                )
            for outcome in result.failed:
                name = f"“{outcome.claim}”" if outcome.claim else f"Claim #{outcome.claim_id}"
                messages.error(request, f"{result.label}: not done for {name}: {outcome.message}")
    return form, result
