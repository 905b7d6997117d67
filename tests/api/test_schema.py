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
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

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
    ("get", "/api/v1/articles/{id}/sentences/"),
    ("get", "/api/v1/ratings/"),
    ("get", "/api/v1/changes/"),
    ("get", "/api/v1/stats/"),
    ("get", "/api/v1/notifications/"),
    ("post", "/api/v1/notifications/read/"),
    ("post", "/api/v1/auth/token/"),
    ("delete", "/api/v1/auth/token/"),
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


# Writes refuse some schema-valid bodies for rules a schema cannot state (a
# quote that does not occur in the article, a comment the transition needs,
# text with control characters, wrong credentials): that 400 is documented.
# Every other check keeps its defaults.
CONFIG = """
[[operations]]
include-method-regex = "^(POST|PATCH|DELETE)$"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "400", "401", "403", "404", "409", "412", "428", "429",
]

# The rating scale is data, edited in the admin, so the schema cannot list
# its slugs; an unknown one is a 400 (tests/api/test_claims_read.py).
[[operations]]
include-method = "GET"
include-path = "/api/v1/claims/"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "400", "401", "403", "404", "409", "429",
]

# A period is refused when it is longer than 260 weeks, ends before it
# starts, or gives weeks and dates together; valid dates in the schema can
# ask for any of these (tests/test_stats.py).
[[operations]]
include-method = "GET"
include-path = "/api/v1/stats/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "429"]
"""


def fuzz(operation, token: str, mode: GenerationMode):
    """A hypothesis test of one operation, anonymous and as an editor, with
    every check schemathesis has (server errors, status codes, content types,
    headers and bodies against the schema, positive data accepted, auth).

    Invalid (negative) data runs every check but one: an empty query
    parameter (``?status=``) means "no filter", as in django-filter, which
    schemathesis counts as accepting a value outside the schema."""

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
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
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{operation.method} {operation.path}: {response.status_code}\n"
                f"{case.as_curl_command()}\n{response.text[:2000]}"
            )
            excluded = [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []
            case.validate_response(response, headers=headers, excluded_checks=excluded)

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
        config = schemathesis.config.SchemathesisConfig.from_str(CONFIG)
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=config)
        checked = 0
        negated_nothing: list[str] = []
        for result in schema.get_all_operations():
            fuzz(result.ok(), token, GenerationMode.POSITIVE)()
            try:
                fuzz(result.ok(), token, GenerationMode.NEGATIVE)()
            except hypothesis.errors.Unsatisfiable:
                # Nothing in this operation can be made invalid (no parameters
                # or body); the positive run covered it.
                negated_nothing.append(result.ok().path)
            checked += 1
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert checked == len(OPERATIONS)
    assert len(negated_nothing) < len(OPERATIONS) // 2, negated_nothing
