"""The public read paths' queries use indexes whose cost follows the page,
not the corpus: EXPLAIN on PostgreSQL shows no sequential scan of a table
that grows with the corpus, and no sort of a whole table."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Article, Claim
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL"
    ),
]

GROWING = (
    "annotations_claim",
    "annotations_article",
    "annotations_evidence",
    "annotations_correction",
    "annotations_changeentry",
)


def plan(sql: str) -> str:
    """The plan when sequential scans are a last resort: a test table is
    small enough that the planner would rightly scan it whole, but what
    matters is that an index serves the query once the table is large."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return text


def full_sorts(text: str) -> list[str]:
    """Sort nodes over whatever a scan returned (an incremental sort of rows
    that arrive in index order is fine)."""
    return [line.strip() for line in text.splitlines() if re.match(r"\s*(->  )?Sort  \(", line)]


def scans_of_growing_tables(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if "Seq Scan" in line and any(f" on {table}" in line for table in GROWING)
    ]


def test_the_main_read_queries_use_index_scans(anon):
    factories.published_corpus(400, 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    article = Article.objects.order_by("id").first()
    claim = Claim.objects.order_by("id").first()
    urls = [
        "/api/v1/claims/?page_size=50",
        "/api/v1/claims/?page_size=200",
        "/api/v1/claims/?rating=false",
        f"/api/v1/claims/?article={article.pk}",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/claimreview/",
        f"/api/v1/articles/{article.pk}/annotations/",
        "/api/v1/articles/",
        "/api/v1/changes/?after=0&limit=100",
        "/api/v1/changes/?after=2000&limit=1000&expand=claim",
    ]
    per_article = {urls[3], urls[6]}
    checked = 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert anon.get(url).status_code == 200, url
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(t in sql for t in GROWING):
                continue
            text = plan(sql)
            assert not scans_of_growing_tables(text), f"{url}\n{sql}\n{text}"
            assert "Index" in text, f"{url}\n{sql}\n{text}"
            # One article's claims may be sorted: bounded by the article,
            # not by the corpus.
            if " LIMIT " in sql and url not in per_article:
                assert not full_sorts(text), f"{url}\n{sql}\n{text}"
            checked += 1
    assert checked >= 20
