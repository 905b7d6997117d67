"""The claim panel: the one module that builds and renders it.

Every view that shows or changes a claim answers through here: the panel
alone for htmx, the reader around it otherwise, a redirect after a plain
successful POST. A refused submission comes back as a ``Refusal``, shown
next to the form it came from with the person's values kept, and the
workflow's domain errors become HTTP statuses in ``STATUS_FOR`` only.

Sections of the panel are templates included by claim_panel.html in order;
their context is built by ``context`` below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_htmx.http import trigger_client_event

from annotations import desk, live, notifications, permissions, reader, revisions, workflow
from annotations.forms import (
    AssignmentForm,
    ClaimForm,
    CommentForm,
    EvidenceForm,
    SubmitForm,
    TransitionForm,
    VerdictForm,
)
from annotations.models import Article, Claim, ClaimEvent, Rating
from annotations.views.common import wants_partial

PANEL = "annotations/claim_panel.html"
PAGE = "annotations/article_detail.html"

# The workflow's refusals as HTTP statuses, for the panel; the first match wins.
STATUS_FOR: tuple[tuple[type[workflow.WorkflowError], int], ...] = (
    (workflow.StaleVersion, 409),
    (workflow.NotAllowed, 403),
    (workflow.NotApplicable, 409),
    (workflow.Invalid, 422),
)


def status_for(error: workflow.WorkflowError) -> int:
    return next(code for kind, code in STATUS_FOR if isinstance(error, kind))


@dataclass(frozen=True)
class Refusal:
    """A refused submission: ``form`` names the form it came from (``claim``,
    ``verdict``, ``evidence-new``, ``evidence-<pk>``, ``action-<name>``,
    ``comment``, ``delete``, ``assignment``); ``bound`` is that form with the
    person's values."""

    form: str
    bound: forms.Form | None = None
    stale: workflow.StaleVersion | None = None
    message: str = ""


def load(claim_pk: int, article_pk: int | None = None) -> Claim:
    """The claim the panel shows, with what it reads joined."""
    lookup: dict[str, int] = {"pk": claim_pk}
    if article_pk is not None:
        lookup["article_id"] = article_pk
    return get_object_or_404(
        Claim.objects.select_related(
            "article", "rating", "correction_of", "submitted_by", "assignee", "reviewer"
        ),
        **lookup,
    )


# --- the context ---------------------------------------------------------------

SENTENCE_END = re.compile("[.!?][\"\u201d\u2019')\\]]*\\s+")


def passage(body: str, start: int, end: int, sentences: int = 1) -> tuple[str, str]:
    """The text around a claim inside its paragraph: the sentence it starts
    in with ``sentences`` more before it, and likewise after its end."""
    head = body.rfind("\n\n", 0, start)
    head = 0 if head < 0 else head + 2
    tail = body.find("\n\n", end)
    tail = len(body) if tail < 0 else tail
    before, after = body[head:start], body[end:tail]
    cuts = [m.end() for m in SENTENCE_END.finditer(before)]
    if len(cuts) > sentences:
        before = "…" + before[cuts[-sentences - 1] :]
    ends = [m.end() for m in SENTENCE_END.finditer(after)]
    if len(ends) > sentences:
        after = after[: ends[sentences]].rstrip() + " …"
    return before, after


def history_rows(events, ratings, claim: Claim | None = None) -> list[dict[str, Any]]:
    """Events as the timeline shows them: who, when, what, before → after,
    and whether the step was on a correction's working copy."""
    labels = {rating.slug: rating.label for rating in ratings}
    events = list(events)
    # One query for the people the comments mention, none when nobody is.
    known = notifications.mentionable(
        name for event in events for name in notifications.mentioned_usernames(event.comment)
    )
    return [
        {
            "event": event,
            "changes": workflow.describe_changes(event.changes, labels),
            "on_copy": claim is not None and event.claim_id != claim.pk,
            "comment": notifications.mention_parts(event.comment, known),
        }
        for event in events
    ]


def context(request: HttpRequest, claim: Claim | None, *, refusal: Refusal | None = None, **extra):
    """Everything claim_panel.html and its sections read. A constant number
    of queries whatever the claim's history."""
    data: dict[str, Any] = {"claim": claim, "user": request.user, **extra}
    if claim is None:
        return data
    user = request.user
    ratings = list(Rating.objects.all())
    evidence = list(claim.evidence.all())
    events = list(workflow.history(claim).select_related("actor"))
    own_events = [event for event in events if event.claim_id == claim.pk]
    corrections = list(claim.corrections.select_related("approved_by")) if claim.is_public else []
    editable = claim.status_enum.is_editable and permissions.can_edit_claim(user, claim)

    def pick(key: str, make):
        if refusal is not None and refusal.form == key and refusal.bound is not None:
            return refusal.bound
        return make()

    version = {"version": claim.version}
    assignable = claim.status in workflow.ASSIGNABLE_STATUSES and permissions.is_editor(user)
    # The desk, loaded once for the assignment form and the submit form.
    people = list(permissions.desk_members()) if assignable else None
    claim_form = pick("claim", lambda: ClaimForm.for_claim(claim))
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
            "key": f"evidence-{item.pk}",
            "form": pick(
                f"evidence-{item.pk}",
                lambda item=item: EvidenceForm(
                    initial={**version, **item.as_dict()}, auto_id=f"id_evidence{item.pk}_%s"
                ),
            ),
        }
        for item in evidence
    ]
    actions = [
        {
            "transition": row,
            "name": row.name,
            "key": f"action-{row.name}",
            "label": row.label,
            "reason": reason,
            "form": pick(
                f"action-{row.name}",
                lambda row=row: _transition_form(row.name, claim, people, user),
            ),
        }
        for row, reason in workflow.available_actions(claim, user, events=own_events)
    ]
    shown = {"comment", *(action["key"] for action in actions)}
    if editable:
        shown |= {"claim", "verdict", "evidence-new", *(row["key"] for row in evidence_rows)}
    if assignable:
        shown.add("assignment")
    deletable = workflow.is_deletable(claim)
    if deletable:
        shown.add("delete")
    submitted = next(
        (e for e in reversed(own_events) if e.action == ClaimEvent.Action.SUBMITTED), None
    )
    requested = None
    if claim.status == Claim.Status.DRAFT and claim.changes_requested_at:
        requested = next(
            (e for e in reversed(own_events) if e.action == ClaimEvent.Action.CHANGES_REQUESTED),
            None,
        )
    before, after = passage(claim.article.body, claim.start, claim.end)
    data.update(
        version=claim.version,
        editable=editable,
        deletable=deletable,
        claim_form=claim_form,
        verdict_form=verdict_form,
        evidence_rows=evidence_rows,
        new_evidence_form=pick(
            "evidence-new", lambda: EvidenceForm(initial=version, auto_id="id_new_evidence_%s")
        ),
        actions=actions,
        comment_form=pick("comment", lambda: CommentForm(auto_id="id_comment_%s")),
        assignable=assignable,
        assignment_form=pick(
            "assignment",
            lambda: AssignmentForm.for_claim(claim, people, auto_id="id_assignment_%s"),
        )
        if assignable
        else None,
        overdue=desk.is_overdue(claim, timezone.now()),
        history=history_rows(events, ratings, claim),
        corrections=corrections,
        passage_before=before,
        passage_after=after,
        submitted=submitted if claim.status == Claim.Status.IN_REVIEW else None,
        # Assigning changes a claim in review too: it waits since its submission.
        waiting_since=(submitted.created_at if submitted else claim.updated_at)
        if claim.status == Claim.Status.IN_REVIEW
        else None,
        changes_requested=requested,
        refusal=refusal,
        # Live updates compare it with the claim's newest event elsewhere.
        last_event=max((event.pk for event in own_events), default=0),
        # A refusal whose form is not on the panel any more (the claim moved
        # on) is shown at the top instead.
        refusal_elsewhere=refusal if refusal is not None and refusal.form not in shown else None,
        now=timezone.now(),
    )
    return data


def _transition_form(name: str, claim: Claim, people, user) -> TransitionForm:
    """The form of one workflow step; submitting also picks the reviewer,
    from everyone but the person submitting (four eyes)."""
    auto_id = f"id_{name}_%s"
    if name == "submit" and people is not None:
        initial = {"version": claim.version, "reviewer": claim.reviewer_id}
        others = [person for person in people if person.pk != user.pk]
        return SubmitForm(initial=initial, auto_id=auto_id, people=others)
    return TransitionForm(initial={"version": claim.version}, auto_id=auto_id)


def reader_context(
    request: HttpRequest, article: Article, *, live_version: str | None = None
) -> dict:
    """What the reader shows (the article with its highlights, the claim
    list, orphans) and the version it shows, for live updates."""
    # The version is read first: a change made while the rest is read then
    # shows on the next poll instead of being missed.
    if live_version is None:
        live_version = live.article_version(article.pk)
    # Rows, not model instances: thousands of claims, a few fields each.
    claims = list(
        article.claims.in_reading_order()
        # Superseded and dropped working copies live on in the history only.
        .exclude(status=Claim.Status.SUPERSEDED)
        .exclude(correction_of__isnull=False, status=Claim.Status.DISMISSED)
        .values_list(
            "id",
            "article_id",
            "part",
            "orphan_revision_id",
            "start",
            "end",
            "quote",
            "claimant",
            "status",
            named=True,
        )
    )
    parts = reader.build_parts(article, claims)
    return {
        "article": article,
        "claims": claims,
        "parts": parts,
        "orphans": list(revisions.orphans_of(article)),
        "statuses": [s for s in Claim.Status if s != Claim.Status.SUPERSEDED],
        "live_version": live_version,
    }


# --- answering -------------------------------------------------------------------


def render_reader(
    request: HttpRequest,
    article: Article,
    claim: Claim | None = None,
    *,
    status: int = 200,
    refusal: Refusal | None = None,
    **extra,
) -> HttpResponse:
    """The whole reader page with the panel showing ``claim``."""
    data = reader_context(request, article)
    data.update(context(request, claim, refusal=refusal, **extra))
    return render(request, PAGE, data, status=status)


def show(
    request: HttpRequest,
    claim: Claim | None,
    *,
    status: int = 200,
    refusal: Refusal | None = None,
    article: Article | None = None,
    **extra,
) -> HttpResponse:
    """The panel alone for htmx, the reader around it otherwise."""
    if wants_partial(request):
        return render(
            request, PANEL, context(request, claim, refusal=refusal, **extra), status=status
        )
    return render_reader(
        request, article or claim.article, claim, status=status, refusal=refusal, **extra
    )


def changed(response: HttpResponse, claim_id: int) -> HttpResponse:
    """Tell the other parts of the page (reader, queues) that a claim changed."""
    return trigger_client_event(response, "claimChanged", {"id": claim_id})


def saved(request: HttpRequest, claim: Claim) -> HttpResponse:
    """After a successful change: the fresh panel (htmx) or a redirect."""
    if not wants_partial(request):
        return redirect(claim.get_absolute_url())
    return changed(show(request, load(claim.pk)), claim.pk)


def invalid(request: HttpRequest, claim: Claim, key: str, bound: forms.Form) -> HttpResponse:
    """A form that did not validate: 422 with its errors next to its fields."""
    return show(request, claim, status=422, refusal=Refusal(key, bound))


def refused(
    request: HttpRequest,
    claim: Claim,
    error: workflow.WorkflowError,
    *,
    form: str,
    bound: forms.Form | None = None,
) -> HttpResponse:
    """The workflow refused: nothing was written; the panel says why next to
    the control and keeps what the person typed."""
    fresh = load(claim.pk)
    if isinstance(error, workflow.StaleVersion):
        if bound is not None:
            bound = bound.rebased(fresh.version)
        refusal = Refusal(form, bound, stale=error)
    elif isinstance(error, workflow.Invalid) and bound is not None and error.errors:
        for field, messages in error.errors.items():
            for message in messages:
                bound.add_error(field if field in bound.fields else None, message)
        refusal = Refusal(form, bound)
    else:
        refusal = Refusal(form, bound, message=error.message)
    return show(request, fresh, status=status_for(error), refusal=refusal)
