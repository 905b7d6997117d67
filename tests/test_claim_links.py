"""Duplicates, short selections, "Same claim as" and "Start from this
fact-check" in the workflow."""

from __future__ import annotations

import pytest

from annotations import permissions, workflow
from annotations.models import ClaimEvent, ClaimRelation, Evidence
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_same_span_twice_is_refused_with_the_existing_claim(article, editor, draft):
    with pytest.raises(workflow.Duplicate) as refused:
        workflow.mark(article, by=editor, start=draft.start, end=draft.end)
    assert refused.value.existing == draft
    assert f"#{draft.pk}" in refused.value.message


def test_the_same_normalised_claim_text_on_the_same_article_is_refused(article, editor, draft):
    with pytest.raises(workflow.Duplicate):
        workflow.mark(
            article,
            by=editor,
            quote="We have never been stronger",
            claim_text="  Unemployment fell by 3 percent, last year! ",
        )
    other = factories.ArticleFactory()
    assert workflow.mark(other, by=editor, quote="unemployment fell by 3 percent last year")


def test_a_selection_under_three_letters_needs_confirming(editor):
    article = factories.ArticleFactory(body="G said 42 things.")
    with pytest.raises(workflow.TooShort) as refused:
        workflow.mark(article, by=editor, quote="G")
    assert "mark anyway?" in refused.value.message
    assert not article.claims.exists()
    assert workflow.mark(article, by=editor, quote="G", allow_short=True).quote == "G"
    with pytest.raises(workflow.TooShort):
        workflow.mark(article, by=editor, quote="42")
    assert workflow.mark(article, by=editor, quote="said").quote == "said"


def test_linking_shows_on_both_claims_and_is_recorded_once(draft, editor, reviewer):
    earlier = factories.published_claim(
        factories.ArticleFactory(), "We have never been stronger", editor=editor, reviewer=reviewer
    )
    assert workflow.link_same_claim(draft, earlier, by=editor) is True
    assert workflow.link_same_claim(draft, earlier, by=editor) is False
    assert [r.other for r in ClaimRelation.objects.filter(claim=draft)] == [earlier]
    assert [r.other for r in ClaimRelation.objects.filter(claim=earlier)] == [draft]
    events = draft.events.filter(comment=f"Same claim as #{earlier.pk}.")
    assert events.count() == 1
    with pytest.raises(workflow.Invalid):
        workflow.link_same_claim(draft, draft, by=editor)


def test_linking_needs_an_editor(draft, outsider):
    other = factories.ClaimFactory(quote="We have never been stronger")
    with pytest.raises(workflow.NotAllowed):
        workflow.link_same_claim(draft, other, by=outsider)
    assert not ClaimRelation.objects.exists()


def test_starting_from_a_fact_check_copies_its_verdict_and_evidence(
    draft, editor, other_editor, reviewer
):
    earlier = factories.published_claim(
        factories.ArticleFactory(), "We have never been stronger", editor=editor, reviewer=reviewer
    )
    claim = workflow.start_from(draft, earlier, by=other_editor, version=draft.version)
    assert claim.rating == earlier.rating
    assert claim.summary == earlier.summary
    assert list(claim.evidence.values_list("url", flat=True)) == list(
        earlier.evidence.values_list("url", flat=True)
    )
    assert claim.version == draft.version + 1
    event = claim.events.order_by("-id").first()
    assert event.action == ClaimEvent.Action.EDITED
    assert event.comment == f"Started from fact-check #{earlier.pk}."
    # The copier shaped the verdict: four eyes keep them from approving it.
    assert "verdict" in permissions.content_changes_by(other_editor, claim)
    assert Evidence.objects.filter(claim=earlier).count() == 1


def test_starting_from_needs_a_draft_a_published_source_and_the_current_version(
    draft, editor, reviewer
):
    source = factories.published_claim(
        factories.ArticleFactory(), "We have never been stronger", editor=editor, reviewer=reviewer
    )
    unpublished = workflow.mark(draft.article, by=editor, quote="We have never been stronger")
    with pytest.raises(workflow.NotApplicable):
        workflow.start_from(draft, unpublished, by=editor, version=draft.version)
    with pytest.raises(workflow.StaleVersion):
        workflow.start_from(draft, source, by=editor, version=draft.version + 5)
    with pytest.raises(workflow.NotApplicable):
        workflow.start_from(source, draft, by=editor, version=source.version)
    assert not draft.evidence.exists()
