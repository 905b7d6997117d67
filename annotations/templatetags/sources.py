"""What the source partials need besides the claim: the stance choices and
the upload limit, so that the panel's context stays as it is."""

from __future__ import annotations

from django import template
from django.conf import settings

from annotations.models import Evidence

register = template.Library()


@register.simple_tag
def stance_choices() -> list[tuple[str, str]]:
    return Evidence.Stance.choices


@register.simple_tag
def upload_limit() -> int:
    return settings.FACTCHECK_UPLOAD_MAX_BYTES
