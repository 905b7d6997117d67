"""Brute force on every login path: the API token endpoint, the login form
and the admin's login. Failures are counted per user name and per client
address (django-axes, in the shared cache); at the limit every attempt,
right or wrong, is refused until the cool-off ends."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import factories
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5
TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def ask_token(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        TOKEN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_the_token_endpoint_locks_a_user_name_out_after_the_limit(
    anon, editor, assert_error, row_counts
):
    before = row_counts()
    for _ in range(LIMIT - 1):
        assert_error(ask_token(anon, editor.username, "wrong"), 400, "invalid")
    locked = ask_token(anon, editor.username, "wrong")
    error = assert_error(locked, 429, "locked_out")
    assert "Too many failed login attempts. Try again in 15 minutes." in error["message"]
    assert int(locked["Retry-After"]) == 15 * 60
    # The right password does not help while the lockout lasts, from anywhere.
    right = ask_token(anon, editor.username, PASSWORD, address="198.51.100.9")
    assert_error(right, 429, "locked_out")
    assert row_counts() == before
    assert not Token.objects.exists()


def test_the_token_endpoint_locks_out_an_address_that_tries_many_user_names(
    anon, editor, assert_error
):
    for number in range(LIMIT):
        ask_token(anon, f"nobody{number}", "wrong", address="203.0.113.50")
    assert_error(ask_token(anon, editor.username, PASSWORD, address="203.0.113.50"), 429)
    # Another address is not concerned.
    assert ask_token(anon, editor.username, PASSWORD, address="198.51.100.9").status_code == 200


def test_a_success_before_the_limit_resets_the_count(anon, editor):
    for _ in range(LIMIT - 1):
        ask_token(anon, editor.username, "wrong")
    assert ask_token(anon, editor.username, PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        assert ask_token(anon, editor.username, "wrong").status_code == 400
    assert ask_token(anon, editor.username, PASSWORD).status_code == 200


def test_the_login_form_locks_out_with_a_message_and_retry_after(client, editor, row_counts):
    before = row_counts()
    for _ in range(LIMIT - 1):
        response = client.post(LOGIN, {"username": editor.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": editor.username, "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Too many failed login attempts. Try again in 15 minutes." in response.text
    assert 'role="alert"' in response.text
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert row_counts() == before
    assert "_auth_user_id" not in client.session


def test_the_admin_login_locks_out_too(client, db):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        client.post(ADMIN_LOGIN, {"username": admin.username, "password": "wrong"})
    response = client.post(ADMIN_LOGIN, {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_the_login_form_and_the_api_share_one_count(client, anon, editor, assert_error):
    wrong = {"username": editor.username, "password": "wrong"}
    for _ in range(LIMIT - 1):
        client.post(LOGIN, wrong, REMOTE_ADDR="192.0.2.4")
    locked = ask_token(anon, editor.username, "wrong", address="198.51.100.8")
    assert_error(locked, 429, "locked_out")


def test_a_successful_login_still_works_below_the_limit(client, editor):
    response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=client.session["_auth_user_id"]) == editor


# --- tokens ----------------------------------------------------------------


def test_a_token_expires_after_the_configured_days(anon, editor, settings, assert_error):
    settings.FACTCHECK_TOKEN_TTL_DAYS = 30
    issued = ask_token(anon, editor.username, PASSWORD).json()
    token = Token.objects.get(key=issued["token"])
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert anon.get("/api/v1/claims/1/history/").status_code == 404  # authenticated
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=31))
    error = assert_error(anon.get("/api/v1/claims/"), 401, "authentication_failed")
    assert "expired" in error["message"]


def test_asking_again_after_expiry_issues_a_new_token(anon, editor):
    first = ask_token(anon, editor.username, PASSWORD).json()
    Token.objects.update(created=timezone.now() - datetime.timedelta(days=31))
    second = ask_token(anon, editor.username, PASSWORD).json()
    assert second["token"] != first["token"]
    assert Token.objects.get().key == second["token"]
    expires = datetime.datetime.fromisoformat(second["expires"].replace("Z", "+00:00"))
    assert expires - timezone.now() > datetime.timedelta(days=29)


def test_the_owner_revokes_a_token_and_it_stops_working(anon, editor, assert_error):
    key = ask_token(anon, editor.username, PASSWORD).json()["token"]
    anon.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon.delete(TOKEN).status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert_error(anon.get("/api/v1/claims/"), 401, "authentication_failed")


def test_revoking_needs_a_caller(anon, assert_error):
    assert_error(anon.delete(TOKEN), 401)


def test_an_admin_revokes_a_token_in_the_admin(client, editor):
    token = Token.objects.create(user=editor)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/authtoken/tokenproxy/{editor.pk}/delete/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()
