"""How long the reader takes to build and render the highlighted body, and
to answer as a whole.

First prints, for articles with 10, 100, 1,000 and 5,000 claims (random,
many overlapping), the time of ``reader.build`` (one sort of the boundaries,
one sweep) and of rendering the reader partial around it, best of a few
runs, with unsaved claims (no database). Then the server time of the whole
reader page and of its htmx refresh (``#reader`` alone) for articles with
1,000 and 5,000 such claims in a throwaway test database (SQLite in memory,
or test_<name> on the PostgreSQL server DATABASE_URL points at): in-process
requests through the whole Django stack, median and best of several runs.

Run: make bench, or python benchmarks/reader.py from the project root.
"""

from __future__ import annotations

import os
import random
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

import gc  # noqa: E402
import statistics  # noqa: E402
import warnings  # noqa: E402

from django.db import connection  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from annotations import reader  # noqa: E402
from annotations.models import Article, Claim, Part  # noqa: E402

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


def article_with(claims: int, rng: random.Random) -> tuple[Article, list[Claim]]:
    # About 60 characters of text per claim, as in a densely annotated article.
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(max(3, claims // 8))
    ]
    body = "\n\n".join(paragraphs)
    article = Article(pk=1, title="Benchmark", body=body)
    spans = []
    for pk in range(1, claims + 1):
        start = rng.randrange(len(body) - 2)
        end = min(len(body), start + rng.randint(5, 300))
        spans.append(
            Claim(
                pk=pk,
                article=article,
                start=start,
                end=end,
                quote=body[start:end],
                status=rng.choice(Claim.Status.values),
            )
        )
    spans.sort(key=lambda c: (c.start, -c.end, c.pk))
    return article, spans


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return min(times)


def median_and_best(client: Client, url: str, runs: int, **headers) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), min(timings)


def whole_responses(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from annotations import permissions

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        editor = get_user_model().objects.create_user("bench-editor", password="x")
        editor.groups.add(Group.objects.get_or_create(name=permissions.EDITOR)[0])
        client = Client()
        client.force_login(editor)
        print(f"\nwhole response, database: {connection.vendor}; median and best of 9")
        print(
            f"{'claims':>7} {'page median':>12} {'page best':>10}"
            f" {'#reader median':>15} {'best':>6}"
        )
        for count in (1_000, 5_000):
            unsaved, claims = article_with(count, rng)
            article = Article.objects.create(title=f"Benchmark {count}", body=unsaved.body)
            for claim in claims:
                claim.pk = None
                claim.article = article
                claim.created_by = editor
            Claim.objects.bulk_create(claims, batch_size=500)
            # As factcheck/wsgi.py does at start-up: what is loaded by now lives
            # as long as the process, and a full collection should not scan it.
            gc.collect()
            gc.freeze()
            url = article.get_absolute_url()
            page = median_and_best(client, url, 9)
            partial = median_and_best(client, url, 9, hx_request="true")
            print(
                f"{count:>7,} {page[0]:>12.1f} {page[1]:>10.1f}"
                f" {partial[0]:>15.1f} {partial[1]:>6.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    rng = random.Random(2026)
    template = get_template("annotations/article_detail.html#reader")
    print(f"{'claims':>7} {'body chars':>11} {'pieces':>7} {'build ms':>9} {'render ms':>10}")
    for count in (10, 100, 1_000, 5_000):
        article, claims = article_with(count, rng)
        paragraphs = reader.build(article.body, claims)
        assert reader.text_of(paragraphs) == article.body
        pieces = sum(len(p.pieces) for p in paragraphs)
        repeat = 20 if count <= 1_000 else 5
        build = best(lambda a=article, c=claims: reader.build(a.body, c), repeat)
        context = {
            "article": article,
            "claims": claims,
            "parts": {part: [] for part in Part.values} | {"body": paragraphs},
            "statuses": Claim.Status,
        }
        with warnings.catch_warnings():
            # No request, so no CSRF token for the mark form: not what is measured.
            warnings.simplefilter("ignore")
            render = best(lambda ctx=context: template.render(ctx), max(3, repeat // 4))
        print(
            f"{count:>7,} {len(article.body):>11,} {pieces:>7,} "
            f"{build * 1000:>9.1f} {render * 1000:>10.1f}"
        )
    whole_responses(rng)


if __name__ == "__main__":
    main()
