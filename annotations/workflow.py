"""The claim workflow: the only code that creates, edits or moves a claim.

Every step has the same shape: in one transaction, lock the claim row,
check the version the caller saw, check permission and preconditions, change,
write one ``ClaimEvent``, return. Refusals raise a ``WorkflowError`` and write
nothing; views turn them into a message, the API into 403/409/412 JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations import anchoring, permissions
from annotations.models import (
    Article,
    ChangeEntry,
    Claim,
    ClaimEvent,
    Correction,
    Evidence,
    FeedCursor,
    Rating,
)
from annotations.reanchor import Method as AnchorMethod
from annotations.reanchor import changes_meaning

Status = Claim.Status
Action = ClaimEvent.Action


class WorkflowError(Exception):
    """A refused step. ``message`` says why, for a person to read."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(WorkflowError):
    status_code = 403


class NotApplicable(WorkflowError):
    """The step does not apply in the claim's current state."""

    status_code = 409


class Invalid(WorkflowError):
    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class StaleVersion(WorkflowError):
    """Somebody changed the claim since the caller read it."""

    status_code = 409

    def __init__(self, claim: Claim, seen: int) -> None:
        self.claim = claim
        self.seen = seen
        self.events = list(
            claim.events.filter(version__gt=seen).select_related("actor").order_by("id")
        )
        who = sorted({e.actor.get_username() for e in self.events if e.actor}) or ["someone"]
        super().__init__(
            f"This claim was changed by {', '.join(who)} since you opened it "
            f"(you saw version {seen}, it is now version {claim.version}). "
            "Nothing was saved: review their changes and apply yours again."
        )

    @property
    def changes(self) -> dict[str, list[Any]]:
        merged: dict[str, list[Any]] = {}
        for event in self.events:
            for field, (before, after) in event.changes.items():
                merged.setdefault(field, [before, after])[1] = after
        return merged

    @property
    def rows(self) -> list[dict[str, str]]:
        """``changes`` for people: field labels and readable values."""
        return describe_changes(self.changes)


FIELD_LABELS = {
    "rating": "Verdict",
    "summary": "Summary",
    "rationale": "Rationale",
    "claim_text": "Claim",
    "claimant": "Claimant",
    "status": "Status",
    "quote": "Quote",
    "retraction_note": "Retraction note",
    "correction": "Correction",
    "evidence": "Evidence",
}


def _readable(field: str, value: Any, ratings: dict[str, str]) -> str:
    if value in (None, "", [], {}):
        return ""
    if field == "status" and value in Status.values:
        return Status(value).label
    if field == "rating":
        return ratings.get(value) or str(value).replace("-", " ").capitalize()
    if isinstance(value, dict):
        return " · ".join(str(value[k]) for k in ("title", "url", "publisher") if value.get(k))
    if isinstance(value, list):
        return "; ".join(_readable(field, v, ratings) for v in value)
    return str(value)


def describe_changes(
    changes: dict[str, list[Any]], ratings: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """An event's ``{field: [before, after]}`` as rows a person can read;
    ``ratings`` maps rating slugs (as events store them) to labels."""
    rows = []
    for field, (before, after) in changes.items():
        name = field.partition(".")[0]
        row = {
            "field": FIELD_LABELS.get(name, name.replace("_", " ")),
            "before": _readable(name, before, ratings or {}),
            "after": _readable(name, after, ratings or {}),
        }
        if field not in ("start", "end") and (row["before"] or row["after"]):
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    label: str
    comment_required: bool = False


# status, action -> target. The whole state machine fits here.
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(Status.DRAFT, Status.IN_REVIEW, "Submit for review"),
    "approve": Transition(Status.IN_REVIEW, Status.PUBLISHED, "Approve and publish"),
    "request_changes": Transition(
        Status.IN_REVIEW, Status.DRAFT, "Request changes", comment_required=True
    ),
    "dismiss": Transition(Status.DRAFT, Status.DISMISSED, "Dismiss", comment_required=True),
    "reopen": Transition(Status.DISMISSED, Status.DRAFT, "Reopen"),
    "retract": Transition(Status.PUBLISHED, Status.RETRACTED, "Retract", comment_required=True),
    "start_correction": Transition(
        Status.PUBLISHED, Status.PUBLISHED, "Start correction", comment_required=True
    ),
}

EVENT_FOR_ACTION = {
    "submit": Action.SUBMITTED,
    "approve": Action.APPROVED,
    "request_changes": Action.CHANGES_REQUESTED,
    "dismiss": Action.DISMISSED,
    "reopen": Action.REOPENED,
    "retract": Action.RETRACTED,
    "start_correction": Action.CORRECTION_STARTED,
}

EDITABLE_FIELDS = ("claim_text", "claimant", "rating", "summary", "rationale")
VERDICT_FIELDS = ClaimEvent.VERDICT_FIELDS
EVIDENCE_FIELDS = ("url", "title", "publisher", "excerpt", "note")


def available_actions(claim: Claim, user) -> list[tuple[str, Transition, str | None]]:
    """The actions that apply to ``claim`` now, each with the reason ``user``
    may not take it (None when they may). The panel shows these."""
    result = []
    for action, transition in TRANSITIONS.items():
        if transition.source != claim.status:
            continue
        if action == "start_correction" and _has_pending_correction(claim):
            continue
        result.append((action, transition, permissions.denial(user, action, claim)))
    return result


# --- helpers -------------------------------------------------------------


def _locked(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article", "rating")
        .get(pk=claim.pk)
    )


def _check_version(claim: Claim, version: int | str | None) -> None:
    if version is None:
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise Invalid(
            "The form did not say which version of the claim you saw; reload and try again.",
            {"version": ["Enter a whole number."]},
        ) from None
    if seen != claim.version:
        raise StaleVersion(claim, seen)


def _record(
    claim: Claim,
    *,
    by,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
    from_status: str = "",
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        actor=by,
        action=action,
        changes=changes or {},
        comment=comment,
        from_status=from_status,
        to_status=claim.status if from_status else "",
        version=claim.version,
    )


def _bump(claim: Claim, update_fields: list[str]) -> None:
    claim.version += 1
    claim.save(update_fields=[*update_fields, "version", "updated_at"])


def _feed(claim: Claim, action: str) -> ChangeEntry:
    """Append to the changes feed with a gapless cursor.

    The counter row stays locked until this transaction commits, so cursors
    commit in order; the claim row is always locked first, so the lock order
    is the same in every step and cannot deadlock.
    """
    cursor, _ = FeedCursor.objects.select_for_update().get_or_create(pk=1)
    FeedCursor.objects.filter(pk=1).update(value=F("value") + 1)
    return ChangeEntry.objects.create(cursor=cursor.value + 1, claim=claim, action=action)


def _display(field: str, value: Any) -> Any:
    if isinstance(value, Rating):
        return value.slug
    return value


def _has_pending_correction(claim: Claim) -> bool:
    # Reads the select_related cache when the caller joined it.
    try:
        claim.pending_correction  # noqa: B018
    except Claim.DoesNotExist:
        return False
    return True


def _require_editable(claim: Claim) -> None:
    if claim.status != Status.DRAFT:
        raise NotApplicable(
            f"This claim is {claim.get_status_display().lower()}: only drafts can be edited."
            + (" Start a correction to change a published claim." if claim.is_public else "")
        )


def _require_editor(user, claim: Claim | None = None) -> None:
    if not permissions.is_editor(user):
        raise NotAllowed("Only editors and reviewers can change claims.")


def _validation_errors(error: ValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(error, "error_dict"):
        errors = {
            # The model field and its extra validator may say the same thing.
            field: list(dict.fromkeys(str(m) for e in errs for m in e.messages))
            for field, errs in error.error_dict.items()
        }
    else:
        errors = {"__all__": list(dict.fromkeys(error.messages))}
    return " ".join(m for ms in errors.values() for m in ms), errors


# --- creating and editing ------------------------------------------------


@transaction.atomic
def mark(
    article: Article,
    *,
    by,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    prefix: str = "",
    suffix: str = "",
    claim_text: str = "",
    claimant: str = "",
    part: str = "body",
) -> Claim:
    """Create a draft claim on ``article``.

    The span is given by ``start``/``end`` (code points; ``quote``, when
    given, must match) or by ``quote`` alone with optional ``prefix`` and
    ``suffix`` context, which must pick exactly one place in the ``part``
    (headline, standfirst, captions or body).
    """
    _require_editor(by)
    try:
        text = article.text_of(part)
    except ValueError:
        raise Invalid(f"Unknown part {part!r}.", {"part": ["Unknown part."]}) from None
    try:
        if start is not None or end is not None:
            if start is None or end is None:
                raise ValidationError("Give both start and end.", code="offsets")
            anchored = anchoring.span(text, start, end, quote)
        elif quote:
            anchored = anchoring.find_quote(text, quote, prefix, suffix)
        else:
            raise ValidationError("Give start and end offsets, or a quote.", code="offsets")
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error
    claim = Claim(
        article=article,
        part=part,
        start=anchored.start,
        end=anchored.end,
        quote=anchored.quote,
        claim_text=claim_text.strip(),
        claimant=claimant.strip(),
        created_by=by,
    )
    claim.save()
    _record(
        claim,
        by=by,
        action=Action.CREATED,
        changes={
            "start": [None, claim.start],
            "end": [None, claim.end],
            "quote": [None, claim.quote],
            "claim_text": [None, claim.claim_text],
            "claimant": [None, claim.claimant],
        },
    )
    return claim


@transaction.atomic
def update(claim: Claim, *, by, version: int | None, **fields: Any) -> Claim:
    """Change the editable fields of a draft (claim text, claimant, verdict,
    summary, rationale). ``rating`` takes a ``Rating``, or None to clear it."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    _require_editable(claim)
    changes: dict[str, list[Any]] = {}
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if field == "claim_text" and not value:
            value = claim.quote
        before = getattr(claim, field)
        if before != value:
            changes[field] = [_display(field, before), _display(field, value)]
            setattr(claim, field, value)
    if not changes:
        return claim
    try:
        claim.full_clean(exclude=["article", "created_by", "correction_of"])
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error
    update_fields = list(changes)
    if VERDICT_FIELDS & set(changes):
        claim.verdict_changed_by = by
        update_fields.append("verdict_changed_by")
    _bump(claim, update_fields)
    _record(claim, by=by, action=Action.EDITED, changes=changes)
    return claim


def _clean_evidence(evidence: Evidence) -> None:
    try:
        evidence.full_clean(exclude=["claim", "added_by"])
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error


def _evidence_of(claim: Claim, pk: int) -> Evidence:
    try:
        return Evidence.objects.get(pk=pk, claim=claim)
    except Evidence.DoesNotExist:
        raise NotApplicable("This evidence source was removed from the claim.") from None


def _evidence_changed(claim: Claim, by) -> None:
    claim.verdict_changed_by = by
    _bump(claim, ["verdict_changed_by"])


@transaction.atomic
def add_evidence(claim: Claim, *, by, version: int | None, **fields: str) -> Evidence:
    """Attach an evidence source (``url`` http/https, ``title``, ``publisher``,
    ``excerpt``, ``note``) to a draft."""
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    _require_editable(claim)
    evidence = Evidence(
        claim=claim,
        added_by=by,
        **{f: (fields.get(f) or "").strip() for f in EVIDENCE_FIELDS},
    )
    _clean_evidence(evidence)
    evidence.save()
    _evidence_changed(claim, by)
    _record(
        claim,
        by=by,
        action=Action.EVIDENCE_ADDED,
        changes={f"evidence.{evidence.pk}": [None, evidence.as_dict()]},
    )
    return evidence


@transaction.atomic
def change_evidence(evidence: Evidence, *, by, version: int | None, **fields: str) -> Evidence:
    """Edit one evidence source of a draft."""
    _require_editor(by)
    claim = _locked(evidence.claim)
    _check_version(claim, version)
    _require_editable(claim)
    evidence = _evidence_of(claim, evidence.pk)
    before = evidence.as_dict()
    for field in EVIDENCE_FIELDS:
        if field in fields:
            setattr(evidence, field, (fields[field] or "").strip())
    after = evidence.as_dict()
    if before == after:
        return evidence
    _clean_evidence(evidence)
    evidence.save()
    _evidence_changed(claim, by)
    _record(
        claim,
        by=by,
        action=Action.EVIDENCE_CHANGED,
        changes={f"evidence.{evidence.pk}": [before, after]},
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by, version: int | None) -> Claim:
    """Remove one evidence source from a draft."""
    _require_editor(by)
    claim = _locked(evidence.claim)
    _check_version(claim, version)
    _require_editable(claim)
    evidence = _evidence_of(claim, evidence.pk)
    before = evidence.as_dict()
    pk = evidence.pk
    evidence.delete()
    _evidence_changed(claim, by)
    _record(
        claim, by=by, action=Action.EVIDENCE_REMOVED, changes={f"evidence.{pk}": [before, None]}
    )
    return claim


@transaction.atomic
def comment(claim: Claim, *, by, text: str) -> ClaimEvent:
    """Add an internal comment to the claim's history."""
    _require_editor(by)
    text = text.strip()
    if not text:
        raise Invalid("A comment cannot be empty.", {"comment": ["This field is required."]})
    claim = _locked(claim)
    return _record(claim, by=by, action=Action.COMMENTED, comment=text)


def is_deletable(claim: Claim) -> bool:
    """Only a draft that was never submitted (nor a correction's copy) may go."""
    return claim.status == Status.DRAFT and not claim.submitted_by_id and not claim.correction_of_id


@transaction.atomic
def delete(claim: Claim, *, by, version: int | None) -> None:
    """Delete a draft that was marked by mistake. Claims that were ever
    submitted or published are kept: their history matters."""
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    if not is_deletable(claim):
        raise NotApplicable(
            "Only a draft that was never submitted can be deleted; dismiss it instead."
        )
    claim.delete()


# --- transitions ---------------------------------------------------------


def _begin(claim: Claim, action: str, *, by, version: int | None, comment: str) -> Claim:
    transition = TRANSITIONS[action]
    role = permissions.ACTION_ROLES[action]
    if not permissions.has_role(by, role):
        raise NotAllowed(f"Only a {role} can {transition.label[0].lower()}{transition.label[1:]}.")
    claim = _locked(claim)
    _check_version(claim, version)
    if claim.status != transition.source:
        raise NotApplicable(
            f"“{transition.label}” does not apply: the claim is "
            f"{claim.get_status_display().lower()}, not {transition.source.label.lower()}."
        )
    reason = permissions.denial(by, action, claim)
    if reason:
        raise NotAllowed(reason)
    if transition.comment_required and not comment.strip():
        raise Invalid(
            f"“{transition.label}” needs a comment saying why.",
            {"comment": ["This field is required."]},
        )
    return claim


def _move(
    claim: Claim,
    action: str,
    *,
    by,
    comment: str,
    extra: list[str] = (),
    changes: dict[str, list[Any]] | None = None,
) -> Claim:
    source = claim.status
    claim.status = TRANSITIONS[action].target
    _bump(claim, ["status", *extra])
    _record(
        claim,
        by=by,
        action=EVENT_FOR_ACTION[action],
        changes={"status": [source, claim.status], **(changes or {})},
        comment=comment.strip(),
        from_status=source,
    )
    return claim


@transaction.atomic
def submit(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Send a draft to review: it needs a verdict, a summary and evidence."""
    claim = _begin(claim, "submit", by=by, version=version, comment=comment)
    missing = []
    if claim.rating_id is None:
        missing.append("a verdict")
    if not claim.summary.strip():
        missing.append("a summary")
    if not claim.evidence.exists():
        missing.append("at least one evidence source")
    if missing:
        raise NotApplicable(f"Before submitting, add {', '.join(missing)}.")
    if claim.correction_of_id and not _correction_changes(claim.correction_of, claim):
        raise NotApplicable(
            "This correction changes nothing yet: edit the verdict, summary, rationale or "
            "evidence before submitting it."
        )
    claim.submitted_by = by
    claim.changes_requested_at = None
    return _move(
        claim, "submit", by=by, comment=comment, extra=["submitted_by", "changes_requested_at"]
    )


@transaction.atomic
def approve(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Publish a claim in review (four eyes: not its submitter or last editor).

    Approving a correction's working copy replaces the published version,
    records a public ``Correction`` and returns the published claim.
    """
    claim = _begin(claim, "approve", by=by, version=version, comment=comment)
    claim.reviewed_by = by
    if claim.correction_of_id:
        return _publish_correction(claim, by=by, comment=comment)
    claim.published_at = timezone.now()
    _move(claim, "approve", by=by, comment=comment, extra=["reviewed_by", "published_at"])
    _feed(claim, ChangeEntry.Action.PUBLISHED)
    return claim


def _correction_changes(original: Claim, copy: Claim) -> dict[str, list[Any]]:
    """What approving the working copy ``copy`` would change on ``original``."""
    changes: dict[str, list[Any]] = {}
    for field in EDITABLE_FIELDS:
        before, after = getattr(original, field), getattr(copy, field)
        if before != after:
            changes[field] = [_display(field, before), _display(field, after)]
    old_evidence = [e.as_dict() for e in original.evidence.all()]
    new_evidence = [e.as_dict() for e in copy.evidence.all()]
    if old_evidence != new_evidence:
        changes["evidence"] = [old_evidence, new_evidence]
    return changes


def _publish_correction(copy: Claim, *, by, comment: str) -> Claim:
    original = _locked(copy.correction_of)
    if original.status != Status.PUBLISHED:
        raise NotApplicable(
            f"The claim this corrects is {original.get_status_display().lower()} now; "
            "a correction can only replace a published claim."
        )
    changes = _correction_changes(original, copy)
    for field in EDITABLE_FIELDS:
        if field in changes:
            setattr(original, field, getattr(copy, field))
    if "evidence" in changes:
        original.evidence.all().delete()
        copy.evidence.update(claim=original)
    original.reviewed_by = by
    original.verdict_changed_by = copy.verdict_changed_by
    _bump(original, [*EDITABLE_FIELDS, "reviewed_by", "verdict_changed_by"])
    Correction.objects.create(
        claim=original,
        changes=changes,
        note=copy.correction_note or comment.strip(),
        corrected_by=copy.submitted_by,
        approved_by=by,
    )
    # The working copy's history becomes part of the published claim's, at
    # the version the correction produced: the copy's own version numbers mean
    # nothing on the published claim, and stale-edit checks compare versions.
    copy.events.update(claim=original, version=original.version)
    _record(
        original,
        by=by,
        action=Action.CORRECTION_PUBLISHED,
        changes=changes,
        comment=copy.correction_note,
    )
    copy.delete()
    _feed(original, ChangeEntry.Action.CORRECTED)
    return original


@transaction.atomic
def request_changes(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Send a claim in review back to its submitter with a comment."""
    claim = _begin(claim, "request_changes", by=by, version=version, comment=comment)
    claim.changes_requested_at = timezone.now()
    return _move(claim, "request_changes", by=by, comment=comment, extra=["changes_requested_at"])


@transaction.atomic
def dismiss(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Set a draft aside as not check-worthy; the note says why."""
    claim = _begin(claim, "dismiss", by=by, version=version, comment=comment)
    if claim.correction_of_id:
        return _abandon_correction(claim, by=by, comment=comment)
    return _move(claim, "dismiss", by=by, comment=comment)


def _abandon_correction(copy: Claim, *, by, comment: str) -> Claim:
    """Dismissing a correction's working copy drops it: the published claim
    stays as it is, keeps the copy's history, and can be corrected again."""
    original = _locked(copy.correction_of)
    copy.events.update(claim=original, version=original.version)
    _record(
        original,
        by=by,
        action=Action.DISMISSED,
        changes={"correction": [copy.pk, None]},
        comment=comment.strip(),
    )
    copy.delete()
    return original


@transaction.atomic
def reopen(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Bring a dismissed claim back to draft."""
    claim = _begin(claim, "reopen", by=by, version=version, comment=comment)
    return _move(claim, "reopen", by=by, comment=comment)


@transaction.atomic
def retract(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Withdraw a published fact-check; the comment is the public note."""
    claim = _begin(claim, "retract", by=by, version=version, comment=comment)
    before = claim.retraction_note
    claim.retraction_note = comment.strip()
    _move(
        claim,
        "retract",
        by=by,
        comment=comment,
        extra=["retraction_note"],
        changes={"retraction_note": [before, claim.retraction_note]},
    )
    _feed(claim, ChangeEntry.Action.RETRACTED)
    return claim


@transaction.atomic
def start_correction(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Open an editable working copy of a published claim. The published
    version stays public until the copy is approved. Returns the copy."""
    claim = _begin(claim, "start_correction", by=by, version=version, comment=comment)
    if _has_pending_correction(claim):
        raise NotApplicable("A correction of this claim is already under way.")
    copy = Claim(
        article=claim.article,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
        claim_text=claim.claim_text,
        claimant=claim.claimant,
        rating=claim.rating,
        summary=claim.summary,
        rationale=claim.rationale,
        correction_of=claim,
        correction_note=comment.strip(),
        created_by=by,
        # Whoever opens a correction shapes it: four eyes keep them from approving it.
        verdict_changed_by=by,
    )
    copy.save()
    Evidence.objects.bulk_create(
        Evidence(claim=copy, added_by=e.added_by, **e.as_dict()) for e in claim.evidence.all()
    )
    # One event, on the published claim; the copy's own history starts with
    # its first edit and joins this one when the correction is approved.
    _record(
        claim,
        by=by,
        action=Action.CORRECTION_STARTED,
        comment=comment.strip(),
        changes={"correction": [None, copy.pk]},
    )
    return copy


@transaction.atomic
def refresh_published(claims, *, by, changes: dict[str, list[Any]]) -> int:
    """Record that published claims changed through something they show but
    do not own: their article (title, source) or their verdict's label was
    edited. Each gets a new version (so its ETag changes), one history event
    and an ``updated`` entry in the changes feed, so consumers re-fetch it.
    Returns how many claims were refreshed."""
    locked = list(
        Claim.objects.select_for_update(of=("self",))
        .select_related("article", "rating")
        .filter(pk__in=[claim.pk for claim in claims], status=Status.PUBLISHED)
        .order_by("pk")
    )
    for claim in locked:
        _bump(claim, [])
        _record(claim, by=by, action=Action.EDITED, changes=changes)
        _feed(claim, ChangeEntry.Action.UPDATED)
    return len(locked)


ACTIONS = {
    "submit": submit,
    "approve": approve,
    "request_changes": request_changes,
    "dismiss": dismiss,
    "reopen": reopen,
    "retract": retract,
    "start_correction": start_correction,
}


def perform(
    action: str, claim: Claim, *, by, version: int | None = None, comment: str = ""
) -> Claim:
    """Run the workflow action named ``action`` (as the UI and API name them)."""
    try:
        step = ACTIONS[action]
    except KeyError:
        raise Invalid(
            f"Unknown action {action!r}; expected one of: {', '.join(ACTIONS)}.",
            {"action": ["Unknown action."]},
        ) from None
    return step(claim, by=by, version=version, comment=comment)


# --- revisions: re-anchoring, orphans ------------------------------------


def _quote_change(before: str, after: str) -> str:
    return f"re-anchored: quote changed from “{before}” to “{after}”"


def _event(claim: Claim, *, by, action: str, changes: dict, comment: str, source: str):
    return ClaimEvent(
        claim=claim,
        actor=by,
        action=action,
        changes=changes,
        comment=comment,
        from_status=source if source != claim.status else "",
        to_status=claim.status if source != claim.status else "",
        version=claim.version,
    )


def _feed_many(entries: list[tuple[Claim, str]]) -> None:
    """``_feed`` for many claims at once: one lock of the counter row, one
    update, one insert; cursors stay gapless and in commit order."""
    if not entries:
        return
    cursor, _ = FeedCursor.objects.select_for_update().get_or_create(pk=1)
    FeedCursor.objects.filter(pk=1).update(value=F("value") + len(entries))
    ChangeEntry.objects.bulk_create(
        ChangeEntry(cursor=cursor.value + number, claim=claim, action=action)
        for number, (claim, action) in enumerate(entries, start=1)
    )


def reanchor(claims_and_anchors, *, by, orphan_revision) -> dict[str, int]:
    """Apply a new revision's anchors (``annotations.reanchor``) to claims.

    Runs inside the revision's transaction (the caller's): all claims of the
    article move, or none. ``claims_and_anchors`` pairs each claim with the
    ``Anchor`` found for it in the text it now counts in (already set on the
    article). An attached claim takes its new offsets, quote and context,
    checked against the text (``anchoring.span``); an orphan keeps its offsets
    on ``orphan_revision``. Each claim that changed gets a new version and one
    event; a published one an ``updated`` feed entry, unless its quote changed
    in meaning (``reanchor.changes_meaning``): then it goes back to review,
    leaves the public surfaces and the feed says ``withdrawn``. Writes in
    bulk (an article may have thousands of claims). Returns counts by method.
    """
    pairs = {claim.pk: anchor for claim, anchor in claims_and_anchors}
    locked = list(Claim.objects.select_for_update().filter(pk__in=list(pairs)).order_by("pk"))
    counts = {method.value: 0 for method in AnchorMethod}
    # One copy of each article's text, however many claims it has.
    articles = Article.objects.in_bulk({claim.article_id for claim in locked})
    for claim in locked:
        claim.article = articles[claim.article_id]
    now = timezone.now()
    changed: list[Claim] = []
    events: list[ClaimEvent] = []
    feed: list[tuple[Claim, str]] = []
    for claim in locked:
        anchor = pairs[claim.pk]
        counts[anchor.method] += 1
        source = claim.status
        if anchor.method == AnchorMethod.ORPHAN:
            claim.orphan_revision = orphan_revision
            claim.version += 1
            changed.append(claim)
            events.append(
                _event(
                    claim,
                    by=by,
                    action=Action.ORPHANED,
                    changes={"revision": [orphan_revision.number, None]},
                    comment="The passage could not be found in the new revision.",
                    source=source,
                )
            )
            if source == Status.PUBLISHED:
                feed.append((claim, ChangeEntry.Action.UPDATED))
            continue
        before = {f: getattr(claim, f) for f in ("start", "end", "quote", "prefix", "suffix")}
        try:
            anchored = anchoring.span(claim.anchor_text(), anchor.start, anchor.end, anchor.quote)
        except ValidationError as error:
            message, errors = _validation_errors(error)
            raise Invalid(
                f"Claim {claim.pk} cannot take its new place: {message}", errors
            ) from error
        claim.start, claim.end, claim.quote = anchored.start, anchored.end, anchored.quote
        claim.prefix, claim.suffix = anchored.prefix, anchored.suffix
        after = {f: getattr(claim, f) for f in before}
        if after == before:
            continue
        changed.append(claim)
        moved = any(before[f] != after[f] for f in ("start", "end", "quote"))
        if not moved and source != Status.PUBLISHED:
            # Only the surrounding text changed: nothing a person needs to see.
            continue
        changes = {
            f: [before[f], after[f]] for f in ("start", "end", "quote") if before[f] != after[f]
        }
        changes["match"] = [None, f"{anchor.method} {anchor.score:.2f}"]
        comment = _quote_change(before["quote"], anchor.quote) if "quote" in changes else ""
        withdraw = source == Status.PUBLISHED and changes_meaning(before["quote"], anchor.quote)
        if withdraw:
            claim.status = Status.IN_REVIEW
            changes["status"] = [source, claim.status]
            comment += " The meaning changed: back to review."
        claim.version += 1
        events.append(
            _event(
                claim,
                by=by,
                action=Action.REANCHORED,
                changes=changes,
                comment=comment.strip(),
                source=source,
            )
        )
        if withdraw:
            feed.append((claim, ChangeEntry.Action.WITHDRAWN))
        elif source == Status.PUBLISHED:
            feed.append((claim, ChangeEntry.Action.UPDATED))
    # One plain UPDATE per claim: Django's bulk_update builds a CASE per field
    # and row, which costs more than it saves at these sizes.
    fields = ("start", "end", "quote", "prefix", "suffix", "status", "version")
    for claim in changed:
        claim.updated_at = now
        Claim.objects.filter(pk=claim.pk).update(
            orphan_revision=claim.orphan_revision_id,
            updated_at=now,
            **{field: getattr(claim, field) for field in fields},
        )
    ClaimEvent.objects.bulk_create(events, batch_size=500)
    _feed_many(feed)
    return counts


@transaction.atomic
def reattach(
    claim: Claim, *, by, version: int | None, part: str, start: int, end: int, quote: str | None
) -> Claim:
    """Anchor an orphan to a span the editor selected in the current text.

    A published claim whose quote changes in meaning goes back to review, by
    the same rule as automatic re-anchoring."""
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    if not claim.is_orphan:
        raise NotApplicable("This claim is not orphaned: it is anchored to the current text.")
    if claim.status == Status.DISMISSED:
        raise NotApplicable("This claim is dismissed.")
    try:
        anchored = anchoring.span(claim.article.text_of(part), start, end, quote)
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error
    before = {"part": claim.part, "start": claim.start, "end": claim.end, "quote": claim.quote}
    revision = claim.orphan_revision.number
    claim.part, claim.start, claim.end = part, anchored.start, anchored.end
    claim.quote, claim.orphan_revision = anchored.quote, None
    source = claim.status
    withdraw = source == Status.PUBLISHED and changes_meaning(before["quote"], claim.quote)
    if withdraw:
        claim.status = Status.IN_REVIEW
    _bump(claim, ["part", "start", "end", "quote", "prefix", "suffix", "orphan_revision", "status"])
    changes = {f: [before[f], getattr(claim, f)] for f in before if before[f] != getattr(claim, f)}
    changes["revision"] = [revision, claim.article.revision]
    if withdraw:
        changes["status"] = [source, claim.status]
    comment = _quote_change(before["quote"], claim.quote) if "quote" in changes else ""
    _record(
        claim,
        by=by,
        action=Action.REATTACHED,
        changes=changes,
        comment=comment,
        from_status=source if withdraw else "",
    )
    if withdraw:
        _feed(claim, ChangeEntry.Action.WITHDRAWN)
    elif source == Status.PUBLISHED:
        _feed(claim, ChangeEntry.Action.UPDATED)
    return claim


@transaction.atomic
def dismiss_orphan(claim: Claim, *, by, version: int | None, comment: str = "") -> Claim:
    """Drop an orphan that no longer has a place in the article. Drafts and
    claims in review are dismissed; a published one must be retracted, so
    that its public page says why."""
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    if not claim.is_orphan:
        raise NotApplicable("This claim is not orphaned.")
    if claim.is_public:
        raise NotApplicable("A published orphan is withdrawn by retracting it, with a public note.")
    if claim.status == Status.DISMISSED:
        raise NotApplicable("This claim is dismissed already.")
    if claim.correction_of_id:
        return _abandon_correction(claim, by=by, comment=comment or "Orphan dismissed.")
    source = claim.status
    claim.status = Status.DISMISSED
    _bump(claim, ["status"])
    _record(
        claim,
        by=by,
        action=Action.DISMISSED,
        changes={"status": [source, claim.status]},
        comment=(comment or "Orphaned by a new revision of the article; dismissed.").strip(),
        from_status=source,
    )
    return claim
