"""The work bounds of issue-facing inputs: quote anchoring against body
length, and the tag-count gate in front of HTML extraction.

Prints the time of ``anchoring.find_quote`` for the worst case the old
anchoring was quadratic in (a one-character quote that occurs everywhere,
with a prefix that rarely matches) for bodies of 0.5, 1 and 2.3 MB, and the
time of trafilatura on generated pages of 5,000 to 20,000 tags (the default
FACTCHECK_HTML_MAX_TAGS is 20,000), best of a few runs.

Run: make bench, or python benchmarks/bounds.py from the project root.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import trafilatura  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from annotations import anchoring  # noqa: E402


def best(call, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def anchor(body: str) -> None:
    with contextlib.suppress(ValidationError):
        anchoring.find_quote(body, "a", prefix="zz")


print("find_quote, one-character quote everywhere, prefix that never matches")
for megabytes in (0.5, 1.0, 2.3):
    body = "a " * int(megabytes * 1_000_000 / 2)
    print(f"  {megabytes:>4} MB body: {best(lambda body=body: anchor(body)) * 1000:8.1f} ms")

print("trafilatura.bare_extraction on pages of n tags")
for tags in (5_000, 10_000, 20_000):
    html = (
        "<html><head><title>T</title></head><body><article>"
        + "<p>word <b>bold</b> text</p>" * (tags // 3)
        + "</article></body></html>"
    )
    seconds = best(lambda html=html: trafilatura.bare_extraction(html, with_metadata=True), 1)
    print(f"  {tags:>6,} tags: {seconds:6.2f} s")
