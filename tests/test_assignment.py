"""Assignment: who researches a claim, whose review it asks for, by when and
how urgently; every change checked and recorded like any other edit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db


def test_assigning_a_draft_records_before_and_after_and_bumps_the_version(draft, editor, reviewer):
    due = timezone.now() + datetime.timedelta(hours=3)
    claim = workflow.assign(
        draft, by=editor, version=draft.version, assignee=reviewer, due=due, priority="urgent"
    )

    claim.refresh_from_db()
    assert (claim.assignee, claim.due, claim.priority) == (reviewer, due, "urgent")
    assert claim.version == draft.version + 1
    event = claim.events.get(action=ClaimEvent.Action.ASSIGNED)
    assert event.actor == editor
    assert event.changes == {
        "assignee": [None, reviewer.username],
        "due": [None, due.isoformat()],
        "priority": ["normal", "urgent"],
    }


def test_assigning_the_same_values_again_writes_nothing(draft, editor, reviewer):
    claim = workflow.assign(draft, by=editor, version=draft.version, assignee=reviewer)
    again = workflow.assign(claim, by=editor, version=claim.version, assignee=reviewer)

    assert again.version == claim.version
    assert claim.events.filter(action=ClaimEvent.Action.ASSIGNED).count() == 1


def test_assigning_with_a_stale_version_is_refused(draft, editor, reviewer):
    workflow.update(draft, by=editor, version=draft.version, summary="Changed meanwhile.")

    with pytest.raises(workflow.StaleVersion):
        workflow.assign(draft, by=editor, version=draft.version, assignee=reviewer)
    assert Claim.objects.get(pk=draft.pk).assignee is None


def test_only_editors_can_be_assigned_and_only_reviewers_asked_to_review(draft, editor, outsider):
    with pytest.raises(workflow.Invalid, match="not an editor"):
        workflow.assign(draft, by=editor, version=draft.version, assignee=outsider)
    with pytest.raises(workflow.Invalid, match="not a reviewer"):
        workflow.assign(draft, by=editor, version=draft.version, reviewer=editor)
    with pytest.raises(workflow.Invalid, match="priority"):
        workflow.assign(draft, by=editor, version=draft.version, priority="whenever")
    with pytest.raises(workflow.Invalid, match="time zone"):
        workflow.assign(draft, by=editor, version=draft.version, due=datetime.datetime(2026, 1, 1))
    assert not draft.events.filter(action=ClaimEvent.Action.ASSIGNED).exists()


def test_people_outside_the_desk_cannot_assign(draft, outsider, reviewer):
    with pytest.raises(workflow.NotAllowed):
        workflow.assign(draft, by=outsider, version=draft.version, assignee=reviewer)


def test_published_claims_are_not_assigned(published, editor, reviewer):
    with pytest.raises(workflow.NotApplicable, match="only drafts and claims in review"):
        workflow.assign(published, by=editor, version=published.version, assignee=editor)


def test_submitting_can_ask_a_given_reviewer_and_records_it(draft, editor, reviewer):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version, reviewer=reviewer)

    assert Claim.objects.get(pk=claim.pk).reviewer == reviewer
    event = claim.events.get(action=ClaimEvent.Action.SUBMITTED)
    assert event.changes["reviewer"] == [None, reviewer.username]


def test_a_submitter_cannot_ask_themself_to_review(draft, reviewer):
    claim = ready_for_review(draft, by=reviewer)

    with pytest.raises(workflow.Invalid, match="cannot review it"):
        workflow.submit(claim, by=reviewer, version=claim.version, reviewer=reviewer)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_the_submitter_of_a_claim_in_review_cannot_be_asked_to_review_it(
    draft, reviewer, other_reviewer
):
    claim = ready_for_review(draft, by=reviewer)
    claim = workflow.submit(claim, by=reviewer, version=claim.version)

    with pytest.raises(workflow.Invalid, match="cannot review it"):
        workflow.assign(claim, by=reviewer, version=claim.version, reviewer=reviewer)
    claim = workflow.assign(claim, by=reviewer, version=claim.version, reviewer=other_reviewer)
    assert claim.reviewer == other_reviewer
