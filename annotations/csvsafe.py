"""CSV cells that a spreadsheet will not run.

Spreadsheets run a cell that starts with one of ``FORMULA_STARTS`` as a
formula; article text, usernames and verdict labels are typed by people, so
every CSV the app writes quotes such cells with a leading apostrophe (OWASP's
advice). The NDJSON and JSON outputs keep every value exact.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as a CSV cell: None as empty, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
