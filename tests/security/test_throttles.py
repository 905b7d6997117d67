"""Throttles that hold: the client address comes from a configured proxy
depth (X-Forwarded-For is ignored unless NUM_PROXIES says how many proxies
write it), and the counters live in a cache every worker shares."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from factcheck.clientip import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = "/api/v1/claims/"
RATE = 3


@pytest.fixture(autouse=True)
def tight_rates(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", f"{RATE}/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", f"{RATE * 2}/min")


@pytest.fixture
def proxies(settings):
    def use(count: int) -> None:
        settings.NUM_PROXIES = count
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
        assert count == api_settings.NUM_PROXIES

    return use


def spoofing(anon, number: int, **extra):
    return anon.get(CLAIMS, HTTP_X_FORWARDED_FOR=f"10.9.8.{number}", **extra)


def test_anonymous_callers_get_429_with_retry_after_in_the_json_shape(anon, assert_error):
    for _ in range(RATE):
        assert anon.get(CLAIMS).status_code == 200
    response = anon.get(CLAIMS)
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle_without_proxies(
    anon, proxies, assert_error
):
    proxies(0)
    statuses = [spoofing(anon, number).status_code for number in range(RATE + 3)]
    assert statuses.count(200) == RATE
    assert_error(spoofing(anon, 99), 429, "throttled")


def test_behind_one_proxy_the_address_it_appends_is_the_client(anon, proxies, assert_error):
    proxies(1)
    # The client writes what it likes on the left; the proxy appends what it saw.
    for number in range(RATE):
        forged = f"10.9.8.{number}, 203.0.113.5"
        assert anon.get(CLAIMS, HTTP_X_FORWARDED_FOR=forged).status_code == 200
    assert_error(anon.get(CLAIMS, HTTP_X_FORWARDED_FOR="10.9.8.77, 203.0.113.5"), 429)
    # Another client behind the same proxy has its own count.
    assert anon.get(CLAIMS, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


def test_the_login_lockout_counts_the_same_client_address(rf, proxies, settings):
    proxies(0)
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1", REMOTE_ADDR="192.0.2.1")
    assert client_ip(request) == "192.0.2.1"
    proxies(2)
    request = rf.get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 192.0.2.10", REMOTE_ADDR="192.0.2.1"
    )
    assert client_ip(request) == "203.0.113.9"
    assert settings.AXES_CLIENT_IP_CALLABLE == "factcheck.clientip.client_ip"


def test_spoofed_addresses_do_not_escape_the_login_lockout(anon, editor, settings, assert_error):
    settings.AXES_FAILURE_LIMIT = 3
    for number in range(3):
        anon.post(
            "/api/v1/auth/token/",
            {"username": f"someone{number}", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{number}",
        )
    response = anon.post(
        "/api/v1/auth/token/",
        {"username": editor.username, "password": "correct-horse-battery"},
        format="json",
        HTTP_X_FORWARDED_FOR="10.1.1.200",
    )
    assert_error(response, 429, "locked_out")


def shared_cache_counts_for_everyone(anon, settings, backend: dict, assert_error) -> None:
    """Throttle as one worker, then read the count as another would: through
    a cache connection of its own, which sees the same store."""
    settings.CACHES = {"default": backend}
    caches["default"].clear()
    for _ in range(RATE):
        assert anon.get(CLAIMS).status_code == 200
    other_worker = caches.create_connection("default")
    assert other_worker is not caches["default"]
    assert len(other_worker.get("throttle_anon_127.0.0.1", [])) == RATE
    assert_error(anon.get(CLAIMS), 429)
    other_worker.clear()
    assert anon.get(CLAIMS).status_code == 200


def test_the_database_cache_is_shared_by_workers(anon, settings, assert_error):
    backend = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
    }
    shared_cache_counts_for_everyone(anon, settings, backend, assert_error)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM factcheck_cache")
        assert cursor.fetchone()[0] >= 1


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return url


def test_the_redis_cache_is_shared_by_workers(anon, settings, assert_error):
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(),
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    shared_cache_counts_for_everyone(anon, settings, backend, assert_error)


@pytest.mark.parametrize(
    ("redis", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_settings_pick_redis_when_redis_url_is_set_and_the_database_otherwise(redis, backend):
    env = {**os.environ, "SECRET_KEY": "x", "DEBUG": "0", "REDIS_URL": redis}
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert output.stdout.strip() == backend
