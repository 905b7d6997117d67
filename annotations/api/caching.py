"""Public API responses cached by corpus version, with ETags and 304s.

The corpus version is the changes feed's counter (``FeedCursor``): every
publish, correction, retraction and update of a published claim appends a
feed entry and so bumps it, in the same transaction as the change. A cached
page is keyed by that version, so it can never outlive the corpus it was
built from, whichever process or server built it; nothing has to be deleted
on publish. Reading the version is one primary-key lookup.

Only what the public sees is cached (anonymous callers and tokens without a
role); editors see drafts and always get a fresh answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from annotations.api.renderers import dumps
from annotations.models import FeedCursor

CACHE_ALIAS = "default"


@dataclass(frozen=True, slots=True)
class Page:
    body: bytes
    content_type: str
    etag: str


def corpus_version() -> int:
    """The last feed cursor: it moves with every change the public can see.

    Asked on every public read, so it skips the ORM's query building (a
    tenth of a cached answer's time); read where the data is read (a
    replica under ``DATABASE_REPLICA_URLS``) so that the two agree.
    """
    alias = router.db_for_read(FeedCursor)
    with connections[alias].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


_VERSION_SQL = f"SELECT value FROM {FeedCursor._meta.db_table} WHERE id = 1"


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses."""
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag.removeprefix("W/") in candidates


def cache_control() -> str:
    return (
        f"public, max-age={settings.FACTCHECK_API_MAX_AGE}, "
        f"stale-while-revalidate={settings.FACTCHECK_API_STALE_WHILE_REVALIDATE}"
    )


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = cache_control()
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    return response


def serve(
    request,
    variant: str,
    build: Callable[[], tuple[object, str, str | None]],
    *,
    known_etag: Callable[[], str | None] | None = None,
) -> HttpResponse:
    """The public answer to ``request``: from the cache when this corpus
    version already built it, else ``build()`` (data, content type, ETag or
    None for one derived from the version), stored for the next caller.

    A matching If-None-Match is answered 304 before anything is built: page
    ETags derive from the corpus version and the request, and a detail's
    ETag comes from ``known_etag`` (one small query).
    """
    version = corpus_version()
    digest = hashlib.blake2b(
        f"{variant}\0{request.get_full_path()}".encode(), digest_size=12
    ).hexdigest()
    key = f"api:{version}:{digest}"
    derived = f'W/"c{version}-{digest}"'
    header = request.headers.get("If-None-Match")
    cache = caches[CACHE_ALIAS]
    page = cache.get(key)
    if page is None and header:
        etag = known_etag() if known_etag else derived
        if etag and etag_matches(header, etag):
            return _finish(HttpResponse(status=304), etag)
    if page is None:
        data, content_type, etag = build()
        page = Page(dumps(data), content_type, etag or derived)
        cache.set(key, page, settings.FACTCHECK_API_CACHE_SECONDS)
    if header and etag_matches(header, page.etag):
        return _finish(HttpResponse(status=304), page.etag)
    return _finish(HttpResponse(page.body, content_type=page.content_type), page.etag)
