"""The claim workflow: the only code that creates, edits or moves a claim.

Every step has the same shape: in one transaction, lock the claim row,
check the version the caller saw, check permission and preconditions, change,
write one ``ClaimEvent``, return. Refusals raise a ``WorkflowError`` and write
nothing; the panel and the API each map them to statuses in one place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from annotations import anchoring, attribution, notifications, permissions
from annotations.models import (
    Article,
    ChangeEntry,
    Claim,
    ClaimEvent,
    Correction,
    Evidence,
    FeedCursor,
    Priority,
    Rating,
)
from annotations.reanchor import Method as AnchorMethod
from annotations.reanchor import changes_meaning

Status = Claim.Status
Action = ClaimEvent.Action

# "Leave as it is", where None means "nobody".
UNCHANGED: Any = object()


class WorkflowError(Exception):
    """A refused step. ``message`` says why, for a person to read. These are
    domain errors: each transport (the panel, the API) maps them to its own
    statuses in one place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(WorkflowError):
    """The person may not take this step (role, or the four-eyes rule)."""


class NotApplicable(WorkflowError):
    """The step does not apply in the claim's current state."""


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
    "headline": "Headline",
    "claim_date": "Date of the claim",
    "appearance_url": "Where it appeared",
    "status": "Status",
    "quote": "Quote",
    "retraction_note": "Retraction note",
    "correction": "Correction",
    "evidence": "Evidence",
    "assignee": "Assignee",
    "reviewer": "Reviewer",
    "due": "Due",
    "priority": "Priority",
}


def _readable(field: str, value: Any, ratings: dict[str, str]) -> str:
    if value in (None, "", [], {}):
        return ""
    if field == "status" and value in Status.values:
        return Status(value).label
    if field == "rating":
        return ratings.get(value) or str(value).replace("-", " ").capitalize()
    if field == "priority" and value in Priority.values:
        return Priority(value).label
    if field == "due" and isinstance(value, str):
        # Stored as ISO 8601; people read it in the desk's time zone.
        try:
            due = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(due).strftime("%Y-%m-%d %H:%M %Z") if due.tzinfo else value
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
    """One row of the state machine, with everything each layer needs:
    the workflow moves and records it, permissions check ``role``, the panel
    and the API list and label it."""

    name: str
    source: Status
    target: Status
    label: str
    role: str
    event: str
    comment_label: str = "Comment"
    comment_required: bool = False
    # Styled as a warning; ``confirm`` is the question asked before it runs.
    destructive: bool = False
    confirm: str = ""

    @property
    def verb(self) -> str:
        return self.label[0].lower() + self.label[1:]


EDITOR, REVIEWER = permissions.EDITOR, permissions.REVIEWER

# The whole state machine. An action may start from several statuses (a
# reviewer dismisses a claim in review directly; an editor dismisses a draft).
TRANSITION_TABLE: tuple[Transition, ...] = (
    Transition(
        "submit", Status.DRAFT, Status.IN_REVIEW, "Submit for review", EDITOR, Action.SUBMITTED
    ),
    Transition(
        "approve",
        Status.IN_REVIEW,
        Status.PUBLISHED,
        "Approve and publish",
        REVIEWER,
        Action.APPROVED,
        confirm="Publish this fact-check now? It becomes public at once.",
    ),
    Transition(
        "request_changes",
        Status.IN_REVIEW,
        Status.DRAFT,
        "Request changes",
        REVIEWER,
        Action.CHANGES_REQUESTED,
        comment_label="What needs to change",
        comment_required=True,
    ),
    Transition(
        "dismiss",
        Status.DRAFT,
        Status.DISMISSED,
        "Dismiss",
        EDITOR,
        Action.DISMISSED,
        comment_label="Why it is not check-worthy",
        comment_required=True,
        destructive=True,
    ),
    Transition(
        "dismiss",
        Status.IN_REVIEW,
        Status.DISMISSED,
        "Dismiss",
        REVIEWER,
        Action.DISMISSED,
        comment_label="Why it is not check-worthy",
        comment_required=True,
        destructive=True,
    ),
    Transition("reopen", Status.DISMISSED, Status.DRAFT, "Reopen", EDITOR, Action.REOPENED),
    Transition(
        "retract",
        Status.PUBLISHED,
        Status.RETRACTED,
        "Retract",
        REVIEWER,
        Action.RETRACTED,
        comment_label="Public retraction note",
        comment_required=True,
        destructive=True,
        confirm="Retract this fact-check? The public page will say it was withdrawn.",
    ),
    Transition(
        "start_correction",
        Status.PUBLISHED,
        Status.PUBLISHED,
        "Start correction",
        EDITOR,
        Action.CORRECTION_STARTED,
        comment_label="What the correction fixes",
        comment_required=True,
    ),
)

# Action names in table order, as the UI and the API name them.
ACTION_NAMES: tuple[str, ...] = tuple(dict.fromkeys(t.name for t in TRANSITION_TABLE))


def transition(action: str, status: str) -> Transition | None:
    """The row for ``action`` from ``status``, or None when it does not apply."""
    for row in TRANSITION_TABLE:
        if row.name == action and row.source == status:
            return row
    return None


def _applies(row: Transition | None, claim: Claim) -> bool:
    # A dropped correction stays dropped; the published claim can be corrected anew.
    return row is not None and not (row.name == "reopen" and claim.correction_of_id)


def action_role(action: str) -> str:
    """The least role that may take ``action`` from some status."""
    roles = {row.role for row in TRANSITION_TABLE if row.name == action}
    return EDITOR if EDITOR in roles else REVIEWER


EDITABLE_FIELDS = ("claim_text", "claimant", "rating", "summary", "rationale")
EDITABLE_FIELDS += ("headline", "claim_date", "appearance_url")
VERDICT_FIELDS = ClaimEvent.VERDICT_FIELDS
EVIDENCE_FIELDS = ("url", "title", "publisher", "excerpt", "note")


def available_actions(claim: Claim, user, *, events=None) -> list[tuple[Transition, str | None]]:
    """The actions that apply to ``claim`` now, each with the reason ``user``
    may not take it (None when they may). ``events``: the claim's own events
    when the caller loaded them (the four-eyes check reads them)."""
    result = []
    for row in TRANSITION_TABLE:
        if row.source != claim.status or not _applies(row, claim):
            continue
        if row.name == "start_correction" and claim.pending_correction is not None:
            continue
        result.append((row, permissions.denial(user, row, claim, events=events)))
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
    event = ClaimEvent.objects.create(
        claim=claim,
        actor=by,
        action=action,
        changes=changes or {},
        comment=comment,
        from_status=from_status,
        to_status=claim.status if from_status else "",
        version=claim.version,
    )
    notifications.on_event(event)
    return event


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
    if isinstance(value, AbstractBaseUser):
        return value.get_username()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _has_pending_correction(claim: Claim) -> bool:
    return (
        claim.status == Status.PUBLISHED
        and Claim.objects.filter(
            correction_of=claim, status__in=(Status.DRAFT, Status.IN_REVIEW)
        ).exists()
    )


def history(claim: Claim):
    """The events of ``claim``'s timeline, oldest first: its own and, for a
    published claim, those of its corrections' working copies (which keep
    their own rows, superseded or dropped, and their own events)."""
    return ClaimEvent.objects.filter(Q(claim=claim) | Q(claim__correction_of=claim)).order_by(
        "created_at", "id"
    )


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
    claimant: str | None = None,
    part: str = "body",
    allow_short: bool = False,
) -> Claim:
    """Create a draft claim on ``article``.

    The span is given by ``start``/``end`` (code points; ``quote``, when
    given, must match) or by ``quote`` alone with optional ``prefix`` and
    ``suffix`` context, which must pick exactly one place in the ``part``
    (headline, standfirst, captions or body). White space at its edges is
    trimmed. Without a ``claimant`` (None, not "") the attribution rules guess
    one from the article.
    An exact duplicate (``find_duplicate``) is refused, and so is a
    selection of fewer than 3 letters unless ``allow_short``.
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
        anchored = anchoring.trimmed(text, anchored)
    except ValidationError as error:
        message, errors = _validation_errors(error)
        raise Invalid(message, errors) from error
    _refuse_duplicate_or_short(article, anchored, claim_text, allow_short=allow_short, part=part)
    if claimant is None:
        claimant = attribution.guess_claimant(text, anchored.start, anchored.end)
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
            "claim_date": [None, _display("claim_date", claim.claim_date)],
            "appearance_url": [None, claim.appearance_url],
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
    # History is protected in the schema; a draft marked by mistake never
    # reached anyone, so it goes with its own events.
    ClaimEvent.objects.filter(claim=claim).delete()
    claim.delete()


# --- transitions ---------------------------------------------------------


def _begin(claim: Claim, action: str, *, by, version: int | None, comment: str) -> Claim:
    role = action_role(action)
    if not permissions.has_role(by, role):
        label = next(row.verb for row in TRANSITION_TABLE if row.name == action)
        raise NotAllowed(f"Only {permissions.article(role)} can {label}.")
    claim = _locked(claim)
    _check_version(claim, version)
    row = transition(action, claim.status)
    if not _applies(row, claim):
        sources = [r.source.label.lower() for r in TRANSITION_TABLE if r.name == action]
        label = next(r.label for r in TRANSITION_TABLE if r.name == action)
        raise NotApplicable(
            f"“{label}” does not apply: the claim is "
            f"{claim.get_status_display().lower()}, not {' or '.join(sources)}."
        )
    reason = permissions.denial(by, row, claim)
    if reason:
        raise NotAllowed(reason)
    if row.comment_required and not comment.strip():
        raise Invalid(
            f"“{row.label}” needs a comment saying why.",
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
    row = transition(action, claim.status)
    source = claim.status
    claim.status = row.target
    _bump(claim, ["status", *extra])
    _record(
        claim,
        by=by,
        action=row.event,
        changes={"status": [source, claim.status], **(changes or {})},
        comment=comment.strip(),
        from_status=source,
    )
    return claim


@transaction.atomic
def submit(
    claim: Claim,
    *,
    by,
    version: int | None = None,
    comment: str = "",
    reviewer: Any = UNCHANGED,
) -> Claim:
    """Send a draft to review: it needs a verdict, a summary and evidence.
    ``reviewer`` asks a given reviewer for the review (None: any reviewer);
    left out, the reviewer picked earlier, if any, stays."""
    claim = _begin(claim, "submit", by=by, version=version, comment=comment)
    changes: dict[str, list[Any]] = {}
    if reviewer is not UNCHANGED and reviewer != claim.reviewer:
        changes["reviewer"] = [_display("reviewer", claim.reviewer), _display("reviewer", reviewer)]
        claim.reviewer = reviewer
    _check_reviewer(claim.reviewer, submitter=by)
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
        claim,
        "submit",
        by=by,
        comment=comment,
        extra=["submitted_by", "changes_requested_at", *changes],
        changes=changes,
    )


# --- assignment ----------------------------------------------------------

# The desk's coordination fields; only ``assign`` (and ``submit``, for the
# reviewer) changes them, each change one ``assigned`` event.
ASSIGNMENT_FIELDS = ("assignee", "reviewer", "due", "priority")
ASSIGNABLE_STATUSES = (Status.DRAFT, Status.IN_REVIEW)


def _check_reviewer(reviewer, *, submitter) -> None:
    if reviewer is None:
        return
    if not permissions.is_reviewer(reviewer):
        raise Invalid(
            f"{reviewer.get_username()} is not a reviewer.",
            {"reviewer": ["Pick a reviewer, or any reviewer."]},
        )
    if submitter is not None and reviewer.pk == submitter.pk:
        raise Invalid(
            "The person who submits a claim cannot review it: pick another reviewer, "
            "or any reviewer.",
            {"reviewer": ["Pick someone other than the submitter."]},
        )


def _check_assignment(claim: Claim, field: str, value: Any) -> None:
    if field == "assignee" and value is not None and not permissions.is_editor(value):
        raise Invalid(
            f"{value.get_username()} is not an editor and cannot be assigned claims.",
            {"assignee": ["Pick an editor or a reviewer."]},
        )
    if field == "reviewer":
        submitter = claim.submitted_by if claim.status == Status.IN_REVIEW else None
        _check_reviewer(value, submitter=submitter)
    if field == "priority" and value not in Priority.values:
        raise Invalid(
            f"Unknown priority {value!r}; expected one of: {', '.join(Priority.values)}.",
            {"priority": ["Pick normal or urgent."]},
        )
    if field == "due" and value is not None:
        if not isinstance(value, datetime.datetime):
            raise Invalid(
                "The due date needs a date and a time.", {"due": ["Enter a date and time."]}
            )
        if timezone.is_naive(value):
            raise Invalid("The due date needs a time zone.", {"due": ["Enter a date and time."]})


@transaction.atomic
def assign(claim: Claim, *, by, version: int | None, **fields: Any) -> Claim:
    """Change who researches ``claim`` (``assignee``, an editor or None), whose
    review it asks for (``reviewer``, a reviewer or None for any reviewer),
    when it is ``due`` (an aware datetime or None) and its ``priority``
    (``Priority``). Drafts and claims in review only; one ``assigned`` event
    with before and after, and a new version, as for any other edit."""
    unknown = set(fields) - set(ASSIGNMENT_FIELDS)
    if unknown:
        raise Invalid(f"These fields cannot be assigned: {', '.join(sorted(unknown))}.")
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    if claim.status not in ASSIGNABLE_STATUSES:
        raise NotApplicable(
            f"This claim is {claim.get_status_display().lower()}: only drafts and claims "
            "in review can be assigned."
        )
    changes: dict[str, list[Any]] = {}
    for field, value in fields.items():
        _check_assignment(claim, field, value)
        before = getattr(claim, field)
        if before != value:
            changes[field] = [_display(field, before), _display(field, value)]
            setattr(claim, field, value)
    if not changes:
        return claim
    _bump(claim, list(changes))
    _record(claim, by=by, action=Action.ASSIGNED, changes=changes)
    return claim


@transaction.atomic
def approve(claim: Claim, *, by, version: int | None = None, comment: str = "") -> Claim:
    """Publish a claim in review (four eyes: not its submitter or last editor).

    Approving a correction's working copy replaces the published version,
    records a public ``Correction`` and returns the published claim.
    """
    claim = _begin(claim, "approve", by=by, version=version, comment=comment)
    _require_backed_sources(claim)
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
        # The copy keeps its own sources, as its record of what it proposed.
        original.evidence.all().delete()
        Evidence.objects.bulk_create(
            Evidence(claim=original, added_by=e.added_by, **e.as_dict())
            for e in copy.evidence.all()
        )
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
    # The copy stays, superseded, with its own events: history is never
    # moved between claims. The published claim's timeline shows both.
    source = copy.status
    copy.status = Status.SUPERSEDED
    _bump(copy, ["status", "reviewed_by"])
    _record(
        copy,
        by=by,
        action=Action.APPROVED,
        changes={"status": [source, copy.status]},
        comment=comment.strip(),
        from_status=source,
    )
    _record(
        original,
        by=by,
        action=Action.CORRECTION_PUBLISHED,
        changes=changes,
        comment=copy.correction_note,
    )
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
    stays as it is and can be corrected again; the copy stays dismissed,
    with its history, which the published claim's timeline shows."""
    original = _locked(copy.correction_of)
    _move(copy, "dismiss", by=by, comment=comment)
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
        headline=claim.headline,
        claim_date=claim.claim_date,
        appearance_url=claim.appearance_url,
        rating=claim.rating,
        summary=claim.summary,
        rationale=claim.rationale,
        correction_of=claim,
        correction_note=comment.strip(),
        created_by=by,
    )
    copy.save()
    Evidence.objects.bulk_create(
        Evidence(claim=copy, added_by=e.added_by, **e.copy_fields()) for e in claim.evidence.all()
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


# Each action of the table is run by the function of the same name above; a
# row without one fails here, at import.
ACTIONS = {name: globals()[name] for name in ACTION_NAMES}


def perform(
    action: str, claim: Claim, *, by, version: int | None = None, comment: str = ""
) -> Claim:
    """Run the workflow action named ``action`` (as the UI and API name them)."""
    try:
        step = ACTIONS[action]
    except KeyError:
        raise Invalid(
            f"Unknown action {action!r}; expected one of: {', '.join(ACTION_NAMES)}.",
            {"action": ["Unknown action."]},
        ) from None
    return step(claim, by=by, version=version, comment=comment)


# --- evidence kinds, stance, and what approval needs of sources --------------


def unbacked_sources(claim: Claim) -> list[Evidence]:
    """Sources a reader could not check: a link whose archive failed and
    which no longer answers (a file or a protected-source reason always
    counts; a link whose copy is still being made does too)."""
    return [e for e in claim.evidence.select_related("archive") if not e.is_backed]


def _require_backed_sources(claim: Claim) -> None:
    missing = unbacked_sources(claim)
    if missing:
        names = ", ".join(f"“{e}”" for e in missing)
        raise NotApplicable(
            f"Approval needs every source to be checkable: {names} has neither a working "
            "link, an archived copy, an uploaded file nor a reason it is protected. Retry "
            "its archive, upload a copy or mark it protected."
        )


def _add_source(claim: Claim, *, by, version: int | None, evidence: Evidence) -> Evidence:
    _require_editor(by)
    claim = _locked(claim)
    _check_version(claim, version)
    _require_editable(claim)
    evidence.claim = claim
    evidence.added_by = by
    _clean_evidence(evidence)
    evidence.save()
    _evidence_changed(claim, by)
    _record(
        claim,
        by=by,
        action=Action.EVIDENCE_ADDED,
        changes={f"evidence.{evidence.pk}": [None, _source_dict(evidence)]},
    )
    return evidence


def _source_dict(evidence: Evidence) -> dict[str, str]:
    data = evidence.as_dict()
    data["kind"] = evidence.kind
    data["stance"] = evidence.stance
    if evidence.kind == Evidence.Kind.PROTECTED:
        data["protected_reason"] = evidence.protected_reason
    return data


@transaction.atomic
def add_file_evidence(
    claim: Claim,
    *,
    by,
    version: int | None,
    checked,
    title: str = "",
    stance: str = Evidence.Stance.SUPPORTS,
    note: str = "",
) -> Evidence:
    """Attach an uploaded file (already checked by ``uploads.check``) to a
    draft; the file is stored under its content hash."""
    from annotations import uploads  # Pillow loads only when a file comes.

    name, thumbnail = uploads.save(checked)
    evidence = Evidence(
        kind=Evidence.Kind.FILE,
        stance=stance,
        title=title.strip(),
        note=note.strip(),
        file=name,
        thumbnail=thumbnail,
        file_type=checked.content_type,
        file_size=len(checked.data),
        file_sha256=checked.sha256,
    )
    return _add_source(claim, by=by, version=version, evidence=evidence)


@transaction.atomic
def add_protected_evidence(
    claim: Claim,
    *,
    by,
    version: int | None,
    reason: str,
    title: str = "",
    stance: str = Evidence.Stance.SUPPORTS,
    note: str = "",
) -> Evidence:
    """Record a source that cannot be shown (an offline interview, a
    confidential document): the public sees that it exists and why it is
    withheld, never its details (title and note stay internal)."""
    evidence = Evidence(
        kind=Evidence.Kind.PROTECTED,
        stance=stance,
        title=title.strip(),
        note=note.strip(),
        protected_reason=reason.strip(),
    )
    return _add_source(claim, by=by, version=version, evidence=evidence)


@transaction.atomic
def set_stance(evidence: Evidence, *, by, version: int | None, stance: str) -> Evidence:
    """Say how a source bears on the claim: supports the verdict, refutes
    the claim, or context."""
    _require_editor(by)
    claim = _locked(evidence.claim)
    _check_version(claim, version)
    _require_editable(claim)
    evidence = _evidence_of(claim, evidence.pk)
    if stance not in Evidence.Stance.values:
        raise Invalid("Choose a stance.", {"stance": ["Select a valid choice."]})
    if stance == evidence.stance:
        return evidence
    before = evidence.stance
    Evidence.objects.filter(pk=evidence.pk).update(stance=stance)
    evidence.stance = stance
    _evidence_changed(claim, by)
    _record(
        claim,
        by=by,
        action=Action.EVIDENCE_CHANGED,
        changes={f"evidence.{evidence.pk}.stance": [before, stance]},
    )
    return evidence


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


# --- duplicates, related claims, starting from a fact-check -------------

MIN_LETTERS = 3


def normalized(text: str) -> str:
    """Claim text compared for exact duplicates: case, spacing and
    punctuation do not count."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def find_duplicate(
    article: Article, *, start: int, end: int, claim_text: str, part: str = "body"
) -> Claim | None:
    """A claim of ``article`` on the same span of the same part, or with the
    same normalised claim text (a dismissed one too: reopening it beats
    redoing it). Correction copies are versions of their claim, not others."""
    claims = Claim.objects.filter(article=article, correction_of__isnull=True)
    same_span = claims.filter(part=part, start=start, end=end).first()
    if same_span:
        return same_span
    wanted = normalized(claim_text)
    if not wanted:
        return None
    for claim in claims.only("pk", "claim_text", "quote"):
        if normalized(claim.claim_text or claim.quote) == wanted:
            return claim
    return None


def _refuse_duplicate_or_short(
    article: Article,
    anchored: anchoring.Span,
    claim_text: str,
    *,
    allow_short: bool,
    part: str = "body",
) -> None:
    existing = find_duplicate(
        article,
        start=anchored.start,
        end=anchored.end,
        claim_text=claim_text.strip() or anchored.quote,
        part=part,
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
