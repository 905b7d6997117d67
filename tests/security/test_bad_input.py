"""Every bad input answers 4xx in the API's one JSON shape and writes
nothing, on SQLite and PostgreSQL alike (run with DATABASE_URL for the
second)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.api import errors
from annotations.models import Claim
from tests.api.conftest import publish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("annotations:article_import")
HTMX = {"HTTP_HX_REQUEST": "true"}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/claims/", "/api/v1/articles/"])
def test_deeply_nested_json_is_a_400(editor_api, assert_error, row_counts, path, depth):
    before = row_counts()
    response = editor_api.post(path, nested(depth), content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert row_counts() == before


def test_anonymous_nested_json_is_a_400_too(anon, assert_error):
    response = anon.post("/api/v1/auth/token/", nested(50_000), content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_malformed_json_is_a_400(editor_api, assert_error, row_counts):
    before = row_counts()
    response = editor_api.post("/api/v1/articles/", '{"title": ', content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert row_counts() == before


def test_options_on_the_docs_is_405_in_the_json_shape(anon, assert_error):
    response = anon.options("/api/docs/")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("key", ["bogus", "by", "source", "status", "content_hash"])
def test_an_unknown_key_in_a_new_article_is_refused_by_name(
    editor_api, assert_error, row_counts, key
):
    before = row_counts()
    body = {"title": "T", "body": "Some words here.", key: "x"}
    error = assert_error(editor_api.post("/api/v1/articles/", body, format="json"), 400, "invalid")
    assert error["fields"] == {key: ["Unknown field."]}
    assert row_counts() == before


def test_unknown_keys_are_refused_on_every_claim_write(
    editor_api, editor, draft, assert_error, row_counts
):
    before = row_counts()
    etag = {"HTTP_IF_MATCH": draft.etag()}
    calls = [
        ("post", "/api/v1/claims/", {"article": draft.article_id, "quote": "x", "sneaky": 1}, {}),
        ("patch", f"/api/v1/claims/{draft.pk}/", {"status": "published"}, etag),
        (
            "post",
            f"/api/v1/claims/{draft.pk}/evidence/",
            {"url": "https://a.example", "x": 1},
            etag,
        ),
        ("post", f"/api/v1/claims/{draft.pk}/transitions/", {"action": "submit", "by": 1}, {}),
    ]
    for method, url, body, headers in calls:
        response = getattr(editor_api, method)(url, body, format="json", **headers)
        error = assert_error(response, 400, "invalid")
        assert set(error["fields"]) == set(body) - {"article", "quote", "url", "action"}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "length"),
    [("claimant", 301), ("claimant", 1_000), ("summary", 301), ("rationale", 20_001)],
)
def test_over_length_claim_fields_are_400_on_every_database(
    editor_api, draft, assert_error, row_counts, field, length
):
    before = row_counts()
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {field: "x" * length},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert row_counts() == before


def test_an_over_length_claimant_on_marking_is_400(editor_api, article, assert_error, row_counts):
    before = row_counts()
    body = {"article": article.pk, "quote": article.body[:20], "claimant": "x" * 1_000}
    error = assert_error(editor_api.post("/api/v1/claims/", body, format="json"), 400, "invalid")
    assert "claimant" in error["fields"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "length"),
    [("title", 501), ("byline", 301), ("source_name", 201), ("language", 17)],
)
def test_over_length_article_fields_are_400(editor_api, assert_error, row_counts, field, length):
    before = row_counts()
    body = {"title": "T", "body": "Some words here.", field: "x" * length}
    error = assert_error(editor_api.post("/api/v1/articles/", body, format="json"), 400, "invalid")
    assert field in error["fields"]
    assert row_counts() == before


def test_over_length_evidence_fields_are_400(editor_api, draft, assert_error, row_counts):
    before = row_counts()
    response = editor_api.post(
        f"/api/v1/claims/{draft.pk}/evidence/",
        {"url": "https://a.example/" + "x" * 2_000, "title": "x" * 501},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    error = assert_error(response, 400, "invalid")
    assert {"url", "title"} <= set(error["fields"])
    assert row_counts() == before


@pytest.mark.parametrize("field", ["title", "body", "byline", "standfirst"])
def test_control_characters_are_refused_by_the_api(editor_api, assert_error, row_counts, field):
    before = row_counts()
    body = {"title": "A title", "body": "Some words here.", field: "Bell \x07 here"}
    error = assert_error(editor_api.post("/api/v1/articles/", body, format="json"), 400)
    assert "control characters" in error["message"]
    assert row_counts() == before


def test_control_characters_are_refused_by_paste_as_by_file(client, editor, row_counts):
    client.force_login(editor)
    before = row_counts()
    response = client.post(IMPORT, {"text": "Title\n\nA body with a \x1b escape."}, **HTMX)
    assert response.status_code == 422
    assert "control characters" in response.text
    assert row_counts() == before


@pytest.mark.parametrize("value", ["not-a-date", "2024-13-01T00:00:00Z", "2024-01-01T25:00"])
@pytest.mark.parametrize("name", ["published_after", "published_before", "updated_after"])
def test_malformed_date_filters_are_400(anon, assert_error, name, value):
    error = assert_error(anon.get(f"/api/v1/claims/?{name}={value}"), 400, "invalid")
    assert name in error["fields"]


@pytest.mark.parametrize(
    ("value", "after", "before"),
    [
        # Beyond what UTC can hold: the nearest end, on every database.
        ("0001-01-01T00:00:00%2B05:00", 1, 0),
        ("9999-12-31T23:59:59-05:00", 0, 1),
        ("0001-01-01T00:00:00Z", 1, 0),
        ("9999-12-31T23:59:59Z", 0, 1),
        ("2024-01-01T00:00:00%2B14:00", 1, 0),
        # An offset PostgreSQL would refuse as it stands: read in UTC.
        ("0029-07-12T08:43:38-16:44", 1, 0),
        ("2024-01-01T00:00:00%2B23:59", 1, 0),
    ],
)
def test_extreme_date_filters_answer_the_same_on_every_database(
    anon, editor, reviewer, value, after, before
):
    publish(ArticleFactory(), editor=editor, reviewer=reviewer)
    for name, expected in (("published_after", after), ("published_before", before)):
        response = anon.get(f"/api/v1/claims/?{name}={value}")
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == expected, (name, value)


def test_ndjson_escapes_line_and_paragraph_separators(anon, editor, reviewer):
    claim = publish(ArticleFactory(), editor=editor, reviewer=reviewer)
    Claim.objects.filter(pk=claim.pk).update(claim_text="one\u2028two\u2029three")
    response = anon.get("/api/v1/claims/export.ndjson")
    raw = b"".join(response.streaming_content).decode()
    assert "\u2028" not in raw and "\u2029" not in raw
    lines = raw.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["claim_text"] == "one\u2028two\u2029three"


def test_a_server_error_under_the_api_is_json_and_says_nothing_of_its_cause(rf):
    response = errors.server_error(rf.get("/api/v1/claims/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "error": {
            "status": 500,
            "code": "server_error",
            "message": "The server could not answer this request.",
        }
    }
    assert errors.server_error(rf.get("/articles/")).status_code == 500
