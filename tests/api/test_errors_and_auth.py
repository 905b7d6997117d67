"""Tokens, session auth with CSRF, throttling, and the one JSON error
format for every 4xx."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import ANNO_ACCEPT

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) <= {"status", "code", "message", "fields", "current_version", "changes"}
    assert error["status"] == status and error["message"] and error["code"]
    if code:
        assert error["code"] == code
    return error


def test_any_account_gets_a_token_that_authenticates(anon, outsider, editor):
    for user in (outsider, editor):
        response = anon.post(
            "/api/v1/auth/token/",
            {"username": user.username, "password": "correct-horse-battery"},
            format="json",
        )
        assert response.status_code == 200, response.content
        token = response.json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        history = client.get("/api/v1/claims/1/history/")
        # Authenticated: 403 for the consumer, 404 (no such claim) for the editor.
        assert history.status_code == (404 if user == editor else 403)


def test_wrong_password_is_400_in_the_error_format(anon, outsider):
    response = anon.post(
        "/api/v1/auth/token/", {"username": outsider.username, "password": "nope"}, format="json"
    )
    error = assert_error(response, 400, "invalid")
    assert "non_field_errors" in error["fields"]


def test_a_bad_token_is_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(anon.get("/api/v1/claims/"), 401, "authentication_failed")


def test_session_auth_needs_csrf_for_writes(editor, article):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/claims/", {"article": article.pk, "quote": "x"}, format="json")
    error = assert_error(response, 403)
    assert "CSRF" in error["message"]
    page = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200  # the browsable API works with the session
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/claims/",
        {"article": article.pk, "quote": "unemployment fell"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


def test_unknown_api_urls_are_404_in_the_error_format(anon):
    assert_error(anon.get("/api/v1/nothing/here/"), 404, "not_found")
    assert_error(anon.get("/api/v1/claims/abc/"), 404, "not_found")


def test_405_415_406_and_malformed_json(editor_api, anon, published):
    assert_error(anon.delete(f"/api/v1/claims/{published.pk}/"), 401)
    assert_error(editor_api.put(f"/api/v1/claims/{published.pk}/", {}), 405, "method_not_allowed")
    assert_error(editor_api.delete("/api/v1/ratings/"), 405, "method_not_allowed")
    assert_error(
        editor_api.post("/api/v1/claims/", "<x/>", content_type="application/xml"),
        415,
        "unsupported_media_type",
    )
    assert_error(
        editor_api.post("/api/v1/claims/", "{not json", content_type="application/json"),
        400,
        "parse_error",
    )
    assert_error(anon.get("/api/v1/claims/", HTTP_ACCEPT="image/png"), 406, "not_acceptable")
    assert_error(anon.get("/api/v1/ratings/", HTTP_ACCEPT=ANNO_ACCEPT), 406, "not_acceptable")


def test_throttling_answers_429_with_retry_after(monkeypatch, outsider):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "4/min")
    anon = APIClient()
    assert [anon.get("/api/v1/ratings/").status_code for _ in range(2)] == [200, 200]
    limited = anon.get("/api/v1/ratings/")
    assert_error(limited, 429, "throttled")
    assert 0 < int(limited["Retry-After"]) <= 60
    # A token has its own, higher allowance.
    from tests.api.conftest import token_client

    consumer = token_client(outsider)
    assert [consumer.get("/api/v1/ratings/").status_code for _ in range(5)] == [200] * 4 + [429]


def test_inactive_accounts_get_no_token(anon, outsider):
    get_user_model().objects.filter(pk=outsider.pk).update(is_active=False)
    response = anon.post(
        "/api/v1/auth/token/",
        {"username": outsider.username, "password": "correct-horse-battery"},
        format="json",
    )
    assert_error(response, 400)
