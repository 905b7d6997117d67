"""Claim search and similar claims over a generated corpus of 100,000 claims.

Builds a throwaway test database (SQLite in a temporary file, or test_<name>
on the PostgreSQL server DATABASE_URL points at) and fills it with 1,000
articles of 100 generated claims each (70% published, the rest drafts and
claims in review). Prints:

- the time to embed 10,000 claims (the model alone, and stored), and to
  embed the whole corpus with ``matching.embed_missing``;
- the size of the full-text index and of the stored embeddings;
- median and p95 latency of GET /api/v1/claims/search/?q=... and
  GET /api/v1/claims/similar/?text=... (anonymous, in-process through the
  whole Django and DRF stack) over 60 queries each, after one warm-up
  request that loads the embedding matrix (timed apart).

Run: python benchmarks/search.py (CLAIMS=20000 for a quicker run).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
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
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

CLAIMS = int(os.environ.get("CLAIMS", "100000"))
PER_ARTICLE = 100
QUERIES = 60

SUBJECTS = [
    "The minister",
    "the president",
    "the mayor",
    "the opposition leader",
    "the central bank",
    "the health secretary",
    "the union",
    "the governor",
    "the prime minister",
    "the senator",
    "the finance ministry",
    "the police chief",
    "the army",
    "the chancellor",
    "the regulator",
    "the energy company",
    "the school board",
    "the airline",
    "the hospital trust",
    "the council",
]
VERBS = [
    "said that",
    "claimed that",
    "denied that",
    "insisted that",
    "admitted that",
    "tweeted that",
    "told reporters that",
    "promised that",
    "warned that",
    "repeated that",
]
TOPICS = [
    "unemployment",
    "inflation",
    "crime",
    "house prices",
    "rents",
    "wages",
    "exports",
    "imports",
    "emissions",
    "immigration",
    "tuition fees",
    "waiting lists",
    "energy bills",
    "petrol prices",
    "taxes",
    "pensions",
    "defence spending",
    "the deficit",
    "public debt",
    "child poverty",
    "homelessness",
    "reading scores",
    "vaccination rates",
    "knife crime",
    "wind power",
    "coal use",
    "broadband coverage",
    "rail fares",
    "tourism",
    "farm subsidies",
]
CHANGES = [
    "fell by",
    "rose by",
    "doubled in",
    "tripled in",
    "dropped by",
    "grew by",
    "were cut by",
    "went up by",
    "halved in",
    "increased by",
]
PLACES = [
    "the capital",
    "the north",
    "the south",
    "rural areas",
    "the coast",
    "every region",
    "the old industrial towns",
    "the islands",
    "the border region",
    "the suburbs",
]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(TOPICS)} "
        f"{rng.choice(CHANGES)} {rng.randint(1, 60)} percent in {rng.choice(PLACES)} "
        f"since {rng.randint(1990, 2025)}."
    )


def populate(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model

    from annotations import anchoring
    from annotations.models import Article, Claim, Rating

    editor = get_user_model().objects.create_user("bench-editor", password="x")
    rating = Rating.objects.get(slug="mostly-false")
    now = timezone.now()
    statuses = [Claim.Status.PUBLISHED] * 7 + [Claim.Status.DRAFT] * 2 + [Claim.Status.IN_REVIEW]
    made = 0
    for number in range(CLAIMS // PER_ARTICLE):
        texts = list(dict.fromkeys(sentence(rng) for _ in range(PER_ARTICLE)))
        body = " ".join(texts)
        article = Article.objects.create(title=f"Generated article {number}", body=body)
        claims, offset = [], 0
        for text in texts:
            anchored = anchoring.span(body, offset, offset + len(text), text)
            status = rng.choice(statuses)
            claims.append(
                Claim(
                    article=article,
                    start=anchored.start,
                    end=anchored.end,
                    quote=text,
                    prefix=anchored.prefix,
                    suffix=anchored.suffix,
                    claim_text=text,
                    claimant=text.split(" said")[0].split(" claimed")[0][:60],
                    status=status,
                    rating=rating if status == Claim.Status.PUBLISHED else None,
                    summary="Generated for the benchmark.",
                    published_at=now if status == Claim.Status.PUBLISHED else None,
                    created_by=editor,
                )
            )
            offset += len(text) + 1
        Claim.objects.bulk_create(claims)
        made += len(claims)
    with connection.cursor() as cursor:
        # What autovacuum does on its own after a bulk load.
        cursor.execute("ANALYZE")
    print(f"corpus: {made} claims on {CLAIMS // PER_ARTICLE} articles")


def size_of_indexes() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ("claim_search_fts", "claim_claimant_trgm")
            rows = []
            for name in names:
                cursor.execute("SELECT pg_relation_size(%s::regclass)", [name])
                rows.append((f"index {name}", cursor.fetchone()[0]))
            cursor.execute("SELECT pg_total_relation_size('annotations_claimembedding')")
            rows.append(("table annotations_claimembedding", cursor.fetchone()[0]))
            return rows
        cursor.execute(
            "SELECT (SELECT coalesce(sum(length(block)), 0) FROM annotations_claim_fts_data)"
            " + (SELECT count(*) * 24 FROM annotations_claim_fts_idx)"
            " + (SELECT coalesce(sum(length(sz)), 0) FROM annotations_claim_fts_docsize)"
        )
        fts = cursor.fetchone()[0]
        cursor.execute(
            "SELECT coalesce(sum(length(vector)) + count(*) * 120, 0)"
            " FROM annotations_claimembedding"
        )
        return [
            ("FTS5 index (data + idx + docsize)", fts),
            ("embeddings (vectors + rows)", cursor.fetchone()[0]),
        ]


def timed(client: Client, urls: list[str]) -> tuple[float, float]:
    timings = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    from urllib.parse import quote

    from annotations import matching

    setup_test_environment()
    if connection.vendor == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench-search.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(path)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(20261128)
    try:
        started = time.perf_counter()
        populate(rng)
        print(f"database: {connection.vendor}; loaded in {time.perf_counter() - started:.0f} s")

        texts = [sentence(rng) for _ in range(10_000)]
        matching.embed(texts[:10])
        start = time.perf_counter()
        matching.embed(texts)
        print(f"embed 10,000 claims (model only): {time.perf_counter() - start:.2f} s")
        from annotations.models import Claim, ClaimEmbedding

        first = list(Claim.objects.order_by("pk").values_list("pk", flat=True)[:10_000])
        start = time.perf_counter()
        done = matching.embed_missing()
        total = time.perf_counter() - start
        print(
            f"embed and store all {done} claims: {total:.1f} s "
            f"({total / done * 1e4:.2f} s per 10,000)"
        )
        assert ClaimEmbedding.objects.filter(claim_id__in=first).count() == len(first)

        for label, size in size_of_indexes():
            print(f"{label}: {size / 1024 / 1024:.1f} MiB")

        client = Client()
        start = time.perf_counter()
        client.get("/api/v1/claims/similar/?text=warm+up")
        print(
            "first similar request (loads the embedding matrix): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )

        words = [*TOPICS, *(s.split()[-1] for s in SUBJECTS), *PLACES]
        searches = []
        for _ in range(QUERIES):
            query = " ".join(rng.sample(words, rng.choice((1, 2))))
            searches.append(f"/api/v1/claims/search/?q={quote(query)}&page_size=20")
        median, p95 = timed(client, searches)
        print(
            "GET claims/search/ (1-2 topic words, page of 20): "
            f"median {median:.0f} ms, p95 {p95:.0f} ms"
        )
        rare = [
            "/api/v1/claims/search/?q=" + quote(f"{rng.choice(TOPICS)} {rng.randint(1990, 2025)}")
            for _ in range(QUERIES)
        ]
        median, p95 = timed(client, rare)
        print(f"GET claims/search/ (topic and year): median {median:.0f} ms, p95 {p95:.0f} ms")
        reworded = [
            f"/api/v1/claims/similar/?text={quote(sentence(rng).replace('percent', '%'))}&limit=5"
            for _ in range(QUERIES)
        ]
        median, p95 = timed(client, reworded)
        print(f"GET claims/similar/ (limit 5): median {median:.0f} ms, p95 {p95:.0f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
