"""Streaming exports of every public claim as NDJSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotations import workflow
from tests import factories
from tests.api.conftest import QUOTES, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(editor, reviewer):
    article = factories.ArticleFactory(title='Quotes, "commas"\nand lines')
    live = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    gone = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    workflow.retract(gone, by=reviewer, version=gone.version, comment="Misread, sorry.")
    draft = workflow.mark(article, by=editor, quote=QUOTES[2])
    return live, gone, draft


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_ndjson_streams_public_claims_and_marks_retracted_ones(anon, claims):
    live, gone, _draft = claims
    response = anon.get("/api/v1/claims/export.ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in body(response).splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [
        (live.pk, "published"),
        (gone.pk, "retracted"),
    ]
    assert rows[1]["retraction_note"] == "Misread, sorry."
    assert all("note" not in e for r in rows for e in r["evidence"])


def test_csv_streams_public_claims_and_marks_retracted_ones(anon, claims):
    live, gone, _draft = claims
    response = anon.get("/api/v1/claims/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [(int(r["id"]), r["status"]) for r in rows] == [
        (live.pk, "published"),
        (gone.pk, "retracted"),
    ]
    assert rows[0]["article_title"] == 'Quotes, "commas"\nand lines'
    assert rows[0]["rating"] == "mostly-false" and rows[0]["rating_value"] == "2"
    assert rows[1]["retraction_note"] == "Misread, sorry."
    assert rows[0]["factcheck_url"] == f"http://testserver/factchecks/{live.pk}/"


def test_editors_get_the_same_public_export(editor_api, claims):
    live, gone, _draft = claims
    text = body(editor_api.get("/api/v1/claims/export.ndjson"))
    assert {json.loads(line)["id"] for line in text.splitlines()} == {live.pk, gone.pk}


def test_exports_ignore_the_accept_header(anon, claims):
    response = anon.get("/api/v1/claims/export.csv", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_export_queries_do_not_grow_with_the_number_of_claims(
    anon, editor, django_assert_max_num_queries
):
    article = factories.ArticleFactory()
    for _ in range(30):
        claim = factories.ClaimFactory(article=article, created_by=editor, status="published")
        factories.EvidenceFactory(claim=claim)
    with django_assert_max_num_queries(4):
        assert len(body(anon.get("/api/v1/claims/export.ndjson")).splitlines()) == 30
    with django_assert_max_num_queries(4):
        assert len(body(anon.get("/api/v1/claims/export.csv")).splitlines()) == 31


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralized(anon, editor, reviewer):
    article = factories.ArticleFactory(
        title='=HYPERLINK("http://evil.example")',
        body="Intro.\n\n=1+2 is what the spokesman said on Monday.\n\nMore text.",
    )
    claim = publish(
        article, editor=editor, reviewer=reviewer, quote="=1+2 is what the spokesman said"
    )
    rows = list(csv.DictReader(io.StringIO(body(anon.get("/api/v1/claims/export.csv")))))
    assert rows[0]["article_title"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["quote"] == "'=1+2 is what the spokesman said"
    ndjson = json.loads(body(anon.get("/api/v1/claims/export.ndjson")).splitlines()[0])
    assert ndjson["quote"] == claim.quote == "=1+2 is what the spokesman said"
