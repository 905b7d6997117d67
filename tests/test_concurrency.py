"""Two sessions at once, with real threads and real transactions: no lost
update on claim fields, evidence or transitions.

Each thread has its own database connection. On PostgreSQL the workflow's
row lock (select_for_update) makes the second writer wait for the first to
commit and then see the new version; on SQLite the write lock taken at BEGIN
serializes them the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import transaction

from annotations import workflow
from annotations.models import Claim, ClaimEvent, Evidence
from tests import factories
from tests.conftest import in_thread, ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)


def together(*calls: Callable) -> list:
    """Run the calls at the same moment, one thread (and connection) each."""
    start = threading.Barrier(len(calls))
    outcomes = [[] for _ in calls]
    threads = [in_thread(c, o, start=start) for c, o in zip(calls, outcomes, strict=True)]
    for thread in threads:
        thread.join(30)
    return [o[0] for o in outcomes]


def split(outcomes: list) -> tuple[list, list]:
    errors = [o for o in outcomes if isinstance(o, Exception)]
    return [o for o in outcomes if not isinstance(o, Exception)], errors


def submitted_claim() -> Claim:
    editor = factories.EditorFactory()
    claim = ready_for_review(factories.ClaimFactory(created_by=editor), by=editor)
    return workflow.submit(claim, by=editor, version=claim.version)


def test_two_reviewers_approving_at_once_exactly_one_wins(isolated):
    def scenario():
        claim = submitted_claim()
        first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
        seen = claim.version
        outcomes = together(
            lambda: workflow.approve(claim, by=first, version=seen),
            lambda: workflow.approve(claim, by=second, version=seen),
        )
        wins, refusals = split(outcomes)
        assert len(wins) == 1 and len(refusals) == 1, outcomes
        assert isinstance(refusals[0], workflow.StaleVersion)
        assert "Nothing was saved" in refusals[0].message
        claim = Claim.objects.get(pk=claim.pk)
        assert claim.status == "published" and claim.version == seen + 1
        assert claim.events.filter(action="approved").count() == 1
        assert claim.changes.count() == 1

    isolated(scenario)


def test_the_second_approver_waits_for_the_first_and_then_is_refused(isolated):
    """The first approval holds its transaction open: the second blocks on
    the claim's lock, and once the first commits it sees the new version."""

    def scenario():
        claim = submitted_claim()
        first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
        seen = claim.version
        locked, commit = threading.Event(), threading.Event()

        def slow_approval():
            with transaction.atomic():
                approved = workflow.approve(claim, by=first, version=seen)
                locked.set()
                commit.wait(10)
            return approved

        first_outcome, second_outcome = [], []
        a = in_thread(slow_approval, first_outcome)
        assert locked.wait(10)
        b = in_thread(lambda: workflow.approve(claim, by=second, version=seen), second_outcome)
        time.sleep(0.5)
        assert b.is_alive(), "the second approval must wait for the first to commit"
        commit.set()
        a.join(10)
        b.join(10)
        assert isinstance(first_outcome[0], Claim), first_outcome
        assert isinstance(second_outcome[0], workflow.StaleVersion), second_outcome
        assert Claim.objects.get(pk=claim.pk).reviewed_by == first

    isolated(scenario)


def test_two_editors_saving_the_same_version_neither_is_lost(isolated):
    def scenario():
        one, two = factories.EditorFactory(), factories.EditorFactory()
        claim = workflow.mark(factories.ArticleFactory(), by=one, quote="the minister told")
        seen = claim.version
        outcomes = together(
            lambda: workflow.update(claim, by=one, version=seen, summary="One's summary"),
            lambda: workflow.update(claim, by=two, version=seen, summary="Two's summary"),
        )
        wins, refusals = split(outcomes)
        assert len(wins) == 1 and len(refusals) == 1, outcomes
        stale = refusals[0]
        assert isinstance(stale, workflow.StaleVersion)
        stored = Claim.objects.get(pk=claim.pk)
        assert stale.changes == {"summary": ["", stored.summary]}, "it says what the other did"
        assert stored.events.filter(action="edited").count() == 1
        # The refused editor reapplies on the current version: nothing is lost.
        loser = two if stored.summary == "One's summary" else one
        workflow.update(claim, by=loser, version=stored.version, summary="Both agreed")
        assert Claim.objects.get(pk=claim.pk).version == seen + 2

    isolated(scenario)


def test_evidence_edits_from_two_sessions_do_not_overwrite_each_other(isolated):
    def scenario():
        one, two = factories.EditorFactory(), factories.EditorFactory()
        claim = ready_for_review(factories.ClaimFactory(created_by=one), by=one)
        source = claim.evidence.get()
        seen = claim.version
        outcomes = together(
            lambda: workflow.change_evidence(source, by=one, version=seen, title="One's title"),
            lambda: workflow.remove_evidence(source, by=two, version=seen),
            lambda: workflow.add_evidence(
                claim, by=two, version=seen, url="https://e.example.org/"
            ),
        )
        wins, refusals = split(outcomes)
        assert len(wins) == 1 and len(refusals) == 2, outcomes
        assert all(isinstance(r, workflow.StaleVersion) for r in refusals)
        assert Claim.objects.get(pk=claim.pk).version == seen + 1
        assert ClaimEvent.objects.filter(claim=claim, version=seen + 1).count() == 1

    isolated(scenario)


def test_two_corrections_cannot_start_at_once(isolated):
    def scenario():
        editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
        claim = ready_for_review(factories.ClaimFactory(created_by=editor), by=editor)
        claim = workflow.submit(claim, by=editor, version=claim.version)
        claim = workflow.approve(claim, by=reviewer, version=claim.version)
        one, two = factories.EditorFactory(), factories.EditorFactory()
        outcomes = together(
            lambda: workflow.start_correction(claim, by=one, version=claim.version, comment="A"),
            lambda: workflow.start_correction(claim, by=two, version=claim.version, comment="B"),
        )
        wins, refusals = split(outcomes)
        assert len(wins) == 1 and len(refusals) == 1, outcomes
        assert isinstance(refusals[0], workflow.NotApplicable)
        assert "already under way" in refusals[0].message
        assert Claim.objects.filter(correction_of=claim).count() == 1
        assert Evidence.objects.filter(claim__correction_of=claim).count() == 1

    isolated(scenario)
