"""Marking, editing and moving claims: the claim fields, the verdict, the
evidence, the workflow steps, comments and history. Every change goes
through ``annotations.workflow``; every answer through ``views.panel``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap, retarget

from annotations import permissions, workflow
from annotations.forms import (
    AssignmentForm,
    ClaimForm,
    CommentForm,
    EvidenceForm,
    MarkForm,
    SubmitForm,
    TransitionForm,
    VerdictForm,
    VersionedForm,
)
from annotations.models import Article, Claim, Evidence, Rating
from annotations.views import panel
from annotations.views.common import wants_partial, workspace_view


def _save(
    request: HttpRequest,
    claim: Claim,
    key: str,
    form: forms.Form,
    write: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    """Validate ``form``, run ``write`` with its data, answer with the panel."""
    if not form.is_valid():
        return panel.invalid(request, claim, key, form)
    try:
        write(form.cleaned_data)
    except workflow.WorkflowError as error:
        return panel.refused(request, claim, error, form=key, bound=form)
    return panel.saved(request, claim)


# --- marking ---------------------------------------------------------------------


def _mark_failed(request: HttpRequest, article: Article, message: str, status: int, **extra):
    if wants_partial(request):
        context = {"message": message, "article": article, **extra}
        response = render(request, "annotations/claim_mark_error.html", context, status=status)
        return reswap(retarget(response, "#mark-status"), "innerHTML")
    return panel.render_reader(request, article, None, status=status, mark_error=message)


@workspace_view("POST")
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _mark_failed(
            request, article, "Select the text of the claim in the article body first.", 422
        )
    try:
        # Trimming and the claimant guess live in workflow.mark, shared with the API.
        claim = workflow.mark(
            article,
            by=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            quote=form.cleaned_data["quote"],
            claimant=form.cleaned_data["claimant"] or None,
            part=form.cleaned_data["part"] or "body",
            allow_short=form.cleaned_data["allow_short"],
        )
    except workflow.WorkflowError as error:
        extra = {
            "existing": getattr(error, "existing", None),
            # "Mark anyway" sends the same selection again.
            "short": form.cleaned_data if isinstance(error, workflow.TooShort) else None,
        }
        return _mark_failed(request, article, error.message, panel.status_for(error), **extra)
    if not wants_partial(request):
        return redirect(claim)
    response = panel.show(request, panel.load(claim.pk), status=201)
    return panel.changed(push_url(response, claim.get_absolute_url()), claim.pk)


# --- the claim fields ------------------------------------------------------------


@workspace_view("GET")
def claim_detail(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    return panel.show(request, panel.load(claim_pk, pk))


@workspace_view("POST")
def claim_update(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk, pk)
    form = ClaimForm(request.POST)
    return _save(
        request,
        claim,
        "claim",
        form,
        lambda data: workflow.update(
            claim,
            by=request.user,
            version=data["version"],
            claim_text=data["claim_text"],
            claimant=data["claimant"],
            **form.publication_values(),
        ),
    )


@workspace_view("POST")
def claim_delete(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk, pk)
    article = claim.article
    form = VersionedForm(request.POST)
    if not form.is_valid():
        refusal = panel.Refusal("delete", message="The form was incomplete; reload and try again.")
        return panel.show(request, claim, status=422, refusal=refusal)
    try:
        workflow.delete(claim, by=request.user, version=form.cleaned_data["version"])
    except workflow.WorkflowError as error:
        return panel.refused(request, claim, error, form="delete")
    if not wants_partial(request):
        return redirect(article)
    response = panel.show(request, None, article=article, deleted=True)
    return panel.changed(push_url(response, article.get_absolute_url()), claim_pk)


# --- verdict and evidence --------------------------------------------------------


@workspace_view("POST")
def claim_verdict(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    return _save(
        request,
        claim,
        "verdict",
        VerdictForm(request.POST, auto_id="id_verdict_%s"),
        lambda data: workflow.update(
            claim,
            by=request.user,
            version=data["version"],
            rating=data["rating"],
            summary=data["summary"],
            rationale=data["rationale"],
        ),
    )


def _evidence_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "version"}


@workspace_view("POST")
def evidence_create(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    return _save(
        request,
        claim,
        "evidence-new",
        EvidenceForm(request.POST, auto_id="id_new_evidence_%s"),
        lambda data: workflow.add_evidence(
            claim, by=request.user, version=data["version"], **_evidence_fields(data)
        ),
    )


@workspace_view("POST")
def evidence_update(request: HttpRequest, claim_pk: int, evidence_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, claim=claim)
    return _save(
        request,
        claim,
        f"evidence-{evidence.pk}",
        EvidenceForm(request.POST, auto_id=f"id_evidence{evidence.pk}_%s"),
        lambda data: workflow.change_evidence(
            evidence, by=request.user, version=data["version"], **_evidence_fields(data)
        ),
    )


@workspace_view("POST")
def evidence_delete(request: HttpRequest, claim_pk: int, evidence_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, claim=claim)
    try:
        workflow.remove_evidence(evidence, by=request.user, version=request.POST.get("version"))
    except workflow.WorkflowError as error:
        return panel.refused(request, claim, error, form=f"evidence-{evidence.pk}")
    return panel.saved(request, claim)


# --- workflow steps, comments, history -------------------------------------------


@workspace_view("POST")
def claim_transition(request: HttpRequest, claim_pk: int, action: str) -> HttpResponse:
    claim = panel.load(claim_pk)
    key = f"action-{action}"
    if action == "submit":
        people = list(permissions.desk_members())
        form = SubmitForm(request.POST, auto_id=f"id_{action}_%s", people=people)
    else:
        form = TransitionForm(request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return panel.invalid(request, claim, key, form)
    try:
        if isinstance(form, SubmitForm):
            result = workflow.submit(
                claim,
                by=request.user,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
                **form.reviewer_choice(),
            )
        else:
            result = workflow.perform(
                action,
                claim,
                by=request.user,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
    except workflow.WorkflowError as error:
        return panel.refused(request, claim, error, form=key, bound=form)
    if result.pk != claim.pk:
        # Starting a correction opens its working copy; approving or dropping
        # one lands on the published claim: go to that claim's page.
        if wants_partial(request):
            return HttpResponseClientRedirect(result.get_absolute_url())
        return redirect(result.get_absolute_url())
    return panel.saved(request, result)


@workspace_view("POST")
def claim_assign(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    form = AssignmentForm(
        request.POST, auto_id="id_assignment_%s", people=list(permissions.desk_members())
    )
    return _save(
        request,
        claim,
        "assignment",
        form,
        lambda data: workflow.assign(
            claim,
            by=request.user,
            version=data["version"],
            assignee=data["assignee"],
            reviewer=data["reviewer"],
            due=data["due"],
            priority=data["priority"],
        ),
    )


@workspace_view("POST")
def claim_comment(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    return _save(
        request,
        claim,
        "comment",
        CommentForm(request.POST, auto_id="id_comment_%s"),
        lambda data: workflow.comment(claim, by=request.user, text=data["comment"]),
    )


@workspace_view("GET")
def claim_history(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = panel.load(claim_pk)
    events = workflow.history(claim).select_related("actor")
    data = {"claim": claim, "history": panel.history_rows(events, Rating.objects.all(), claim)}
    if wants_partial(request):
        return render(request, "annotations/_review_history.html", data)
    return render(request, "annotations/_review_history_page.html", data)
