"""JSON encoded with orjson: several times faster than the standard
library's encoder on API pages, with the same content."""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder().default


def dumps(data: Any) -> bytes:
    # Lazy strings, decimals and the like go through DRF's encoder.
    return orjson.dumps(data, default=_fallback, option=orjson.OPT_NON_STR_KEYS)


class OrjsonRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type, renderer_context):
            # Asked for indentation (the browsable API, ?indent=): the stock path.
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)
