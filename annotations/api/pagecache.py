"""Built public pages in the shared cache, keyed by the corpus version.

A public read (anonymous callers and consumer tokens: the same representation)
first reads the corpus version (one indexed query, on the replica the rest of
the request reads) and derives the page's ETag from it and the normalized
request; a matching ``If-None-Match`` is answered 304 there, before anything
is built. Otherwise the rendered bytes come from the ``pages`` cache, or the
page is built, rendered and stored under the version read *before* building:
a write committing meanwhile moves the version, so the page can only be
fresher than its key says, never staler. Editors (who see internal fields)
and the browsable API never touch the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request

from annotations import corpus, permissions

CACHE_ALIAS = "pages"
# Bigger pages are built each time rather than crowd out the cache.
MAX_CACHED_BYTES = 4 * 1024 * 1024


def _store() -> BaseCache | None:
    # Settings without a "pages" cache still get ETags and early 304s.
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else None


def applies(request: Request) -> bool:
    """Whether this request gets the shared public representation."""
    if permissions.is_editor(request.user):
        return False
    return not isinstance(getattr(request, "accepted_renderer", None), BrowsableAPIRenderer)


def public_headers(response: HttpResponse) -> None:
    """Shared caches may keep a public answer briefly and serve it a little
    longer while they revalidate (the ETag makes that a cheap 304)."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.FACTCHECK_PUBLIC_MAX_AGE,
        stale_while_revalidate=settings.FACTCHECK_PUBLIC_STALE_WHILE_REVALIDATE,
    )
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses."""
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag.removeprefix("W/") in candidates


@dataclass(frozen=True)
class Page:
    key: str
    etag: str

    @classmethod
    def of(cls, request: Request, *, version: int | None = None, etag: str | None = None) -> Page:
        """The cache key and ETag of this request's page at the corpus version
        (read now unless given). ``etag`` overrides the ETag (a claim keeps
        its version's)."""
        if version is None:
            version = corpus.version()
        query = sorted(request.query_params.lists())
        material = "\n".join(
            [
                request.scheme,
                request.get_host(),
                request.path,
                repr(query),
                str(getattr(request, "accepted_media_type", "")),
            ]
        )
        digest = hashlib.sha1(material.encode(), usedforsecurity=False).hexdigest()
        return cls(key=f"page:{version}:{digest}", etag=etag or f'W/"c{version}-{digest[:16]}"')

    def not_modified(self, request: Request) -> HttpResponse | None:
        header = request.headers.get("If-None-Match")
        if not header or not etag_matches(header, self.etag):
            return None
        response = HttpResponse(status=304)
        response["ETag"] = self.etag
        public_headers(response)
        return response

    def load(self) -> HttpResponse | None:
        store = _store()
        stored = store.get(self.key) if store is not None else None
        if stored is None:
            return None
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = self.etag
        public_headers(response)
        return response

    def store(self, response: HttpResponse) -> None:
        """Keep a rendered 200 answer, and give it the page's headers."""
        response["ETag"] = self.etag
        public_headers(response)
        store = _store()
        seconds = settings.FACTCHECK_PAGE_CACHE_SECONDS
        if store is None or seconds <= 0 or response.status_code != 200:
            return
        if len(response.content) <= MAX_CACHED_BYTES:
            store.set(
                self.key,
                (response.content, response["Content-Type"]),
                seconds,
            )
