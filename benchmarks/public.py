"""How long the public site takes to answer: the index (plain, searched and
filtered), a fact-check page, an article with its 20 published claims
highlighted, a claimant page, the sitemap and the feeds.

Builds a throwaway test database (SQLite in memory, or test_<name> on the
PostgreSQL server DATABASE_URL points at), fills it with 400 published
claims over 20 articles and 40 claimants, and times in-process requests
through the whole Django stack. Prints the median and best of several runs
and the number of SQL queries per request.

Run: make bench, or python benchmarks/public.py from the project root.
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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

CLAIMS = 400
ARTICLES = 20
CLAIMANTS = 40
RUNS = 15


def populate() -> tuple[int, int]:
    from django.contrib.auth import get_user_model

    from annotations.models import Article, Claim, Evidence, Rating

    editor = get_user_model().objects.create_user("bench-editor", password="x")
    ratings = list(Rating.objects.all())
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
                    headline=f"Unemployment fell by 3% ({len(claims)})",
                    claimant=f"Claimant {len(claims) % CLAIMANTS}",
                    status=Claim.Status.PUBLISHED,
                    rating=ratings[len(claims) % len(ratings)],
                    summary="It fell by 2.1%.",
                    rationale="The statistics office says so.",
                    published_at=now - timezone.timedelta(seconds=len(claims)),
                    created_by=editor,
                    submitted_by=editor,
                    reviewed_by=editor,
                )
            )
    for claim in claims:
        claim.save()  # Claim.save computes prefix and suffix
    Evidence.objects.bulk_create(
        Evidence(claim=claim, url="https://stats.example.org/", title="Stats") for claim in claims
    )
    return claims[0].pk, claims[0].article_id


def measure(client: Client, url: str) -> tuple[float, float, int]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), min(timings), len(queries.captured_queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        claim_id, article_id = populate()
        client = Client()
        print(f"database: {connection.vendor}; {CLAIMS} published claims; {RUNS} runs each")
        print(f"{'request':<52} {'median ms':>10} {'best ms':>8} {'queries':>8}")
        rows = [
            ("index, first page of 20", "/factchecks/"),
            ("index, searched (2 words) and filtered", "/factchecks/?q=fell+3%25&verdict=false"),
            ("index, page 10", "/factchecks/?page=10"),
            ("fact-check page", f"/factchecks/{claim_id}/"),
            ("article with 20 claims highlighted", f"/factchecks/articles/{article_id}/"),
            ("claimants (40)", "/factchecks/claimants/"),
            ("claimant page (10 claims)", "/factchecks/claimants/claimant-1/"),
            (f"sitemap.xml ({CLAIMS} fact-checks, 40 claimants)", "/sitemap.xml"),
            ("RSS, 50 newest", "/factchecks/feed/rss/"),
            ("corrections Atom", "/factchecks/corrections/feed/atom/"),
        ]
        for label, url in rows:
            median, best, queries = measure(client, url)
            print(f"{label:<52} {median:>10.1f} {best:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
