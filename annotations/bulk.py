"""Bulk actions on claims picked in a list: assign, set a due date, submit
for review, dismiss with one note.

Each claim goes through the workflow on its own, in its own transaction and
with the version the person saw, so that one refusal (no evidence yet, a
change by somebody else meanwhile) stops only that claim; the result says
which claims succeeded and why the others did not.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from annotations import permissions, workflow
from annotations.models import Claim

# Bulk action name -> label, as the bulk bar's buttons read.
LABELS = {
    "assign": "Assign",
    "due": "Set due date",
    "submit": "Submit for review",
    "dismiss": "Dismiss",
}


@dataclass(frozen=True)
class Outcome:
    """What became of one picked claim; ``claim`` is None when it is gone."""

    claim_id: int
    claim: Claim | None
    ok: bool
    message: str = ""


@dataclass(frozen=True)
class Result:
    action: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.action]

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def _step(
    action: str, *, by, assignee: Any, due: datetime.datetime | None, note: str
) -> Callable[[Claim, int], Claim]:
    if action == "assign":
        return lambda claim, version: workflow.assign(
            claim, by=by, version=version, assignee=assignee
        )
    if action == "due":
        return lambda claim, version: workflow.assign(claim, by=by, version=version, due=due)
    if action == "submit":
        return lambda claim, version: workflow.submit(claim, by=by, version=version)
    if action == "dismiss":
        return lambda claim, version: workflow.dismiss(claim, by=by, version=version, comment=note)
    raise workflow.Invalid(
        f"Unknown bulk action {action!r}; expected one of: {', '.join(LABELS)}.",
        {"action": ["Unknown action."]},
    )


def apply(
    picks: dict[int, int],
    action: str,
    *,
    by,
    assignee: Any = None,
    due: datetime.datetime | None = None,
    note: str = "",
) -> Result:
    """Run ``action`` (a key of ``LABELS``) on each claim of ``picks``
    (``{claim id: version seen}``, in the order the person saw them):
    ``assignee`` for "assign" (None: nobody), ``due`` for "due", ``note``
    for "dismiss". Raises ``workflow.NotAllowed`` when ``by`` may not act on
    claims at all; every other refusal is that claim's outcome."""
    if not permissions.is_editor(by):
        raise workflow.NotAllowed("Only editors and reviewers can change claims.")
    step = _step(action, by=by, assignee=assignee, due=due, note=note)
    claims = Claim.objects.select_related("article").in_bulk(list(picks))
    outcomes = []
    for pk, version in picks.items():
        claim = claims.get(pk)
        if claim is None:
            outcomes.append(Outcome(pk, None, False, "This claim no longer exists."))
            continue
        try:
            with transaction.atomic():
                result = step(claim, version)
        except workflow.WorkflowError as error:
            outcomes.append(Outcome(pk, claim, False, error.message))
        else:
            outcomes.append(Outcome(pk, result, True))
    return Result(action, outcomes)
