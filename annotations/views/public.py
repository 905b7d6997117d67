"""The public site, read-only and without login: fact-check pages (with
their ClaimReview JSON-LD for search engines), the index with search and
filters, claimant pages, articles with their published claims highlighted,
the rating scale, the organisation's pages, and robots.txt.

Only published claims are listed; a retracted fact-check keeps its page,
marked so. Nothing else is ever reachable from here.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from annotations import reader, workflow
from annotations.api import claimreview
from annotations.models import Article, Claim, Evidence, PublicPage, Rating
from annotations.public import queries

PAGE_SIZE = 20


@require_GET
def factcheck_detail(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.public()
        .select_related("article", "rating", "created_by", "submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("evidence", Evidence.objects.select_related("archive")), "corrections"
        ),
        pk=claim_pk,
    )
    retracted = claim.status == Claim.Status.RETRACTED
    before, quote, after = queries.sentence(claim.article.body, claim.start, claim.end)
    return render(
        request,
        "annotations/factcheck_detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "evidence": claim.evidence.all(),
            "corrections": [
                (correction, [workflow.FIELD_LABELS.get(f, f) for f in correction.changes])
                for correction in claim.corrections.all()
            ],
            "sentence": {"before": before, "quote": quote, "after": after},
            "credits": queries.credits(claim),
            "related": queries.related(claim),
            "retracted": retracted,
            "retracted_at": queries.retracted_at(claim) if retracted else None,
            "canonical_url": claimreview.factcheck_url(request, claim),
            # Search engines ask that a retracted fact-check lose its
            # ClaimReview markup while the page itself stays.
            "claimreview_json": None
            if retracted
            else claimreview.script_json(claimreview.claim_review(request, claim)),
        },
    )


@require_GET
def factcheck_list(request: HttpRequest) -> HttpResponse:
    filters = queries.FactcheckFilter(request.GET, queryset=queries.listed())
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/factcheck_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "canonical_url": request.build_absolute_uri(reverse("annotations:factcheck_list")),
        },
    )


@require_GET
def claimant_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/claimant_list.html", {"claimants": queries.claimants()})


@require_GET
def claimant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    names = queries.claimant_names(slug)
    if not names:
        raise Http404("No published fact-checks of this claimant.")
    claims = queries.listed().filter(claimant__in=names)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/claimant_detail.html",
        {
            "name": names[0],
            "names": names,
            "page": page,
            "canonical_url": request.build_absolute_uri(
                reverse("annotations:claimant_detail", args=[slug])
            ),
        },
    )


@require_GET
def article_public(request: HttpRequest, pk: int) -> HttpResponse:
    """An article's text with its published claims highlighted, each a link
    to its fact-check (as an annotation layer's public view of a page)."""
    article = get_object_or_404(Article, pk=pk)
    claims = list(
        Claim.objects.published()
        .filter(article=article)
        .select_related("rating")
        .in_reading_order()
    )
    if not claims:
        raise Http404("This article has no published fact-checks.")
    by_id = {str(claim.pk): claim for claim in claims}
    # Each piece links to the innermost claim covering it, listed first.
    paragraphs = [
        [(piece.text, by_id[piece.ids.split()[0]] if piece.ids else None) for piece in p.pieces]
        for p in reader.build(article.body, claims)
    ]
    return render(
        request,
        "public/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "paragraphs": paragraphs,
            "canonical_url": request.build_absolute_uri(
                reverse("annotations:article_public", args=[pk])
            ),
        },
    )


@require_GET
def rating_scale(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/rating_scale.html",
        {
            "ratings": Rating.objects.all(),
            "canonical_url": request.build_absolute_uri(reverse("annotations:rating_scale")),
        },
    )


@require_GET
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(PublicPage, slug=slug)
    return render(
        request,
        "public/page.html",
        {"page": page, "canonical_url": request.build_absolute_uri(page.get_absolute_url())},
    )


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /api/
Disallow: /articles/
Disallow: /claims/
Disallow: /dashboard/
Allow: /factchecks/

Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    # The workspace and the API are for people and programs with accounts;
    # crawlers get the public pages and the sitemap that lists them.
    sitemap = request.build_absolute_uri(reverse("annotations:sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")
