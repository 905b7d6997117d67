"""The article as a living document: its details form, its history with the
revision timeline and diffs, new versions, and orphaned claims."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from annotations import importers, revisions, workflow
from annotations.article_forms import ArticleMetadataForm, DiffForm, NewVersionForm, ReattachForm
from annotations.models import Article, Claim
from annotations.views.common import wants_partial, workspace_view

FIELD_LABELS = {
    **ArticleMetadataForm.Meta.labels,
    "captions": "Captions",
    "body": "Body",
}


def _history_rows(article: Article) -> list[dict]:
    rows = []
    for event in article.events.select_related("actor").order_by("-created_at", "-id"):
        changes = [
            {
                "field": FIELD_LABELS.get(name, name),
                "before": "" if before is None else str(before),
                "after": "" if after is None else str(after),
                "long": name in ("body", "captions"),
            }
            for name, (before, after) in event.changes.items()
        ]
        rows.append({"event": event, "changes": changes, "summary": event.summary})
    return rows


def _edit_context(article: Article, form=None, version_form=None) -> dict:
    return {
        "article": article,
        "form": form or ArticleMetadataForm(instance=article),
        "version_form": version_form or NewVersionForm(),
        "history": _history_rows(article),
    }


def _done(request: HttpRequest, article: Article, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@workspace_view("GET", "POST")
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the article's details; every change lands in its history."""
    article = get_object_or_404(Article, pk=pk)
    if request.method == "GET":
        return render(request, "annotations/article_edit.html", _edit_context(article))
    form = ArticleMetadataForm(request.POST, instance=article)
    if form.is_valid():
        try:
            revisions.edit(article, by=request.user, **form.cleaned_data)
        except revisions.RevisionRejected as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Article details saved.")
            return _done(request, article, reverse("annotations:article_edit", args=[pk]))
    template = "annotations/article_edit.html"
    if wants_partial(request):
        template += "#details-form"
    return render(request, template, _edit_context(article, form=form), status=422)


def _report(request: HttpRequest, result: revisions.Revised) -> None:
    if not result.changed:
        messages.info(request, "No change: the text is the same as the current revision.")
        return
    counts = result.counts
    messages.success(
        request,
        f"Revision {result.article.revision} saved. Claims: {counts.get('same', 0)} unchanged, "
        f"{counts.get('exact', 0)} moved exactly, {counts.get('fuzzy', 0)} re-anchored with a "
        f"changed quote, {counts.get('orphan', 0)} orphaned.",
    )


@workspace_view("POST")
def article_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A pasted or uploaded new version of the article."""
    article = get_object_or_404(Article, pk=pk)
    form = NewVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            if upload:
                text = importers.decode(upload.read(), name=upload.name)
                result = revisions.revise_from_text(
                    article, text, by=request.user, filename=upload.name, source="upload"
                )
            else:
                result = revisions.revise_from_text(
                    article, form.cleaned_data["text"], by=request.user, source="pasted"
                )
        except (revisions.RevisionRejected, importers.ImportRejected) as error:
            form.add_error(None, error.message)
        else:
            _report(request, result)
            return _done(request, article, reverse("annotations:article_history", args=[pk]))
    template = "annotations/article_edit.html"
    if wants_partial(request):
        template += "#version-form"
    return render(request, template, _edit_context(article, version_form=form), status=422)


@workspace_view("POST")
def article_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check for updates: fetch the source again."""
    article = get_object_or_404(Article, pk=pk)
    try:
        result = revisions.check_for_updates(article, by=request.user)
    except revisions.RevisionRejected as error:
        messages.error(request, f"Could not check for updates: {error.message}")
    else:
        _report(request, result)
    return _done(request, article, reverse("annotations:article_history", args=[pk]))


@workspace_view("GET")
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The revision timeline, a word-level diff between any two revisions,
    the history of edits and the orphaned claims."""
    article = get_object_or_404(Article, pk=pk)
    timeline = list(article.revisions.select_related("created_by").order_by("-number"))
    form = DiffForm(request.GET or None)
    diff = None
    numbers = {r.number: r for r in timeline}
    if article.revision > 1:
        if form.is_valid():
            a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        else:
            a, b = article.revision - 1, article.revision
            form = DiffForm(initial={"a": a, "b": b})
        if a in numbers and b in numbers:
            diff = {"a": numbers[a], "b": numbers[b]}
            diff["parts"] = revisions.diff_revisions(numbers[a], numbers[b])
        elif form.is_bound:
            form.add_error(None, f"Choose revisions between 1 and {article.revision}.")
    context = {
        "article": article,
        "timeline": timeline,
        "diff_form": form,
        "diff": diff,
        "history": _history_rows(article),
        "orphans": list(revisions.orphans_of(article)),
    }
    template = "annotations/article_history.html"
    if wants_partial(request):
        template += "#diff"
    return render(request, template, context)


@workspace_view("POST")
def orphan_reattach(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    """Re-attach an orphaned claim to the text selected in the reader."""
    claim = get_object_or_404(Claim, pk=claim_pk, article_id=pk)
    form = ReattachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select the passage in the article first, then re-attach.")
    else:
        data = form.cleaned_data
        try:
            workflow.reattach(
                claim,
                by=request.user,
                version=data["version"],
                part=data["part"],
                start=data["start"],
                end=data["end"],
                quote=data["quote"],
            )
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Claim re-attached.")
    url = reverse("annotations:article_detail", args=[pk]) + f"?claim={claim.pk}"
    response = _done(request, claim.article, url)
    return trigger_client_event(response, "claimChanged") if request.htmx else response


@workspace_view("POST")
def orphan_dismiss(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_pk, article_id=pk)
    try:
        workflow.dismiss_orphan(claim, by=request.user, version=request.POST.get("version"))
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Orphaned claim dismissed.")
    return _done(request, claim.article, reverse("annotations:article_detail", args=[pk]))


@workspace_view("GET")
def orphan_list(request: HttpRequest) -> HttpResponse:
    """Orphaned claims across articles: the dashboard loads this in place."""
    return render(
        request, "annotations/orphan_list.html", {"orphans": revisions.claims_needing_place()}
    )


@require_GET
def factcheck_changes(request: HttpRequest, claim_pk: int) -> HttpResponse:
    """Public: how the article changed since a fact-check was published, as a
    word-level diff from the revision then current to the current one."""
    claim = get_object_or_404(Claim.objects.public().select_related("article"), pk=claim_pk)
    article = claim.article
    later = claim.revisions_since_published()
    diff = None
    if later:
        current = revisions.current_revision(article)
        before = article.revisions.filter(number=later[0].number - 1).first()
        if before is not None:
            diff = {
                "a": before,
                "b": current,
                "parts": revisions.diff_revisions(before, current),
            }
    return render(
        request,
        "annotations/factcheck_changes.html",
        {"claim": claim, "article": article, "diff": diff},
    )
