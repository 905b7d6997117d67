"""Deployment defaults: HTTPS only with HSTS, private caching of what an
authenticated caller sees, ``check --deploy`` clean under the README's
production settings, and a development checkout whose commands work as the
README writes them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.settings import read_env_file

ROOT = Path(__file__).resolve().parents[2]
# The README's "Serving in production" variables.
PRODUCTION = {
    "SECRET_KEY": "x7-production-like-secret-key-of-enough-length-and-variety-0123456789",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    "DATABASE_URL": "postgres://factcheck@db/factcheck",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "NUM_PROXIES": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}
OURS = ("SECRET_KEY", "DEBUG", "SECURE_", "ALLOWED_HOSTS", "STATICFILES", "REDIS_", "NUM_PROXIES")
# The browser tests allow async-unsafe calls in their process; production never does.
CLEAN_ALSO = ("DJANGO_ALLOW_ASYNC_UNSAFE",)
CLEAN = {key: value for key, value in os.environ.items() if not key.startswith(OURS + CLEAN_ALSO)}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, env: dict[str, str]) -> str:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip()


def test_check_deploy_is_clean_under_the_readmes_production_settings(tmp_path):
    env = {**CLEAN, **PRODUCTION, "FACTCHECK_ENV_FILE": str(tmp_path / "none")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_https_only_with_hsts(tmp_path):
    env = {**CLEAN, **PRODUCTION, "FACTCHECK_ENV_FILE": str(tmp_path / "none")}
    assert setting("SECURE_SSL_REDIRECT", env) == "True"
    assert setting("SECURE_HSTS_SECONDS", env) == "31536000"
    assert setting("CSRF_COOKIE_HTTPONLY", env) == "True"
    assert setting("SESSION_COOKIE_SECURE", env) == "True"
    behind_proxy = {**env, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
    assert setting("SECURE_PROXY_SSL_HEADER", behind_proxy) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert setting("SECURE_SSL_REDIRECT", {**env, "SECURE_SSL_REDIRECT": "0"}) == "False"


def test_make_writes_a_local_env_that_lets_manage_py_run_as_the_readme_shows(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    subprocess.run(["make", "-s", ".env"], cwd=tmp_path, check=True, capture_output=True)
    written = (tmp_path / ".env").read_text()
    assert "DEBUG=1" in written and "SECRET_KEY=" in written
    # Without it, a bare command stops for want of a key; with it, it runs.
    bare = {**CLEAN, "FACTCHECK_ENV_FILE": str(tmp_path / "none")}
    refused = manage("import_articles", "--help", env=bare)
    assert refused.returncode != 0 and "Set SECRET_KEY" in refused.stderr
    result = manage(
        "import_articles", "--help", env={**bare, "FACTCHECK_ENV_FILE": str(tmp_path / ".env")}
    )
    assert result.returncode == 0, result.stderr


def test_the_environment_wins_over_the_env_file(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("# local\nFACTCHECK_T1=from-file\nFACTCHECK_T2='quoted'\n")
    monkeypatch.setenv("FACTCHECK_T1", "from-environment")
    monkeypatch.delenv("FACTCHECK_T2", raising=False)
    read_env_file(env_file)
    assert os.environ["FACTCHECK_T1"] == "from-environment"
    assert os.environ["FACTCHECK_T2"] == "quoted"
    monkeypatch.delenv("FACTCHECK_T2")


# --- responses ---------------------------------------------------------------


@pytest.mark.django_db
def test_plain_http_is_redirected_and_https_answers_carry_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/api/v1/ratings/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/ratings/"
    secure = client.get("/api/v1/ratings/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_authenticated_pages_and_api_answers_are_private_and_not_stored(client, editor, published):
    client.force_login(editor)
    article = f"/articles/{published.article_id}/"
    for url in ("/", article, "/dashboard/", f"/api/v1/claims/{published.pk}/", "/api/v1/claims/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


@pytest.mark.django_db
def test_token_callers_get_private_answers_and_the_public_may_cache(anon, editor_api, published):
    url = f"/api/v1/claims/{published.pk}/"
    editor = editor_api.get(url)
    assert "no-store" in editor["Cache-Control"] and "private" in editor["Cache-Control"]
    public = anon.get(url)
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_login_page_is_not_stored(client):
    response = client.get("/accounts/login/")
    assert "no-store" in response["Cache-Control"]
    assert response.cookies["csrftoken"]["httponly"] is True
