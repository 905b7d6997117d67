"""Request body parsing that cannot be made to fail with a 500."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deeper than any request of this API needs; refusing early keeps every
# recursive consumer of the data (validation, error messages) far from
# Python's recursion limit.
MAX_DEPTH = 32


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus a nesting bound: a deeply nested document
    raised RecursionError inside ``json`` (a 500) and now answers 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        return data
