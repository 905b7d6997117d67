"""The bulk exports of every public claim, streamed from keyset chunks of
``rows``: NDJSON lines in the shape of the claim detail, and CSV rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from annotations.api import claimjson, rows
from annotations.api.links import Links
from annotations.api.renderers import dumps
from annotations.models import Claim

# Spreadsheets run a cell that starts with one of these as a formula; article
# text is outside input, so the CSV export quotes such cells with a leading
# apostrophe (OWASP's advice). The NDJSON export keeps every value exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "id",
    "url",
    "factcheck_url",
    "status",
    "retraction_note",
    "article_id",
    "article_title",
    "article_source_url",
    "quote",
    "start",
    "end",
    "claim_text",
    "claimant",
    "rating",
    "rating_label",
    "rating_value",
    "summary",
    "rationale",
    "published_at",
    "updated_at",
    "version",
]


def public_rows() -> Iterator[rows.Row]:
    return rows.chunked(Claim.objects.public())


def ndjson_lines(links: Links) -> Iterator[bytes]:
    for row in public_rows():
        yield dumps(claimjson.claim(row, links)) + b"\n"


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(links: Links) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in public_rows():
        value = row["rating__value"]
        published_at = row["published_at"]
        yield writer.writerow(
            _cell(cell)
            for cell in [
                row["id"],
                links.claim(row["id"]),
                links.factcheck(row["id"]),
                row["status"],
                row["retraction_note"],
                row["article_id"],
                row["article__title"],
                row["article__source_url"],
                row["quote"],
                row["start"],
                row["end"],
                row["claim_text"],
                row["claimant"],
                row["rating__slug"] or "",
                row["rating__label"] or "",
                "" if value is None else value,
                row["summary"],
                row["rationale"],
                published_at.isoformat() if published_at else "",
                row["updated_at"].isoformat(),
                row["version"],
            ]
        )
