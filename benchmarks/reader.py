"""How long the reader takes to build and render the highlighted body.

Prints, for articles with 10, 100, 1,000 and 5,000 claims (random, many
overlapping), the time of ``reader.build`` (one sort of the boundaries, one
sweep) and of rendering the reader partial around it, best of a few runs.
No database: the claims are unsaved model instances, since the queries are a
constant two (asserted in the view tests).

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

import django  # noqa: E402

django.setup()

from django.template.loader import get_template  # noqa: E402

from annotations import reader  # noqa: E402
from annotations.models import Article, Claim  # noqa: E402

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


def main() -> None:
    rng = random.Random(2026)
    template = get_template("annotations/article_detail.html#reader")
    print(f"{'claims':>7} {'body chars':>11} {'pieces':>7} {'build ms':>9} {'render ms':>10}")
    for count in (10, 100, 1_000, 5_000):
        article, claims = article_with(count, rng)
        paragraphs = reader.build(article.body, claims)
        for claim in claims:
            claim.excerpt = reader.excerpt(claim.quote)
        assert reader.text_of(paragraphs) == article.body
        pieces = sum(len(p.pieces) for p in paragraphs)
        repeat = 20 if count <= 1_000 else 5
        build = best(lambda a=article, c=claims: reader.build(a.body, c), repeat)
        context = {
            "article": article,
            "claims": claims,
            "paragraphs": paragraphs,
            "statuses": Claim.Status,
        }
        render = best(lambda ctx=context: template.render(ctx), max(3, repeat // 4))
        print(
            f"{count:>7,} {len(article.body):>11,} {pieces:>7,} "
            f"{build * 1000:>9.1f} {render * 1000:>10.1f}"
        )


if __name__ == "__main__":
    main()
