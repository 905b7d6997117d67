"""Model behaviour the workflow relies on: the queues, the verdict authors
behind the four-eyes rule, append-only records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations import workflow
from annotations.models import Claim, ClaimEvent, Correction
from tests import factories
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_verdict_authors_are_who_changed_verdict_summary_rationale_or_evidence(
    draft, editor, other_editor, reviewer
):
    claim = workflow.update(draft, by=reviewer, version=draft.version, claimant="Someone")
    assert claim.verdict_author_ids() == set()
    claim = workflow.update(claim, by=other_editor, version=claim.version, summary="S")
    workflow.add_evidence(claim, by=editor, version=claim.version, url="https://e.example.org/")
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.verdict_author_ids() == {other_editor.pk, editor.pk}


def test_verdict_authors_read_prefetched_events_without_a_query(
    draft, editor, other_editor, django_assert_num_queries
):
    ready_for_review(draft, by=other_editor)
    claim = Claim.objects.prefetch_related("events").get(pk=draft.pk)
    with django_assert_num_queries(0):
        assert claim.verdict_author_ids() == {other_editor.pk}
    fresh = Claim.objects.get(pk=draft.pk)
    with django_assert_num_queries(1):
        assert fresh.verdict_author_ids() == {other_editor.pk}


def test_a_correction_copy_counts_whoever_opened_it(published, reviewer):
    opener = factories.EditorFactory()
    copy = workflow.start_correction(published, by=opener, version=published.version, comment="Fix")
    assert opener.pk in copy.verdict_author_ids()


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
