"""The OpenAPI schema: valid, complete, exercised by schemathesis, and the
docs served offline from the app's own static files."""

from __future__ import annotations

import re

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api.conftest import QUOTES, publish

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/claims/"),
    ("post", "/api/v1/claims/"),
    ("get", "/api/v1/claims/{id}/"),
    ("patch", "/api/v1/claims/{id}/"),
    ("get", "/api/v1/claims/{id}/claimreview/"),
    ("post", "/api/v1/claims/{id}/evidence/"),
    ("patch", "/api/v1/claims/{id}/evidence/{evidence_id}/"),
    ("delete", "/api/v1/claims/{id}/evidence/{evidence_id}/"),
    ("post", "/api/v1/claims/{id}/transitions/"),
    ("get", "/api/v1/claims/{id}/history/"),
    ("get", "/api/v1/claims/export.ndjson"),
    ("get", "/api/v1/claims/export.csv"),
    ("get", "/api/v1/claims/search/"),
    ("get", "/api/v1/claims/similar/"),
    ("get", "/api/v1/articles/"),
    ("post", "/api/v1/articles/"),
    ("get", "/api/v1/articles/{id}/"),
    ("get", "/api/v1/articles/{id}/annotations/"),
    ("get", "/api/v1/ratings/"),
    ("get", "/api/v1/changes/"),
    ("post", "/api/v1/auth/token/"),
}


@pytest.fixture
def schema_json(anon) -> dict:
    response = anon.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema_json):
    validate(schema_json)


def test_every_endpoint_is_described(schema_json):
    described = {
        (method, path)
        for path, item in schema_json["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "put", "delete"}
    }
    assert described == OPERATIONS
    for path, item in schema_json["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)


def test_the_feed_documents_why_it_never_skips(schema_json):
    description = schema_json["paths"]["/api/v1/changes/"]["get"]["description"]
    assert "gapless" in description and "lock" in description and "commit" in description


def test_docs_reference_only_the_apps_own_static_files(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    for reference in references:
        assert reference.startswith("/static/") or reference.startswith("/api/docs/"), reference
    assert "<script>" not in html and "<style" not in html  # the CSP forbids inline code
    script = anon.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


def fuzz(operation, token: str):
    """A hypothesis test of one operation: anonymous for reads, and as an
    editor for everything."""

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=12,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        for headers in ({}, {"Authorization": f"Token {token}"}):
            if operation.method.upper() != "GET" and not headers:
                continue
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{operation.method} {operation.path}: {response.status_code}\n"
                f"{case.as_curl_command()}\n{response.text[:2000]}"
            )
            case.validate_response(
                response,
                checks=[
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
                headers=headers,
            )

    return exercise


def test_schemathesis_finds_no_server_error_and_answers_conform_to_the_schema(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    article = factories.ArticleFactory()
    publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    token = Token.objects.create(user=editor).key
    app = get_wsgi_application()
    # As Django's test client does: a request must not close the connection
    # that holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        checked = 0
        for result in schema.get_all_operations():
            fuzz(result.ok(), token)()
            checked += 1
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert checked == len(OPERATIONS)
