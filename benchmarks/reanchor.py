"""Re-anchoring every claim of an article after an edit of 5 % of its text.

Builds a throwaway test database (SQLite in memory, or test_<name> on the
PostgreSQL server DATABASE_URL points at) with one article of 1,000
paragraphs and 1,000 claims (one in ten published), edits 5 % of the body's
characters in random places (insertions, deletions and replacements of a few
words), and times ``revisions.revise``: the character diff, locating every
claim and writing the result in one transaction. Also times locating alone
(no database) and prints how many claims stayed, moved exactly, were matched
fuzzily or were orphaned, and the SQL queries used.

Run: make bench, or python benchmarks/reanchor.py from the project root.
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

CLAIMS = 1000
EDIT_SHARE = 0.05
WORDS = (  # noqa: SIM905
    "minister said unemployment fell by percent last year council approved budget "
    "tram line cost million euros opponents argued taxes would rise schools hospital "
    "waiting lists police report crime figures election turnout votes seats"
).split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 22))
    words[0] = words[0].capitalize()
    return " ".join(words) + f" {rng.randint(10, 9999)}."


def edit(rng: random.Random, text: str, share: float) -> str:
    budget = int(len(text) * share)
    chars = list(text)
    while budget > 0:
        at = rng.randrange(len(chars))
        kind = rng.choice(("insert", "delete", "replace"))
        size = min(rng.randint(3, 25), budget)
        new = list(" ".join(rng.choices(WORDS, k=3))[:size])
        if kind == "insert":
            chars[at:at] = new
        elif kind == "delete":
            del chars[at : at + size]
        else:
            chars[at : at + size] = new
        budget -= size
    return "".join(chars)


def populate(rng: random.Random):
    from django.contrib.auth import get_user_model

    from annotations.models import Article, Claim

    editor = get_user_model().objects.create_user("bench-editor", password="x")
    paragraphs = [sentence(rng) + " " + sentence(rng) for _ in range(CLAIMS)]
    article = Article.objects.create(title="Benchmark article", body="\n\n".join(paragraphs))
    claims, offset = [], 0
    now = timezone.now()
    for number, paragraph in enumerate(paragraphs):
        start = offset + paragraph.index(" ") + 1
        end = offset + paragraph.index(".")
        quote = article.body[start:end]
        published = number % 10 == 0
        claims.append(
            Claim(
                article=article,
                start=start,
                end=end,
                quote=quote,
                prefix=article.body[max(0, start - 32) : start],
                suffix=article.body[end : end + 32],
                claim_text=quote,
                status=Claim.Status.PUBLISHED if published else Claim.Status.DRAFT,
                published_at=now if published else None,
                created_by=editor,
            )
        )
        offset += len(paragraph) + 2
    Claim.objects.bulk_create(claims)
    return article, editor


def main() -> None:
    from annotations import reanchor, revisions

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(5)
        article, editor = populate(rng)
        new_body = edit(rng, article.body, EDIT_SHARE)
        spans = [
            reanchor.OldSpan(c.start, c.end, c.quote, c.prefix, c.suffix)
            for c in article.claims.all()
        ]
        began = time.perf_counter()
        anchors = reanchor.locate_all(article.body, new_body, spans)
        locate = time.perf_counter() - began
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            if os.environ.get("PROFILE"):
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                result = profiler.runcall(revisions.revise, article, by=editor, body=new_body)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            else:
                result = revisions.revise(article, by=editor, body=new_body)
        total = time.perf_counter() - began
        print(
            f"{CLAIMS} claims, body {len(article.body):,} code points, "
            f"{EDIT_SHARE:.0%} of it edited ({connection.vendor})"
        )
        print(f"  locate all claims (diff + matching, no database): {locate * 1000:.0f} ms")
        print(f"  revise (one transaction, writes included):       {total * 1000:.0f} ms")
        print(f"  SQL queries: {len(queries)}")
        print(f"  claims: {result.counts}")
        assert sum(1 for a in anchors if a.attached) == CLAIMS - result.counts["orphan"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
