"""The public, read-only page of a fact-check: no login, published and
retracted claims only, with its ClaimReview JSON-LD for search engines."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotations.api import claimreview
from annotations.models import Claim


@require_GET
def factcheck_detail(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.public()
        .select_related("article", "rating")
        .prefetch_related("evidence", "corrections"),
        pk=claim_pk,
    )
    review = claimreview.claim_review(request, claim)
    return render(
        request,
        "annotations/factcheck_detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "evidence": claim.evidence.all(),
            "corrections": claim.corrections.all(),
            # "Same claim as" links are stored both ways: those pointing here.
            "related": Claim.objects.public()
            .filter(relations__other=claim)
            .select_related("rating", "article")
            .order_by("-published_at", "-id"),
            "claimreview_json": claimreview.script_json(review),
        },
    )
