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


class Duplicate(NotApplicable):
    """The article already has this claim; ``existing`` is it."""

    def __init__(self, message: str, existing: Claim) -> None:
        super().__init__(message)
        self.existing = existing


class TooShort(Invalid):
    """A selection of fewer than ``MIN_LETTERS`` letters: the caller may ask
    the person to confirm and mark again with ``allow_short``."""


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
    allow_short: bool = False,
) -> Claim:
    """Create a draft claim on ``article``.

    The span is given by ``start``/``end`` (code points; ``quote``, when
    given, must match) or by ``quote`` alone with optional ``prefix`` and
    ``suffix`` context, which must pick exactly one place in the body.
    An exact duplicate (``find_duplicate``) is refused, and so is a
    selection of fewer than 3 letters unless ``allow_short``.
    """
    _require_editor(by)
    try:
        if start is not None or end is not None:
            if start is None or end is None:
                raise ValidationError("Give both start and end.", code="offsets")
            anchored = anchoring.span(article.body, start, end, quote)
        elif quote:
            anchored = anchoring.find_quote(article.body, quote, prefix, suffix)
        else:
            raise ValidationError("Give start and end offsets, or a quote.", code="offsets")
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error
    _refuse_duplicate_or_short(article, anchored, claim_text, allow_short=allow_short)
    claim = Claim(
        article=article,
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


# --- duplicates, related claims, starting from a fact-check -------------

MIN_LETTERS = 3


def normalized(text: str) -> str:
    """Claim text compared for exact duplicates: case, spacing and
    punctuation do not count."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def find_duplicate(article: Article, *, start: int, end: int, claim_text: str) -> Claim | None:
    """A claim of ``article`` on the same span, or with the same normalised
    claim text (a dismissed one too: reopening it beats redoing it)."""
    same_span = Claim.objects.filter(article=article, start=start, end=end).first()
    if same_span:
        return same_span
    wanted = normalized(claim_text)
    if not wanted:
        return None
    for claim in Claim.objects.filter(article=article).only("pk", "claim_text", "quote"):
        if normalized(claim.claim_text or claim.quote) == wanted:
            return claim
    return None


def _refuse_duplicate_or_short(
    article: Article, anchored: anchoring.Span, claim_text: str, *, allow_short: bool
) -> None:
    existing = find_duplicate(
        article,
        start=anchored.start,
        end=anchored.end,
        claim_text=claim_text.strip() or anchored.quote,
    )
    if existing is not None:
        raise Duplicate(f"This claim is already marked on this article: #{existing.pk}.", existing)
    letters = sum(c.isalpha() for c in anchored.quote)
    if letters < MIN_LETTERS and not allow_short:
        raise TooShort(
            f"The selection has {letters} letter{'s' if letters != 1 else ''}: mark anyway?",
            {"quote": [f"Fewer than {MIN_LETTERS} letters."]},
        )


@transaction.atomic
def link_same_claim(claim: Claim, other: Claim, *, by) -> bool:
    """Record that ``claim`` states the same as ``other`` ("Same claim as"),
    shown on both. Returns False when they were already linked."""
    from annotations.models import ClaimRelation

    _require_editor(by)
    if claim.pk == other.pk:
        raise Invalid("A claim cannot be the same claim as itself.")
    claim = _locked(claim)
    kind = ClaimRelation.Kind.SAME_CLAIM
    _, created = ClaimRelation.objects.get_or_create(
        claim=claim, other=other, defaults={"kind": kind, "created_by": by}
    )
    ClaimRelation.objects.get_or_create(
        claim=other, other=claim, defaults={"kind": kind, "created_by": by}
    )
    if created:
        _record(
            claim,
            by=by,
            action=Action.EDITED,
            changes={"same_claim_as": [None, other.pk]},
            comment=f"Same claim as #{other.pk}.",
        )
    return created


@transaction.atomic
def start_from(claim: Claim, source: Claim, *, by, version: int | None) -> Claim:
    """Copy a published fact-check's verdict, summary, rationale and
    evidence into the draft ``claim``, in one history event naming the
    source. The copier becomes an author of the verdict (four eyes)."""
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    _require_editable(claim)
    if source.status != Status.PUBLISHED or source.pk == claim.pk:
        raise NotApplicable("Only a published fact-check can be started from.")
    source = Claim.objects.select_related("rating").get(pk=source.pk)
    changes: dict[str, list[Any]] = {}
    for field in ("rating", "summary", "rationale"):
        before, after = getattr(claim, field), getattr(source, field)
        if before != after:
            changes[field] = [_display(field, before), _display(field, after)]
            setattr(claim, field, after)
    copied = [
        Evidence(claim=claim, added_by=by, **{f: getattr(e, f) for f in EVIDENCE_FIELDS})
        for e in source.evidence.order_by("added_at", "id")
    ]
    Evidence.objects.bulk_create(copied)
    if copied:
        changes["evidence"] = [None, [e.as_dict() for e in copied]]
    claim.verdict_changed_by = by
    _bump(claim, ["rating", "summary", "rationale", "verdict_changed_by"])
    _record(
        claim,
        by=by,
        action=Action.EDITED,
        changes=changes,
        comment=f"Started from fact-check #{source.pk}.",
    )
    return claim
