"""Review views: verdicts, evidence, workflow transitions, history and the
dashboard queues. They only call ``annotations.workflow``."""

from __future__ import annotations

from django.http import HttpRequest

from annotations.models import Claim


def panel_context(request: HttpRequest, claim: Claim) -> dict:
    """What the review part of the claim panel (_claim_review.html) needs, on
    top of ``claim`` and ``user``; the workspace panel view merges it in."""
    return {}
