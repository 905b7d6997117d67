"""Who may do what: the predicates the views, the API and the admin share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations import permissions, workflow
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    ("who", "editor_role", "reviewer_role"),
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("editor", True, False),
        ("reviewer", True, True),
        ("superuser", True, True),
    ],
)
def test_roles(request, who, editor_role, reviewer_role):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert permissions.is_editor(user) is editor_role
    assert permissions.is_reviewer(user) is reviewer_role
    assert permissions.has_role(user, permissions.EDITOR) is editor_role
    assert permissions.has_role(user, permissions.REVIEWER) is reviewer_role
    assert permissions.can_import(user) is editor_role


def test_inactive_accounts_have_no_role(reviewer):
    reviewer.is_active = False
    assert not permissions.is_editor(reviewer)
    assert not permissions.is_reviewer(reviewer)


def step(action: str, status: str) -> workflow.Transition:
    return workflow.transition(action, status)


def test_a_reviewer_may_take_every_action_an_editor_may(reviewer, draft):
    for row in workflow.TRANSITION_TABLE:
        assert "Only a" not in (permissions.denial(reviewer, row, draft) or "")


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", "in_review", "Only a reviewer can approve and publish."),
        ("request_changes", "in_review", "Only a reviewer can request changes."),
        ("dismiss", "in_review", "Only a reviewer can dismiss."),
        ("retract", "published", "Only a reviewer can retract."),
    ],
)
def test_editors_are_denied_reviewer_actions_with_a_reason(editor, draft, action, status, message):
    assert permissions.denial(editor, step(action, status), draft) == message


def test_the_public_sees_only_public_claims(draft, published, outsider):
    anonymous = AnonymousUser()
    assert permissions.can_view_claim(anonymous, published)
    assert not permissions.can_view_claim(anonymous, draft)
    assert not permissions.can_view_claim(outsider, draft)


def test_four_eyes_denies_the_submitter_and_verdict_authors(
    draft, editor, reviewer, other_reviewer
):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.update(claim, by=reviewer, version=claim.version, rationale="Because.")
    claim = workflow.submit(claim, by=other_reviewer, version=claim.version)
    approve = step("approve", "in_review")
    assert "You submitted" in permissions.denial(other_reviewer, approve, claim)
    assert permissions.denial(reviewer, approve, claim) == (
        "You changed this claim's rationale: a second person must approve it."
    )
    third = factories.ReviewerFactory()
    assert permissions.denial(third, approve, claim) is None
    # Four eyes is about approving; anyone with the role may send it back.
    assert permissions.denial(reviewer, step("request_changes", "in_review"), claim) is None


def test_the_refusal_names_everything_the_person_changed(draft, editor, reviewer):
    claim = workflow.update(
        draft, by=reviewer, version=draft.version, claimant="Someone", summary="S."
    )
    workflow.add_evidence(claim, by=reviewer, version=claim.version, url="https://e.org/1")
    claim.refresh_from_db()
    assert permissions.content_changes_by(reviewer, claim) == ["claimant", "summary", "evidence"]
    assert permissions.content_changes_by(editor, claim) == []


def test_superusers_are_bound_by_four_eyes(draft, superuser):
    claim = ready_for_review(draft, by=superuser)
    assert permissions.denial(superuser, step("approve", "in_review"), claim) == (
        "You changed this claim's verdict, summary and evidence: a second person must approve it."
    )
