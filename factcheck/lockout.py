"""What a locked-out login attempt is told: the login page again, with how
long to wait, as 429 with Retry-After (the API's token endpoint answers the
same in its JSON shape, see ``annotations.api.tokens``)."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def retry_after_seconds(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 3600


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = math.ceil(retry_after_seconds(request) / 60)
    return (
        f"Too many failed login attempts. Try again in {minutes} minute"
        f"{'s' if minutes != 1 else ''}."
    )


class LockedOutForm(AuthenticationForm):
    """An empty login form that carries the lockout as its error, where the
    login page and the admin's show form errors."""

    def __init__(self, request: HttpRequest, *, message: str) -> None:
        super().__init__(request)
        self.message = message

    def non_field_errors(self):
        return self.error_class([self.message], error_class="nonfield")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE for the login form and the admin's login."""
    form = LockedOutForm(request, message=lockout_message(request))
    context = {"form": form, "next": ""}
    template = "registration/login.html"
    if request.path.startswith("/admin/"):
        template = "admin/login.html"
        context.update(admin.site.each_context(request))
    # Rendered now: the middleware that asks for it runs after the phase
    # in which template responses are rendered.
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
