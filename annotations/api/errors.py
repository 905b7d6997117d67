"""One JSON error format for every 4xx the API answers.

``{"error": {"status": 412, "code": "stale_version", "message": "...",
"fields": {...}}}``: DRF's own exceptions, the workflow's refusals and the
importer's rejections all pass through ``exception_handler``; URLs that match
no route under /api/ get the same shape from ``page_not_found``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations import workflow
from annotations.importers import ImportRejected

# Transitions, edits and evidence all answer a stale version with 412: the
# client's precondition (If-Match or ``version``) failed. 409 is kept for
# "this action does not apply in the claim's current state".
STALE_STATUS = status.HTTP_412_PRECONDITION_FAILED


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "This request changes a claim: send the claim's ETag in If-Match "
        "(or its version in the body) so that nobody's edit is overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """If-Match names no version of this claim."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"

    def __init__(self, claim, message: str) -> None:
        super().__init__(message)
        self.claim = claim


def error_body(
    status_code: int, code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def _flatten(detail: Any) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def _codes(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) for item in detail]
    return [str(detail)]


def _workflow_response(exc: workflow.WorkflowError) -> Response:
    if isinstance(exc, workflow.StaleVersion):
        claim = exc.claim
        return Response(
            error_body(
                STALE_STATUS,
                "stale_version",
                exc.message,
                current_version=claim.version,
                changes=exc.changes,
            ),
            status=STALE_STATUS,
            headers={"ETag": claim.etag()},
        )
    if isinstance(exc, workflow.Duplicate):
        existing = reverse("api:claim-detail", args=[exc.existing.pk])
        body = error_body(409, "duplicate", exc.message, existing=existing)
        return Response(body, status=409)
    if isinstance(exc, workflow.NotAllowed):
        return Response(error_body(403, "not_allowed", exc.message), status=403)
    if isinstance(exc, workflow.NotApplicable):
        return Response(error_body(409, "not_applicable", exc.message), status=409)
    fields = getattr(exc, "errors", None) or None
    return Response(error_body(400, "invalid", exc.message, fields), status=400)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error in the one format."""
    if isinstance(exc, workflow.WorkflowError):
        return _workflow_response(exc)
    if isinstance(exc, PreconditionFailed):
        return Response(
            error_body(
                STALE_STATUS, "stale_version", str(exc.detail), current_version=exc.claim.version
            ),
            status=STALE_STATUS,
            headers={"ETag": exc.claim.etag()},
        )
    if isinstance(exc, ImportRejected):
        return Response(error_body(400, "import_rejected", exc.message), status=400)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(413, "too_large", TOO_LARGE), status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body(400, "bad_request", str(exc) or "Bad request."), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(detail, dict):
            fields = _codes(detail)
            message = "The request is not valid: " + _flatten(detail)
        else:
            fields = {"non_field_errors": _codes(detail)}
            message = _flatten(detail)
        code = "invalid"
    else:
        fields = None
        message = _flatten(detail)
        code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, str):
            code = codes
    response.data = error_body(response.status_code, code, message, fields)
    return response


TOO_LARGE = "The request body is larger than the limit this server accepts."


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: JSON under /api/ (a body over the size limit is 413)."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(error_body(413, "too_large", TOO_LARGE), status=413)
    return JsonResponse(error_body(400, "bad_request", "Bad request."), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same shape under /api/, with nothing about the cause
    (that goes to the log)."""
    if not is_api(request):
        return defaults.server_error(request)
    return JsonResponse(
        error_body(500, "server_error", "The server could not answer this request."), status=500
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(404, "not_found", f"No API endpoint at {request.path}."), status=404
        )
    return defaults.page_not_found(request, exception)
