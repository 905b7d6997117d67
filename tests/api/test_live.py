"""End to end over real HTTP against the live server, with urllib: a
consumer with no account, and an editor and a reviewer with tokens taking a
claim from marking to publication."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests import factories
from tests.api.conftest import ANNO_ACCEPT

pytestmark = pytest.mark.django_db(transaction=True)


def call(base: str, path: str, *, method="GET", data=None, headers=None):
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, dict(response.headers), raw
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def token(base: str, username: str) -> dict[str, str]:
    status, _, raw = call(
        base,
        "/api/v1/auth/token/",
        method="POST",
        data={"username": username, "password": "correct-horse-battery"},
    )
    assert status == 200, raw
    return {"Authorization": f"Token {json.loads(raw)['token']}"}


def test_from_marking_to_public_over_http(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    base = live_server.url
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    article = factories.ArticleFactory()
    as_editor, as_reviewer = token(base, editor.username), token(base, reviewer.username)

    status, headers, raw = call(
        base,
        "/api/v1/claims/",
        method="POST",
        data={"article": article.pk, "quote": "unemployment fell by 3 percent last year"},
        headers=as_editor,
    )
    assert status == 201, raw
    claim = json.loads(raw)
    path = f"/api/v1/claims/{claim['id']}/"
    etag = headers["ETag"]
    # Nobody else sees the draft.
    assert call(base, path)[0] == 404

    status, headers, raw = call(
        base, path, method="PATCH", data={"summary": "x"}, headers=as_editor
    )
    assert status == 428 and json.loads(raw)["error"]["code"] == "precondition_required"
    status, headers, raw = call(
        base,
        path,
        method="PATCH",
        data={"rating": "false", "summary": "It rose."},
        headers={**as_editor, "If-Match": etag},
    )
    assert status == 200, raw
    fresh = headers["ETag"]
    status, headers, raw = call(
        base,
        path,
        method="PATCH",
        data={"summary": "Stale"},
        headers={**as_editor, "If-Match": etag},
    )
    assert status == 412
    assert json.loads(raw)["error"]["current_version"] == 2
    status, headers, raw = call(
        base,
        f"{path}evidence/",
        method="POST",
        data={"url": "https://stats.example.org/"},
        headers={**as_editor, "If-Match": fresh},
    )
    assert status == 201, raw
    for who, action in ((as_editor, "submit"), (as_reviewer, "approve")):
        status, _, raw = call(
            base, f"{path}transitions/", method="POST", data={"action": action}, headers=who
        )
        assert status == 200, raw

    status, headers, raw = call(base, path)
    assert status == 200 and json.loads(raw)["status"] == "published"
    assert call(base, path, headers={"If-None-Match": headers["ETag"]})[0] == 304
    status, headers, raw = call(base, path, headers={"Accept": ANNO_ACCEPT})
    assert headers["Content-Type"].startswith(
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    assert json.loads(raw)["type"] == "Annotation"
    status, _, raw = call(base, "/api/v1/changes/?after=0")
    assert [(e["claim"], e["action"]) for e in json.loads(raw)["results"]] == [
        (claim["id"], "published")
    ]
    status, headers, raw = call(base, "/api/v1/claims/export.ndjson")
    assert status == 200 and headers["Content-Type"] == "application/x-ndjson"
    assert [json.loads(line)["id"] for line in raw.decode().splitlines()] == [claim["id"]]
    status, _, raw = call(base, f"/factchecks/{claim['id']}/")
    assert status == 200 and b"application/ld+json" in raw


def test_errors_and_docs_over_http(live_server):
    base = live_server.url
    status, headers, raw = call(base, "/api/v1/no/such/thing/")
    assert status == 404 and headers["Content-Type"] == "application/json"
    assert json.loads(raw)["error"]["status"] == 404
    status, headers, raw = call(base, "/api/v1/ratings/", method="DELETE")
    assert status == 405 and json.loads(raw)["error"]["code"] == "method_not_allowed"
    status, headers, raw = call(base, "/api/docs/")
    assert status == 200 and b"swagger-ui-bundle.js" in raw
    status, headers, raw = call(
        base, "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    )
    assert status == 200 and len(raw) > 100_000
