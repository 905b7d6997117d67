"""How long the reader takes to build and render the highlighted body.

Prints, for articles with 10, 100, 1,000 and 5,000 claims (random, many
overlapping), the time of ``reader.build`` (one sort of the boundaries, one
sweep), of the body and claim-list markup, and of the whole reader page
(``GET /articles/{id}/`` through Django, database included: the server
time), median of several runs, in a throwaway test database.

Run: make bench, or python benchmarks/reader.py from the project root.
"""

from __future__ import annotations

import gc
import os
import random
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
from django.test.utils import setup_test_environment  # noqa: E402

from annotations import reader  # noqa: E402
from annotations.models import Article, Claim, content_hash  # noqa: E402

WORDS = [
    "the",
    "minister",
    "said",
    "unemployment",
    "fell",
    "by",
    "three",
    "percent",
    "last",
    "year",
    "😀",
    "東京",
    "café",
]


def article_with(claims: int, rng: random.Random, editor) -> Article:
    # About 60 characters of text per claim, as in a densely annotated article.
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(max(3, claims // 8))
    ]
    body = "\n\n".join(paragraphs)
    title = f"Benchmark with {claims} claims"
    article = Article.objects.create(title=title, body=body, content_hash=content_hash(title, body))
    rows = []
    for _ in range(claims):
        start = rng.randrange(len(body) - 2)
        end = min(len(body), start + rng.randint(5, 300))
        rows.append(
            Claim(
                article=article,
                start=start,
                end=end,
                quote=body[start:end],
                claimant=rng.choice(["", "The minister", "A <spokesman>"]),
                status=rng.choice(Claim.Status.values),
                created_by=editor,
            )
        )
    Claim.objects.bulk_create(rows)
    return article


def median_ms(function, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        began = clock()
        function()
        times.append(clock() - began)
    return statistics.median(times) * 1000


def main() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        editor = get_user_model().objects.create_user("bench-editor", password="x")
        editor.groups.add(Group.objects.get(name="editor"))
        client = Client()
        client.force_login(editor)
        # As factcheck/wsgi.py does in a server process.
        gc.collect()
        gc.freeze()
        rng = random.Random(2026)
        print(f"database: {connection.vendor}; median of several runs")
        print(
            f"{'claims':>7} {'body chars':>11} {'pieces':>7} {'build ms':>9} "
            f"{'markup ms':>10} {'page ms':>8} {'page CPU ms':>11}"
        )
        for count in (10, 100, 1_000, 5_000):
            article = article_with(count, rng, editor)
            claims = reader.marks(article)
            paragraphs = reader.build(article.body, claims)
            assert reader.text_of(paragraphs) == article.body
            pieces = sum(len(p.pieces) for p in paragraphs)
            repeat = 20 if count <= 1_000 else 9
            build = median_ms(lambda a=article, c=claims: reader.build(a.body, c), repeat)
            markup = median_ms(
                lambda a=article, c=claims: (
                    reader.body_html(a.body, c),
                    reader.claim_items_html(a.pk, c),
                ),
                repeat,
            )
            url = article.get_absolute_url()
            assert client.get(url).status_code == 200
            page = median_ms(lambda u=url: client.get(u), repeat)
            # CPU time too: on a shared machine, wall time also counts the
            # other processes' turns.
            cpu = median_ms(lambda u=url: client.get(u), repeat, clock=time.process_time)
            print(
                f"{count:>7,} {len(article.body):>11,} {pieces:>7,} "
                f"{build:>9.1f} {markup:>10.1f} {page:>8.1f} {cpu:>11.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
