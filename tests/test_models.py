"""Model behaviour the workflow relies on: the queues, the content authors
behind the four-eyes rule, append-only and protected records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations import permissions, workflow
from annotations.models import Claim, ClaimEvent, Correction
from tests import factories
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db


def test_content_authors_are_who_changed_claim_text_claimant_verdict_or_evidence(
    draft, editor, other_editor, reviewer
):
    claim = workflow.update(draft, by=reviewer, version=draft.version, claimant="Someone")
    claim = workflow.update(claim, by=other_editor, version=claim.version, summary="S")
    workflow.add_evidence(claim, by=editor, version=claim.version, url="https://e.example.org/")
    workflow.comment(claim, by=reviewer, text="Fine.")
    claim = Claim.objects.get(pk=draft.pk)
    assert permissions.content_changes_by(reviewer, claim) == ["claimant"]
    assert permissions.content_changes_by(other_editor, claim) == ["summary"]
    # Marking the passage is not a content change; adding a source is.
    assert permissions.content_changes_by(editor, claim) == ["evidence"]


def test_content_authors_read_loaded_events_without_a_query(
    draft, editor, other_editor, django_assert_num_queries
):
    ready_for_review(draft, by=other_editor)
    events = list(draft.events.all())
    with django_assert_num_queries(0):
        assert permissions.content_changes_by(other_editor, draft, events) == [
            "verdict",
            "summary",
            "evidence",
        ]
    with django_assert_num_queries(1):
        assert permissions.content_changes_by(other_editor, draft) != []


def test_opening_a_correction_is_not_a_content_change(published, reviewer):
    opener = factories.EditorFactory()
    copy = workflow.start_correction(published, by=opener, version=published.version, comment="Fix")
    assert permissions.content_changes_by(opener, copy) == []


def test_queues(editor, other_editor, reviewer, article):
    mine = workflow.mark(article, by=editor, quote="the minister told")
    workflow.mark(article, by=other_editor, quote="Critics said")
    waiting = ready_for_review(
        workflow.mark(article, by=editor, quote="figures were incomplete"), by=editor
    )
    waiting = workflow.submit(waiting, by=editor, version=waiting.version)
    assert list(Claim.objects.drafts_of(editor)) == [mine]
    assert list(Claim.objects.awaiting_review()) == [waiting]
    first = published_claim(
        workflow.mark(article, by=editor, quote="unemployment fell"),
        editor=editor,
        reviewer=reviewer,
    )
    second = workflow.approve(waiting, by=reviewer, version=waiting.version)
    assert list(Claim.objects.recently_published()) == [second, first]
    assert list(Claim.objects.awaiting_review()) == []


def test_corrections_are_append_only(published, editor, reviewer):
    entry = Correction.objects.create(claim=published, note="Fixed", changes={})
    entry.note = "Rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert ClaimEvent.objects.filter(claim=published).exists()


def test_history_is_protected_from_cascading_deletes(published):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Claim.objects.filter(pk=published.pk).delete()
    assert Claim.objects.filter(pk=published.pk).exists()
    assert ClaimEvent.objects.filter(claim=published).exists()
    assert published.changes.exists()


def test_one_pending_correction_per_claim_is_enforced_by_the_schema(published, editor):
    from django.db import IntegrityError, transaction

    copy = workflow.start_correction(published, by=editor, version=published.version, comment="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            article=copy.article,
            start=copy.start,
            end=copy.end,
            quote=copy.quote,
            correction_of=published,
        )
