"""The public, read-only page of a fact-check: no login, published and
retracted claims only, with its ClaimReview JSON-LD for search engines."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotations.api import claimreview, rows
from annotations.api.links import Links
from annotations.models import Claim


@require_GET
def factcheck_detail(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.public()
        .select_related("article", "rating")
        .prefetch_related("evidence", "corrections"),
        pk=claim_pk,
    )
    row = rows.claim(Claim.objects.public(), claim.pk)
    review = claimreview.claim_review(row, Links(request))
    return render(
        request,
        "annotations/factcheck_detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "evidence": claim.evidence.all(),
            "corrections": claim.corrections.all(),
            "claimreview_json": claimreview.script_json(review),
        },
    )
