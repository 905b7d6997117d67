"""Project-wide response rules that no single view owns."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from annotations.api.errors import error_body

PRIVATE_PREFIXES = ("/accounts/", "/admin/")


def private_cache_middleware(get_response: Callable) -> Callable:
    """``Cache-Control: private, no-store`` on everything an authenticated
    caller receives (editor pages, drafts through the API) and on the login
    and admin pages, so that no shared cache or browser history keeps them.
    Anonymous public reads stay cacheable."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            PRIVATE_PREFIXES
        ):
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response

    return middleware


def request_line_limit_middleware(get_response: Callable) -> Callable:
    """Refuse an over-long URL with 414 before any view parses it; under
    /api/ in the API's JSON error shape. (gunicorn's own, higher limit
    answers in plain HTML; see gunicorn.conf.py.)"""

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.FACTCHECK_REQUEST_LINE_MAX
        length = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
        if length > limit:
            message = f"The URL is {length:,} characters long; the limit is {limit:,}."
            if request.path_info.startswith("/api/"):
                return JsonResponse(error_body(414, "uri_too_long", message), status=414)
            return HttpResponse(message, status=414, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
