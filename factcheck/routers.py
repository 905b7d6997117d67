"""Reads on PostgreSQL read replicas, with read-your-writes.

With ``DATABASE_REPLICA_URLS`` set, the settings add one ``replica_N``
database per URL, this router and its middleware. Reads during a GET, HEAD
or OPTIONS request go to a replica; everything else goes to the primary:
writes, reads inside a transaction (``select_for_update``, the workflow's
checks), whole unsafe requests, and code outside requests (commands,
migrations, workers).

Replicas lag the primary by a little. So that an editor who has just
written never reads an older state, a successful unsafe request pins its
client to the primary for ``FACTCHECK_PRIMARY_PIN_SECONDS``: browsers by a
cookie, API clients by their ``Authorization`` header in the shared cache
(Redis when ``REDIS_URL`` is set, so every worker knows).
"""

from __future__ import annotations

import hashlib
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

# The replica this request reads, chosen once per request: the corpus version
# a public page is cached under must come from the same copy as the page.
_use_replica: ContextVar[str | None] = ContextVar("use_replica", default=None)

PIN_COOKIE = "fc_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The app label of the model Django's database cache backend routes by.
CACHE_APP_LABEL = "django_cache"


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        replica = _use_replica.get()
        if replica is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if model._meta.app_label == CACHE_APP_LABEL:
            # The database cache (throttle counters, login lockouts, the
            # read-your-writes pin) is read-modify-write: a lagging copy
            # would undercount and miss pins.
            return DEFAULT_DB_ALIAS
        return replica

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the primary's data: an object read from either may
        # relate to one from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def _auth_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    return "primary-pin:" + hashlib.sha256(header.encode()).hexdigest()


def _pinned(request) -> bool:
    try:
        if float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time():
            return True
    except ValueError:
        pass
    key = _auth_key(request)
    return bool(key and cache.get(key))


class ReadYourWritesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        replicas = replica_aliases()
        replica = random.choice(replicas) if replicas and safe and not _pinned(request) else None
        token = _use_replica.set(replica)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if not safe and response.status_code < 400:
            seconds = settings.FACTCHECK_PRIMARY_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            key = _auth_key(request)
            if key:
                cache.set(key, True, seconds)
        return response
