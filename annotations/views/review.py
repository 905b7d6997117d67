"""Review views: verdicts, evidence, workflow transitions, history and the
dashboard queues.

They are glue: parse a form, call ``annotations.workflow``, answer with the
review partial of the claim panel (htmx) or redirect to the claim (plain
POST). Refusals come back as the partial with the reason: 403 (not allowed),
409 (does not apply, or a stale version), 422 (invalid input).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from annotations import permissions, workflow
from annotations.models import Claim, ClaimEvent, Evidence, Rating
from annotations.review_forms import (
    CommentForm,
    EvidenceForm,
    TransitionForm,
    VerdictForm,
)
from annotations.views.common import editor_required, wants_partial

PANEL_TEMPLATE = "annotations/claim_panel.html"

# Labels of the comment each step takes; the steps that require one say so.
COMMENT_LABELS = {
    "request_changes": "What needs to change",
    "dismiss": "Why it is not check-worthy",
    "retract": "Public retraction note",
    "start_correction": "What the correction fixes",
}


# --- the panel context ------------------------------------------------------


def history_rows(events, ratings) -> list[dict[str, Any]]:
    """Events as the timeline shows them: who, when, what, and before → after."""
    labels = {rating.slug: rating.label for rating in ratings}
    rows = []
    for event in events:
        rows.append({"event": event, "changes": workflow.describe_changes(event.changes, labels)})
    return rows


def _load(claim_pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("article", "rating", "correction_of", "pending_correction"),
        pk=claim_pk,
    )


def panel_context(request: HttpRequest, claim: Claim, **state: Any) -> dict[str, Any]:
    """What the review part of the claim panel (_claim_review.html) needs, on
    top of ``claim`` and ``user``: the verdict and evidence forms, the actions
    that apply with the reason when the user may not take them, the history
    and the corrections log. A constant number of queries whatever the claim.

    ``state`` carries a refused submission back into the panel: ``form``
    names the form it came from (``verdict``, ``evidence-new``,
    ``evidence-<pk>``, ``action-<name>``, ``comment``), ``bound`` is that form
    with the editor's values, ``stale`` a ``workflow.StaleVersion``, ``alert``
    a message.
    """
    # A view of this module that answers with the whole panel leaves the
    # refused submission here, because the panel's own view builds the context.
    state = {**getattr(request, "review_state", {}), **state}
    user = request.user
    ratings = list(Rating.objects.all())
    evidence = list(claim.evidence.all())
    events = list(
        ClaimEvent.objects.filter(claim=claim).select_related("actor").order_by("created_at", "id")
    )
    # The four-eyes check reads these instead of querying again.
    claim._prefetched_objects_cache = {
        **getattr(claim, "_prefetched_objects_cache", {}),
        "events": events,
        "evidence": evidence,
    }
    corrections = list(claim.corrections.select_related("approved_by")) if claim.is_public else []
    failed = state.get("form")
    bound = state.get("bound")

    def pick(name: str, make):
        return bound if failed == name and bound is not None else make()

    version = {"version": claim.version}
    verdict_form = pick(
        "verdict",
        lambda: VerdictForm(
            initial={
                **version,
                "rating": claim.rating_id,
                "summary": claim.summary,
                "rationale": claim.rationale,
            },
            ratings=ratings,
            auto_id="id_verdict_%s",
        ),
    )
    evidence_rows = [
        {
            "evidence": item,
            "form": pick(
                f"evidence-{item.pk}",
                lambda item=item: EvidenceForm(
                    initial={**version, **item.as_dict()}, auto_id=f"id_evidence{item.pk}_%s"
                ),
            ),
        }
        for item in evidence
    ]
    new_evidence_form = pick(
        "evidence-new", lambda: EvidenceForm(initial=version, auto_id="id_new_evidence_%s")
    )
    actions = []
    for action, transition, reason in workflow.available_actions(claim, user):
        form = pick(
            f"action-{action}",
            lambda action=action: TransitionForm(initial=version, auto_id=f"id_{action}_%s"),
        )
        actions.append(
            {
                "name": action,
                "label": transition.label,
                "reason": reason,
                "comment_required": transition.comment_required,
                "comment_label": COMMENT_LABELS.get(action, "Comment"),
                "form": form,
            }
        )
    can_edit = permissions.can_edit_claim(user, claim) and claim.status == Claim.Status.DRAFT
    shown = {f"action-{action['name']}" for action in actions}
    if can_edit:
        shown |= {"verdict", "evidence-new", *(f"evidence-{item.pk}" for item in evidence)}
    return {
        "claim": claim,
        "user": user,
        "can_edit": can_edit,
        "verdict_form": verdict_form,
        "evidence_rows": evidence_rows,
        "new_evidence_form": new_evidence_form,
        "actions": actions,
        "comment_form": pick("comment", lambda: CommentForm(auto_id="id_comment_%s")),
        "history": history_rows(events, ratings),
        "corrections": corrections,
        # Prefixed: the panel around this part has a "stale" of its own.
        "review_failed": failed,
        "review_stale": state.get("stale"),
        # When the refused form is not on the panel any more (the claim moved
        # on) or has no fields (removing a source), the message goes on top.
        "review_stale_top": None if bound is not None and failed in shown else state.get("stale"),
        "review_alert": state.get("alert"),
    }


# --- answering ---------------------------------------------------------------


def _answer(
    request: HttpRequest, claim: Claim, *, status: int = 200, changed: bool = False, **state: Any
) -> HttpResponse:
    """The claim panel (htmx) or the reader around it, with ``state`` shown in
    the review part; a successful plain POST redirects to the claim."""
    if not wants_partial(request) and (status == 200 or changed):
        return redirect(claim.get_absolute_url())
    # The whole panel comes back, so that every form in it (the claim fields
    # too) carries the version this change produced.
    from annotations.views import articles  # the panel's module imports this one

    request.review_state = state
    if wants_partial(request):
        response = render(
            request, PANEL_TEMPLATE, articles.panel_context(request, claim), status=status
        )
    else:
        response = articles.render_reader(request, claim.article, claim, status=status)
    if changed:
        trigger_client_event(response, "claimChanged", {"id": claim.pk})
    return response


def _refused(
    request: HttpRequest, claim: Claim, error: workflow.WorkflowError, *, form: str, bound=None
) -> HttpResponse:
    """Answer a refusal: nothing was written, the panel says why."""
    if isinstance(error, workflow.StaleVersion):
        fresh = _load(claim.pk)
        if bound is not None:
            # The editor's values stay; the hidden version moves on, so that
            # saving again applies them on top of the other person's changes.
            data = bound.data.copy()
            data["version"] = str(fresh.version)
            bound = type(bound)(data, **_form_kwargs(bound))
            bound.is_valid()
        return _answer(request, fresh, status=409, form=form, bound=bound, stale=error)
    if isinstance(error, workflow.Invalid) and bound is not None:
        for field, messages in error.errors.items():
            for message in messages:
                bound.add_error(field if field in bound.fields else None, message)
        return _answer(request, _load(claim.pk), status=422, form=form, bound=bound)
    status = {403: 403, 409: 409}.get(error.status_code, 422)
    return _answer(
        request, _load(claim.pk), status=status, form=form, bound=bound, alert=error.message
    )


def _form_kwargs(form) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"auto_id": form.auto_id}
    if isinstance(form, VerdictForm):
        kwargs["ratings"] = None
    return kwargs


# --- views -------------------------------------------------------------------


@require_POST
@login_required
@editor_required
def claim_verdict(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    form = VerdictForm(request.POST, auto_id="id_verdict_%s")
    if not form.is_valid():
        return _answer(request, claim, status=422, form="verdict", bound=form)
    try:
        claim = workflow.update(
            claim,
            by=request.user,
            version=form.cleaned_data["version"],
            rating=form.cleaned_data["rating"],
            summary=form.cleaned_data["summary"],
            rationale=form.cleaned_data["rationale"],
        )
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form="verdict", bound=form)
    return _answer(request, _load(claim.pk), changed=True)


@require_POST
@login_required
@editor_required
def evidence_create(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    form = EvidenceForm(request.POST, auto_id="id_new_evidence_%s")
    if not form.is_valid():
        return _answer(request, claim, status=422, form="evidence-new", bound=form)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        workflow.add_evidence(
            claim, by=request.user, version=form.cleaned_data["version"], **fields
        )
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form="evidence-new", bound=form)
    return _answer(request, _load(claim.pk), changed=True)


@require_POST
@login_required
@editor_required
def evidence_update(request: HttpRequest, claim_pk: int, evidence_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, claim=claim)
    name = f"evidence-{evidence.pk}"
    form = EvidenceForm(request.POST, auto_id=f"id_evidence{evidence.pk}_%s")
    if not form.is_valid():
        return _answer(request, claim, status=422, form=name, bound=form)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        workflow.change_evidence(
            evidence, by=request.user, version=form.cleaned_data["version"], **fields
        )
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form=name, bound=form)
    return _answer(request, _load(claim.pk), changed=True)


@require_POST
@login_required
@editor_required
def evidence_delete(request: HttpRequest, claim_pk: int, evidence_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, claim=claim)
    try:
        workflow.remove_evidence(evidence, by=request.user, version=request.POST.get("version"))
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form=f"evidence-{evidence.pk}")
    return _answer(request, _load(claim.pk), changed=True)


@require_POST
@login_required
@editor_required
def claim_transition(request: HttpRequest, claim_pk: int, action: str) -> HttpResponse:
    claim = _load(claim_pk)
    name = f"action-{action}"
    form = TransitionForm(request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return _answer(request, claim, status=422, form=name, bound=form)
    try:
        result = workflow.perform(
            action,
            claim,
            by=request.user,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form=name, bound=form)
    if result.pk != claim.pk:
        # Starting a correction opens its working copy; approving or dropping
        # one lands on the published claim: go to that claim's page.
        if wants_partial(request):
            return HttpResponseClientRedirect(result.get_absolute_url())
        return redirect(result.get_absolute_url())
    return _answer(request, _load(result.pk), changed=True)


@require_POST
@login_required
@editor_required
def claim_comment(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    form = CommentForm(request.POST, auto_id="id_comment_%s")
    if not form.is_valid():
        return _answer(request, claim, status=422, form="comment", bound=form)
    try:
        workflow.comment(claim, by=request.user, text=form.cleaned_data["comment"])
    except workflow.WorkflowError as error:
        return _refused(request, claim, error, form="comment", bound=form)
    return _answer(request, claim, changed=True)


@require_GET
@login_required
@editor_required
def claim_history(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = _load(claim_pk)
    events = ClaimEvent.objects.filter(claim=claim).select_related("actor")
    context = {"claim": claim, "history": history_rows(events, Rating.objects.all())}
    if wants_partial(request):
        return render(request, "annotations/_review_history.html", context)
    return render(request, "annotations/_review_history_page.html", context)


@require_GET
@login_required
@editor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    base = Claim.objects.select_related("article", "rating", "submitted_by")
    queues = [
        ("drafts", "My drafts", base.drafts_of(user).order_by("-updated_at", "-id")),
        (
            "changes",
            "Changes requested to me",
            base.changes_requested_to(user).order_by("-changes_requested_at", "-id"),
        ),
    ]
    if permissions.is_reviewer(user):
        queues.insert(
            1, ("review", "Awaiting review", base.awaiting_review().order_by("updated_at", "id"))
        )
    queues.append(("published", "Recently published", base.recently_published()))
    context = {
        "queues": [
            {"slug": slug, "title": title, "claims": list(qs[:20]), "count": qs.count()}
            for slug, title, qs in queues
        ]
    }
    template = "annotations/dashboard.html"
    if wants_partial(request):
        template += "#queues"
    return render(request, template, context)
