"""Who may do what: the predicates the views, the API and the admin share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations import permissions, workflow
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_a_reviewer_may_take_every_action_an_editor_may(reviewer, draft):
    for action in permissions.ACTION_ROLES:
        assert "Only a" not in (permissions.denial(reviewer, action, draft) or "")


@pytest.mark.parametrize("action", ["approve", "request_changes", "retract"])
def test_editors_are_denied_reviewer_actions_with_a_reason(editor, draft, action):
    assert permissions.denial(editor, action, draft) == (
        f"Only a reviewer can {action.replace('_', ' ')} a claim."
    )


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
    assert "You submitted" in permissions.denial(other_reviewer, "approve", claim)
    assert "verdict, summary or evidence" in permissions.denial(reviewer, "approve", claim)
    third = factories.ReviewerFactory()
    assert permissions.denial(third, "approve", claim) is None
    # Four eyes is about approving; anyone with the role may send it back.
    assert permissions.denial(reviewer, "request_changes", claim) is None


def test_superusers_are_bound_by_four_eyes(draft, superuser):
    claim = ready_for_review(draft, by=superuser)
    assert "verdict, summary or evidence" in permissions.denial(superuser, "approve", claim)


def test_unknown_action_is_denied(reviewer, draft):
    assert "Unknown action" in permissions.denial(reviewer, "publish", draft)
