"""Extraction quality on the news fixture set, field by field.

Prints, for each field, how many of the fixture pages come out exactly as
expected (tests/fixtures/news/expected.json) with the importer's extractor,
and, for comparison, with trafilatura's own extraction and metadata alone
(what the importer did before). A quality figure, not a timing.

Run: make bench, or python benchmarks/extraction.py from the project root.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import trafilatura  # noqa: E402

from annotations import importers  # noqa: E402
from annotations.anchoring import normalize_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "news"
FIELDS = [
    "title",
    "standfirst",
    "byline",
    "source_name",
    "canonical_url",
    "published_on",
    "language",
    "captions",
    "body",
]


def ours(html: str) -> dict:
    parsed = importers.parse_html(html)
    return {
        "title": parsed.title,
        "standfirst": parsed.standfirst,
        "byline": parsed.byline,
        "source_name": parsed.source_name,
        "canonical_url": parsed.canonical_url,
        "published_on": parsed.published_on.isoformat() if parsed.published_on else None,
        "language": parsed.language,
        "captions": parsed.captions,
        "body": parsed.body.split("\n\n"),
    }


def trafilatura_alone(html: str) -> dict:
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    lines = [line for line in normalize_text(document.text or "").split("\n") if line.strip()]
    if lines and lines[0] == document.title:
        lines = lines[1:]
    return {
        "title": document.title or "",
        "standfirst": document.description or "",
        "byline": (document.author or "").replace("; ", ", "),
        "source_name": document.sitename or "",
        "canonical_url": document.url or "",
        "published_on": (document.date or "")[:10] or None,
        "language": document.language or "en",
        "captions": [],
        "body": lines,
    }


def main() -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text())
    totals = {name: dict.fromkeys(FIELDS, 0) for name in ("ours", "trafilatura")}
    for page, want in expected.items():
        html = (FIXTURES / page).read_text()
        for name, extract in (("ours", ours), ("trafilatura", trafilatura_alone)):
            got = extract(html)
            for field in FIELDS:
                totals[name][field] += got[field] == want[field]
    print(f"{len(expected)} pages; fields right (importer / trafilatura alone):")
    for field in FIELDS:
        print(f"  {field:14} {totals['ours'][field]:3} / {totals['trafilatura'][field]:3}")


if __name__ == "__main__":
    main()
