"""The workspace search page, its saved searches, and the "similar earlier
fact-checks" section of the claim panel with its two actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import reswap, retarget, trigger_client_event

from annotations import desk, matching, permissions, search, workflow
from annotations.forms import BulkForm
from annotations.models import Article, Claim, Rating, SavedSearch
from annotations.views import panel
from annotations.views.common import bulk_action, wants_partial, workspace_view

PAGE_SIZE = 20
ARTICLE_MATCHES = 5
SIMILAR_LIMIT = 5
SEARCH_TEMPLATE = "annotations/search.html"
SIMILAR_TEMPLATE = "annotations/_claim_similar.html"


def search_query(params: QueryDict) -> str:
    """The part of a query string that defines a search (no page number),
    in a stable order: what a saved search keeps."""
    kept = QueryDict(mutable=True)
    for name in search.ClaimSearchFilter.base_filters:
        values = [v for v in params.getlist(name) if v.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


class SaveSearchForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)


def _results(request: HttpRequest, people=None, **extra) -> dict:
    claims = Claim.objects.select_related(
        "article", "rating", "created_by", "reviewed_by", "assignee", "reviewer"
    )
    filterset = search.ClaimSearchFilter(request.GET, queryset=claims)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    text = (request.GET.get("q") or "").strip() if filterset.is_valid() else ""
    now = timezone.now()
    rows = [
        {
            "claim": claim,
            "claim_text": search.highlight(claim.claim_text, text),
            "quote": search.highlight(claim.quote, text) if claim.quote != claim.claim_text else [],
            "claimant": search.highlight(claim.claimant, text),
            "summary": search.highlight(claim.summary, text),
            "overdue": desk.is_overdue(claim, now),
        }
        for claim in page
    ]
    articles = []
    if text:
        found = search.search_articles(Article.objects.all(), text)
        articles = [
            {"article": a, "title": search.highlight(a.title, text)}
            for a in found.order_by("-created_at")[:ARTICLE_MATCHES]
        ]
    return {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "rows": rows,
        "articles": articles,
        "text": text,
        "query": search_query(request.GET),
        "bulk_query": request.GET.urlencode(),
        "bulk_form": BulkForm(
            people=list(permissions.desk_members()) if people is None else people,
            auto_id="id_bulk_%s",
        ),
        **extra,
    }


def _sidebar(request: HttpRequest, save_form: SaveSearchForm | None = None, **extra) -> dict:
    query = search_query(request.GET)
    return {
        "saved_searches": SavedSearch.objects.filter(user=request.user),
        "save_form": save_form or SaveSearchForm(initial={"query": query}),
        "query": query,
        **extra,
    }


@workspace_view("GET")
def search_page(request: HttpRequest) -> HttpResponse:
    if wants_partial(request):
        return render(request, f"{SEARCH_TEMPLATE}#results", _results(request))
    context = {**_results(request), **_sidebar(request), "ratings": Rating.objects.all()}
    return render(request, SEARCH_TEMPLATE, context)


@workspace_view("POST")
def search_bulk(request: HttpRequest) -> HttpResponse:
    """The bulk bar over the results; the search itself is in the query
    string, so the same page of results comes back with the summary."""
    people = list(permissions.desk_members())
    form, result = bulk_action(request, people)
    if not wants_partial(request):
        query = request.GET.urlencode()
        url = reverse("annotations:search")
        return redirect(f"{url}?{query}" if query else url)
    context = _results(request, people, bulk_result=result)
    if result is None:
        context["bulk_form"] = form
    return render(request, f"{SEARCH_TEMPLATE}#results", context, status=200 if result else 422)


@workspace_view("POST")
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    saved = None
    if form.is_valid():
        # htmx sends the search form's fields as they are now; a plain form
        # the query string the page was rendered with.
        query = search_query(request.POST) or search_query(QueryDict(form.cleaned_data["query"]))
        try:
            with transaction.atomic():
                saved = SavedSearch.objects.create(
                    user=request.user, name=form.cleaned_data["name"], query=query
                )
        except IntegrityError:
            form.add_error("name", "You already have a saved search with this name.")
    if not wants_partial(request):
        if saved:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect(saved)
        messages.error(request, " ".join(form.errors.get("name", ["Give the search a name."])))
        return redirect(f"{SavedSearch(query=form.data.get('query', '')).get_absolute_url()}")
    context = _sidebar(request, save_form=None if saved else form, just_saved=saved)
    context["save_form"].initial["query"] = form.data.get("query", "")
    status = 200 if saved else 422
    return render(request, f"{SEARCH_TEMPLATE}#sidebar", context, status=status)


@workspace_view("POST")
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved.delete()
    if not wants_partial(request):
        messages.success(request, f"Deleted the saved search “{saved.name}”.")
        return redirect("annotations:search")
    return render(request, f"{SEARCH_TEMPLATE}#sidebar", _sidebar(request))


# --- the claim panel's "similar earlier fact-checks" ----------------------


def _similar_context(request: HttpRequest, claim: Claim, **extra) -> dict:
    """Published (and retracted) fact-checks first, then colleagues' claims
    in progress, each list best first."""
    matches = matching.similar_to_claim(claim, Claim.objects.all(), limit=SIMILAR_LIMIT * 2)
    by_id = Claim.objects.select_related("article", "rating", "created_by").in_bulk(
        [m.claim_id for m in matches]
    )
    linked = set(claim.relations.values_list("other_id", flat=True))
    public, in_progress = [], []
    for match in matches:
        other = by_id.get(match.claim_id)
        if other is None or other.status == Claim.Status.DISMISSED:
            continue
        row = {
            "claim": other,
            "score": match.score,
            "likely_same": match.score >= matching.LIKELY_SAME,
            "linked": other.pk in linked,
        }
        (public if other.is_public else in_progress).append(row)
    rows = (public + in_progress)[:SIMILAR_LIMIT]
    related = claim.relations.select_related("other__article", "other__rating")
    return {
        "claim": claim,
        "rows": rows,
        "related": [r.other for r in related],
        "editable": claim.status == Claim.Status.DRAFT,
        "likely_same": matching.LIKELY_SAME,
        **extra,
    }


def _panel_claim(claim_pk: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article", "rating"), pk=claim_pk)


@workspace_view("GET")
def claim_similar(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = _panel_claim(claim_pk)
    return render(request, SIMILAR_TEMPLATE, _similar_context(request, claim))


def _after_action(request: HttpRequest, claim: Claim, **extra) -> HttpResponse:
    if not wants_partial(request):
        return redirect(claim)
    response = render(request, SIMILAR_TEMPLATE, _similar_context(request, claim, **extra))
    return trigger_client_event(response, "claimChanged", {"id": claim.pk})


@workspace_view("POST")
def claim_link(request: HttpRequest, claim_pk: int, other_pk: int) -> HttpResponse:
    claim = _panel_claim(claim_pk)
    other = _panel_claim(other_pk)
    try:
        workflow.link_same_claim(claim, other, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, claim, error)
    return _after_action(request, claim, done=f"Linked: same claim as #{other.pk}.")


@workspace_view("POST")
def claim_start_from(request: HttpRequest, claim_pk: int, other_pk: int) -> HttpResponse:
    claim = _panel_claim(claim_pk)
    source = _panel_claim(other_pk)
    try:
        claim = workflow.start_from(
            claim, source, by=request.user, version=request.POST.get("version")
        )
    except workflow.WorkflowError as error:
        return _refused(request, claim, error)
    if not wants_partial(request):
        messages.success(request, f"Started from fact-check #{source.pk}.")
    # The verdict, summary and evidence of the whole panel changed: the panel
    # comes back whole, and keeps what the person typed elsewhere in it.
    response = panel.saved(request, panel.load(claim.pk))
    if wants_partial(request):
        reswap(retarget(response, "#claim-panel"), "outerHTML")
    return response


def _refused(request: HttpRequest, claim: Claim, error: workflow.WorkflowError) -> HttpResponse:
    if not wants_partial(request):
        messages.error(request, error.message)
        return redirect(claim)
    context = _similar_context(request, claim, error=error.message)
    status = panel.status_for(error)
    return render(request, SIMILAR_TEMPLATE, context, status=status)
