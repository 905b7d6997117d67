"""How long the API takes to answer list pages of 10, 100 and 200 claims.

Builds a throwaway test database (SQLite in memory, or test_<name> on the
PostgreSQL server DATABASE_URL points at), fills it with 400 published claims
with evidence, and times in-process requests through the whole Django and
DRF stack: GET /api/v1/claims/?page_size=N as an anonymous caller and with an
editor token, the W3C AnnotationPage of one article, a 304 revalidation and
the NDJSON export. Prints the median and best of several runs, and the number
of SQL queries per request, which must not grow with the page size.

Run: make bench, or python benchmarks/api.py from the project root.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("API_THROTTLE_ANON", "1000000/min")
os.environ.setdefault("API_THROTTLE_USER", "1000000/min")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

CLAIMS = 400
ARTICLES = 20
RUNS = 15


def populate() -> tuple[str, int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from annotations.models import Article, Claim, Evidence, Rating

    editor = get_user_model().objects.create_user("bench-editor", password="x")
    editor.groups.add(Group.objects.get(name="editor"))
    token = Token.objects.create(user=editor).key
    rating = Rating.objects.get(slug="mostly-false")
    sentence = "The minister said unemployment fell by 3 percent last year. "
    now = timezone.now()
    per_article = CLAIMS // ARTICLES
    claims = []
    for number in range(ARTICLES):
        article = Article.objects.create(
            title=f"Benchmark article {number}",
            body=sentence * per_article,
            source_url=f"https://news.example.com/{number}",
        )
        for index in range(per_article):
            start = index * len(sentence) + len("The minister said ")
            quote = "unemployment fell by 3 percent last year"
            claims.append(
                Claim(
                    article=article,
                    start=start,
                    end=start + len(quote),
                    quote=quote,
                    claim_text=quote,
                    claimant="The minister",
                    status=Claim.Status.PUBLISHED,
                    rating=rating,
                    summary="It fell by 2.1%.",
                    rationale="The statistics office says so.",
                    published_at=now - timezone.timedelta(seconds=len(claims)),
                    created_by=editor,
                )
            )
    for claim in claims:
        claim.save()  # Claim.save computes prefix and suffix
    Evidence.objects.bulk_create(
        Evidence(claim=claim, url="https://stats.example.org/", title="Stats", note="internal")
        for claim in claims
    )
    return token, claims[0].article_id


def measure(client: Client, url: str, **headers) -> tuple[float, float, int, int]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 304), (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    return (
        statistics.median(timings),
        min(timings),
        len(queries.captured_queries),
        response.status_code,
    )


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        token, article_id = populate()
        client = Client()
        print(f"database: {connection.vendor}; {CLAIMS} published claims; {RUNS} runs each")
        print(f"{'request':<58} {'median ms':>10} {'best ms':>8} {'queries':>8}")
        rows = []
        for size in (10, 100, 200):
            rows.append(
                (f"claims page_size={size} (anonymous)", f"/api/v1/claims/?page_size={size}", {})
            )
        for size in (10, 100, 200):
            rows.append(
                (
                    f"claims page_size={size} (editor token)",
                    f"/api/v1/claims/?page_size={size}",
                    {"Authorization": f"Token {token}"},
                )
            )
        rows.append(
            (
                "W3C AnnotationPage of one article (20 items)",
                f"/api/v1/articles/{article_id}/annotations/",
                {"Accept": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'},
            )
        )
        etag = client.get("/api/v1/claims/?page_size=200")["ETag"]
        rows.append(
            (
                "claims page_size=200, If-None-Match (304)",
                "/api/v1/claims/?page_size=200",
                {"If-None-Match": etag},
            )
        )
        rows.append(
            (f"export.ndjson ({CLAIMS} claims, streamed)", "/api/v1/claims/export.ndjson", {})
        )
        rows.append((f"export.csv ({CLAIMS} claims, streamed)", "/api/v1/claims/export.csv", {}))
        for label, url, headers in rows:
            median, best, queries, _status = measure(client, url, **headers)
            print(f"{label:<58} {median:>10.1f} {best:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
