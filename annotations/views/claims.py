"""Marking and editing claims in the reader. Every change goes through
``annotations.workflow``; these views only translate HTTP to it and back."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url, reswap, retarget, trigger_client_event

from annotations import anchoring, attribution, workflow
from annotations.forms import ClaimForm, MarkForm, VersionForm
from annotations.models import Article, Claim
from annotations.views.articles import panel_claim, panel_context, render_reader
from annotations.views.common import editor_required, wants_partial

PANEL = "annotations/claim_panel.html"


def _changed(response: HttpResponse, claim_id: int) -> HttpResponse:
    return trigger_client_event(response, "claimChanged", {"id": claim_id})


def _panel(
    request: HttpRequest, claim: Claim | None, *, status: int = 200, **extra
) -> HttpResponse:
    """The panel alone for htmx, the reader around it otherwise."""
    if wants_partial(request):
        return render(request, PANEL, panel_context(request, claim, **extra), status=status)
    article = claim.article if claim else extra.pop("article")
    return render_reader(request, article, claim, status=status, **extra)


def _selection(body: str, start: int, end: int, quote: str) -> tuple[int, int, str]:
    """Trim white space off a selection, and off its quote alike."""
    if not 0 <= start < end <= len(body):
        return start, end, quote
    trimmed_start, trimmed_end = anchoring.trim(body, start, end)
    if len(quote) == end - start:
        quote = quote[trimmed_start - start : len(quote) - (end - trimmed_end)]
    return trimmed_start, trimmed_end, quote


def _mark_failed(request: HttpRequest, article: Article, message: str, status: int, **extra):
    if wants_partial(request):
        context = {"message": message, "article": article, **extra}
        response = render(request, "annotations/claim_mark_error.html", context, status=status)
        return reswap(retarget(response, "#mark-status"), "innerHTML")
    return render_reader(request, article, None, status=status, mark_error=message)


@require_POST
@login_required
@editor_required
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _mark_failed(
            request, article, "Select the text of the claim in the article body first.", 422
        )
    start, end, quote = _selection(
        article.body,
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        form.cleaned_data["quote"],
    )
    claimant = form.cleaned_data["claimant"]
    if not claimant and 0 <= start < end <= len(article.body):
        claimant = attribution.guess_claimant(article.body, start, end)
    try:
        claim = workflow.mark(
            article,
            by=request.user,
            start=start,
            end=end,
            quote=quote,
            claimant=claimant,
            allow_short=form.cleaned_data["allow_short"],
        )
    except workflow.WorkflowError as error:
        status = 422 if isinstance(error, workflow.Invalid) else error.status_code
        extra = {
            "existing": getattr(error, "existing", None),
            "short": {"start": start, "end": end, "quote": quote, "claimant": claimant}
            if isinstance(error, workflow.TooShort)
            else None,
        }
        return _mark_failed(request, article, error.message, status, **extra)
    if not wants_partial(request):
        return redirect(claim)
    claim = panel_claim(article.pk, claim.pk)
    response = render(request, PANEL, panel_context(request, claim), status=201)
    return _changed(push_url(response, claim.get_absolute_url()), claim.pk)


@require_GET
@login_required
@editor_required
def claim_detail(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    return _panel(request, panel_claim(pk, claim_pk))


@require_POST
@login_required
@editor_required
def claim_update(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = panel_claim(pk, claim_pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _panel(request, claim, status=422, form=form)
    try:
        claim = workflow.update(
            claim,
            by=request.user,
            version=form.cleaned_data["version"],
            claim_text=form.cleaned_data["claim_text"],
            claimant=form.cleaned_data["claimant"],
        )
    except workflow.StaleVersion as error:
        # The editor's values stay in the form, over the current version, so
        # saving again applies them on top of the other person's change.
        current = panel_claim(pk, claim_pk)
        return _panel(request, current, status=409, form=form, version=current.version, stale=error)
    except workflow.Invalid as error:
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        if not error.errors:
            form.add_error(None, error.message)
        return _panel(request, claim, status=422, form=form)
    except workflow.WorkflowError as error:
        return _panel(request, claim, status=error.status_code, form=form, error=error.message)
    if not wants_partial(request):
        return redirect(claim)
    return _changed(_panel(request, panel_claim(pk, claim.pk)), claim.pk)


@require_POST
@login_required
@editor_required
def claim_delete(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = panel_claim(pk, claim_pk)
    article = claim.article
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _panel(
            request, claim, status=422, error="The form was incomplete; reload and try again."
        )
    try:
        workflow.delete(claim, by=request.user, version=form.cleaned_data["version"])
    except workflow.StaleVersion as error:
        current = panel_claim(pk, claim_pk)
        return _panel(request, current, status=409, stale=error)
    except workflow.WorkflowError as error:
        return _panel(request, claim, status=error.status_code, error=error.message)
    if not wants_partial(request):
        return redirect(article)
    response = _panel(request, None, deleted=True)
    return _changed(push_url(response, article.get_absolute_url()), claim_pk)
