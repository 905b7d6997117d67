"""Fixtures for the security tests: fast password hashing, throttles at
their real settings (the API tests raise them out of the way), and a
snapshot of every table's row count to prove a refusal wrote nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def row_counts(db):
    """Call it before and after: every model's row count."""

    def counts() -> dict[str, int]:
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    return counts


@pytest.fixture
def anon() -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    return client


@pytest.fixture
def editor_api(editor) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    token, _ = Token.objects.get_or_create(user=editor)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def assert_error():
    """The API's one error shape, with the expected status."""

    def check(response, status: int, code: str | None = None) -> dict:
        assert response.status_code == status, response.content[:500]
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        body = response.json()
        assert set(body) == {"error"}
        error = body["error"]
        assert error["status"] == status
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["code"], str) and error["code"]
        if code:
            assert error["code"] == code, error
        return error

    return check
