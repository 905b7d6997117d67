"""annotations.bulk: each picked claim through the workflow on its own."""

from __future__ import annotations

import pytest

from annotations import bulk, workflow
from annotations.models import Claim
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db


def test_each_claim_is_its_own_transaction(editor, article):
    good = ready_for_review(workflow.mark(article, by=editor, quote="the minister told"), by=editor)
    bare = workflow.mark(article, by=editor, quote="Critics said")

    result = bulk.apply({bare.pk: bare.version, good.pk: good.version}, "submit", by=editor)

    assert [o.claim_id for o in result.succeeded] == [good.pk]
    assert [o.claim_id for o in result.failed] == [bare.pk]
    assert result.failed[0].message.startswith("Before submitting, add a verdict")
    assert Claim.objects.get(pk=good.pk).status == Claim.Status.IN_REVIEW


def test_a_claim_gone_meanwhile_is_reported(editor, draft):
    result = bulk.apply({draft.pk + 1000: 1}, "assign", by=editor, assignee=editor)
    assert result.failed[0].claim is None
    assert result.failed[0].message == "This claim no longer exists."


def test_workflow_refusals_are_outcomes_not_errors(editor, reviewer, published):
    result = bulk.apply({published.pk: published.version}, "assign", by=editor, assignee=reviewer)
    assert not result.succeeded
    assert "only drafts and claims in review can be assigned" in result.failed[0].message


def test_someone_without_a_role_may_not_act_in_bulk(outsider, draft):
    with pytest.raises(workflow.NotAllowed):
        bulk.apply({draft.pk: draft.version}, "submit", by=outsider)
