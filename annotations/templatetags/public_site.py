"""Small helpers of the public site's templates."""

from __future__ import annotations

from django import template
from django.conf import settings

from annotations.public import queries

register = template.Library()


@register.simple_tag
def publisher_name() -> str:
    return settings.FACTCHECK_PUBLISHER_NAME


@register.simple_tag
def publisher_url() -> str:
    return settings.FACTCHECK_PUBLISHER_URL


@register.filter
def claimant_slug(name: str) -> str:
    return queries.claimant_slug(name)
