from __future__ import annotations

from django import template

from annotations import attribution
from annotations.models import Claim

register = template.Library()


@register.simple_tag
def attribution_of(claim: Claim) -> attribution.Attribution:
    """What the attribution rules say about ``claim``'s span, so the panel can
    show why the claimant was guessed."""
    return attribution.attribute(claim.article.body, claim.start, claim.end)
