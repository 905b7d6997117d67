"""How long reading assistance takes on a long article: splitting and
scoring every sentence (what GET /api/v1/articles/{id}/sentences/ and the
"Suggested claims" list compute), and one claimant guess after that (what
marking a claim adds). The evaluation articles are repeated into one body of
about 20,000 words. Pure Python, no database.

Run: make bench, or python benchmarks/assist.py from the project root.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations import attribution, checkworthiness, sentences  # noqa: E402
from tests.eval import dataset  # noqa: E402


def timed(function, runs: int = 5) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples)


def main() -> None:
    articles = dataset.load()
    bodies = [a.body for a in articles]
    body = "\n\n".join(bodies * 6)
    words = len(body.split())

    def fresh_scoring() -> None:
        sentences.split.cache_clear()
        attribution.analyse.cache_clear()
        checkworthiness.article_sentences(body)

    median, best = timed(fresh_scoring)
    count = len(sentences.split(body))
    print(
        f"score {count} sentences ({words} words), cold: median {median:.0f} ms, best {best:.0f} ms"
    )
    span = body.index("the fall reflected the lasting damage")
    median, best = timed(lambda: attribution.attribute(body, span, span + 40), runs=20)
    print(f"one claimant guess on the analysed article: median {median:.2f} ms, best {best:.2f} ms")

    def cold_guess() -> None:
        sentences.split.cache_clear()
        attribution.analyse.cache_clear()
        attribution.attribute(body, span, span + 40)

    median, best = timed(cold_guess)
    print(
        f"one claimant guess, cold (analyses the article): median {median:.0f} ms, "
        f"best {best:.0f} ms"
    )
    small = bodies[0]
    start = small.index("inflation would return")
    median, best = timed(
        lambda: (attribution.analyse.cache_clear(), attribution.attribute(small, start, start + 30))
    )
    print(f"one claimant guess, cold, a {len(small.split())}-word article: median {median:.1f} ms")


if __name__ == "__main__":
    main()
