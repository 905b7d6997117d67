"""The claim state machine: every transition for every role, the four-eyes
rule, preconditions, corrections, stale versions and history completeness."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations import workflow
from annotations.models import ChangeEntry, Claim, ClaimEvent, Correction, Evidence
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db


Status = Claim.Status
ROLES = ("anonymous", "outsider", "editor", "reviewer")
CAN = {
    "anonymous": set(),
    "outsider": set(),
    "editor": {"submit", "dismiss", "reopen", "start_correction"},
    "reviewer": set(workflow.ACTION_NAMES),
}
RANK = {"anonymous": 0, "outsider": 0, "editor": 1, "reviewer": 2}
# Written out by hand, as the issue states the workflow: (action, from) -> who.
NEEDS = {
    ("submit", "draft"): "editor",
    ("approve", "in_review"): "reviewer",
    ("request_changes", "in_review"): "reviewer",
    ("dismiss", "draft"): "editor",
    ("dismiss", "in_review"): "reviewer",
    ("reopen", "dismissed"): "editor",
    ("retract", "published"): "reviewer",
    ("start_correction", "published"): "editor",
}
TARGET = {
    "submit": "in_review",
    "approve": "published",
    "request_changes": "draft",
    "dismiss": "dismissed",
    "reopen": "draft",
    "retract": "retracted",
    "start_correction": "published",
}
EVENT = {
    "submit": "submitted",
    "approve": "approved",
    "request_changes": "changes_requested",
    "dismiss": "dismissed",
    "reopen": "reopened",
    "retract": "retracted",
    "start_correction": "correction_started",
}


@pytest.fixture
def people(db):
    """An author and a first reviewer who bring claims to each status, and
    actors who had no hand in them."""
    return {
        "author": factories.EditorFactory(),
        "approver": factories.ReviewerFactory(),
        "anonymous": AnonymousUser(),
        "outsider": factories.UserFactory(),
        "editor": factories.EditorFactory(),
        "reviewer": factories.ReviewerFactory(),
    }


def claim_in(status: str, people) -> Claim:
    author, approver = people["author"], people["approver"]
    claim = ready_for_review(factories.ClaimFactory(created_by=author), by=author)
    if status == Status.SUPERSEDED:
        original = claim_in(Status.PUBLISHED, people)
        copy = workflow.start_correction(
            original, by=author, version=original.version, comment="Fix."
        )
        copy = workflow.update(copy, by=author, version=copy.version, summary="Fixed.")
        copy = workflow.submit(copy, by=author, version=copy.version)
        workflow.approve(copy, by=approver, version=copy.version)
        return Claim.objects.get(pk=copy.pk)
    if status == Status.DISMISSED:
        return workflow.dismiss(claim, by=author, version=claim.version, comment="Opinion.")
    if status == Status.DRAFT:
        return claim
    claim = workflow.submit(claim, by=author, version=claim.version)
    if status == Status.IN_REVIEW:
        return claim
    claim = workflow.approve(claim, by=approver, version=claim.version)
    if status == Status.PUBLISHED:
        return claim
    return workflow.retract(claim, by=approver, version=claim.version, comment="Wrong figure.")


def snapshot() -> tuple:
    return (
        list(Claim.objects.order_by("pk").values_list("pk", "status", "version")),
        ClaimEvent.objects.count(),
        Evidence.objects.count(),
        Correction.objects.count(),
        ChangeEntry.objects.count(),
    )


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", list(workflow.ACTION_NAMES))
@pytest.mark.parametrize("role", ROLES)
def test_every_transition_for_every_role_and_status(role, action, status, people):
    claim = claim_in(status, people)
    needs = NEEDS.get((action, status))
    before = snapshot()
    events = claim.events.count()

    if action not in CAN[role] or needs is None or RANK[role] < RANK[needs]:
        expected = workflow.NotApplicable
        if action not in CAN[role] or (needs and RANK[role] < RANK[needs]):
            expected = workflow.NotAllowed
        with pytest.raises(expected) as refused:
            workflow.perform(action, claim, by=people[role], version=claim.version, comment="Why.")
        assert refused.value.message
        assert snapshot() == before, "a refused step writes nothing"
        return

    result = workflow.perform(action, claim, by=people[role], version=claim.version, comment="Why.")
    claim.refresh_from_db()
    assert claim.status == TARGET[action]
    assert claim.events.count() == events + 1, "one event per step"
    event = claim.events.order_by("id").last()
    assert event.action == EVENT[action]
    assert event.actor == people[role]
    if action == "start_correction":
        assert result.correction_of == claim
        assert result.status == Status.DRAFT
    else:
        assert result == claim
        assert event.changes["status"] == [status, TARGET[action]]
        assert event.version == claim.version


@pytest.mark.parametrize("role", ROLES)
def test_available_actions_name_the_reason_for_each_refusal(role, people):
    claim = claim_in(Status.IN_REVIEW, people)
    actions = {row.name: reason for row, reason in workflow.available_actions(claim, people[role])}
    assert set(actions) == {"approve", "request_changes", "dismiss"}
    for reason in actions.values():
        if role == "reviewer":
            assert reason is None
        else:
            assert reason.startswith("Only a reviewer can ")


def test_unknown_action_is_invalid_and_writes_nothing(people):
    claim = claim_in(Status.DRAFT, people)
    before = snapshot()
    with pytest.raises(workflow.Invalid):
        workflow.perform("publish_now", claim, by=people["reviewer"], version=claim.version)
    assert snapshot() == before


# --- four eyes -----------------------------------------------------------------


def test_reviewer_cannot_approve_own_submission(draft, reviewer, other_reviewer):
    claim = ready_for_review(draft, by=reviewer)
    claim = workflow.submit(claim, by=reviewer, version=claim.version)
    before = snapshot()
    with pytest.raises(workflow.NotAllowed, match="You submitted this claim"):
        workflow.approve(claim, by=reviewer, version=claim.version)
    assert snapshot() == before
    assert workflow.approve(claim, by=other_reviewer, version=claim.version).status == "published"


def test_reviewer_who_changed_the_verdict_cannot_approve(draft, editor, reviewer, other_reviewer):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.update(
        claim, by=reviewer, version=claim.version, rating=factories.rating("false")
    )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    with pytest.raises(workflow.NotAllowed, match="You changed this claim's verdict: "):
        workflow.approve(claim, by=reviewer, version=claim.version)
    assert workflow.approve(claim, by=other_reviewer, version=claim.version).reviewed_by == (
        other_reviewer
    )


def test_changing_the_claim_text_or_claimant_bars_a_reviewer(draft, editor, reviewer):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.update(
        claim, by=reviewer, version=claim.version, claim_text="Reworded.", claimant="Another"
    )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    before = snapshot()
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.approve(claim, by=reviewer, version=claim.version)
    assert refused.value.message == (
        "You changed this claim's claim text and claimant: a second person must approve it."
    )
    assert snapshot() == before


def test_commenting_and_requesting_changes_do_not_bar_a_reviewer(in_review, editor, reviewer):
    workflow.comment(in_review, by=reviewer, text="Looks right.")
    claim = workflow.request_changes(
        in_review, by=reviewer, version=in_review.version, comment="Name the source."
    )
    claim = workflow.submit(claim, by=editor, version=claim.version)
    assert workflow.approve(claim, by=reviewer, version=claim.version).status == "published"


def test_who_edited_evidence_after_a_submission_cannot_approve(
    draft, editor, reviewer, other_reviewer
):
    """Reviewer A sends the claim back; reviewer B, working as an editor,
    changes its evidence; the editor resubmits. B may not approve, even after
    somebody else changed the verdict later; A may."""
    claim = ready_for_review(draft, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    claim = workflow.request_changes(
        claim, by=reviewer, version=claim.version, comment="Cite the release."
    )
    source = claim.evidence.get()
    workflow.change_evidence(
        source, by=other_reviewer, version=claim.version, url="https://stats.example.org/r"
    )
    claim.refresh_from_db()
    claim = workflow.update(claim, by=editor, version=claim.version, summary="It fell by 2%.")
    claim = workflow.submit(claim, by=editor, version=claim.version)
    assert claim.verdict_changed_by == editor

    with pytest.raises(workflow.NotAllowed, match="You changed this claim's evidence: "):
        workflow.approve(claim, by=other_reviewer, version=claim.version)
    assert workflow.approve(claim, by=reviewer, version=claim.version).status == "published"


def test_an_editor_who_added_evidence_after_submitting_and_resubmitted_stays_barred(
    draft, reviewer, other_reviewer
):
    claim = ready_for_review(draft, by=reviewer)
    claim = workflow.submit(claim, by=reviewer, version=claim.version)
    claim = workflow.request_changes(
        claim, by=other_reviewer, version=claim.version, comment="One more source."
    )
    workflow.add_evidence(
        claim, by=reviewer, version=claim.version, url="https://example.org/second"
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=reviewer, version=claim.version)
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(claim, by=reviewer, version=claim.version)


def test_superusers_obey_four_eyes(draft):
    boss = factories.UserFactory(is_superuser=True, is_staff=True)
    claim = ready_for_review(draft, by=boss)
    claim = workflow.submit(claim, by=boss, version=claim.version)
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(claim, by=boss, version=claim.version)


# --- preconditions -------------------------------------------------------------


def test_submit_needs_verdict_summary_and_evidence(draft, editor):
    before = snapshot()
    with pytest.raises(workflow.NotApplicable) as refused:
        workflow.submit(draft, by=editor, version=draft.version)
    assert "a verdict, a summary, at least one evidence source" in refused.value.message
    assert snapshot() == before

    claim = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="S."
    )
    with pytest.raises(workflow.NotApplicable, match="at least one evidence source"):
        workflow.submit(claim, by=editor, version=claim.version)
    assert Claim.objects.get(pk=claim.pk).status == "draft"


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("request_changes", "in_review"),
        ("dismiss", "draft"),
        ("dismiss", "in_review"),
        ("retract", "published"),
        ("start_correction", "published"),
    ],
)
@pytest.mark.parametrize("comment", ["", "   "])
def test_steps_that_need_a_comment_refuse_without_one(action, status, comment, people):
    claim = claim_in(status, people)
    before = snapshot()
    with pytest.raises(workflow.Invalid) as refused:
        workflow.perform(
            action, claim, by=people["reviewer"], version=claim.version, comment=comment
        )
    assert refused.value.errors == {"comment": ["This field is required."]}
    assert snapshot() == before


@pytest.mark.parametrize("status", ["in_review", "published", "dismissed", "retracted"])
def test_only_drafts_can_be_edited(status, people):
    claim = claim_in(status, people)
    source = claim.evidence.first()
    by, v = people["reviewer"], claim.version
    before = snapshot()
    for attempt in (
        lambda: workflow.update(claim, by=by, version=v, summary="Changed."),
        lambda: workflow.add_evidence(claim, by=by, version=v, url="https://example.org/x"),
        lambda: workflow.change_evidence(source, by=by, version=v, title="Changed"),
        lambda: workflow.remove_evidence(source, by=by, version=v),
        lambda: workflow.delete(claim, by=by, version=v),
    ):
        with pytest.raises(workflow.NotApplicable):
            attempt()
    assert snapshot() == before


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)", "example", ""])
def test_evidence_takes_http_and_https_urls_only(draft, editor, url):
    before = snapshot()
    with pytest.raises(workflow.Invalid) as refused:
        workflow.add_evidence(draft, by=editor, version=draft.version, url=url)
    assert "url" in refused.value.errors
    assert snapshot() == before


def test_invalid_edit_writes_nothing(draft, editor):
    before = snapshot()
    with pytest.raises(workflow.Invalid) as refused:
        workflow.update(draft, by=editor, version=draft.version, summary="x" * 301)
    assert "summary" in refused.value.errors
    assert snapshot() == before


def test_outsiders_cannot_mark_edit_or_comment(draft, outsider, article):
    before = snapshot()
    with pytest.raises(workflow.NotAllowed):
        workflow.mark(article, by=outsider, quote="unemployment fell")
    with pytest.raises(workflow.NotAllowed):
        workflow.update(draft, by=outsider, version=draft.version, summary="No.")
    with pytest.raises(workflow.NotAllowed):
        workflow.comment(draft, by=outsider, text="Hello")
    assert snapshot() == before


def test_a_submitted_claim_cannot_be_deleted(in_review, editor, reviewer):
    claim = workflow.request_changes(
        in_review, by=reviewer, version=in_review.version, comment="No"
    )
    with pytest.raises(workflow.NotApplicable, match="dismiss it instead"):
        workflow.delete(claim, by=editor, version=claim.version)


def test_a_draft_marked_by_mistake_can_be_deleted(draft, editor):
    workflow.delete(draft, by=editor, version=draft.version)
    assert not Claim.objects.filter(pk=draft.pk).exists()


# --- stale versions ------------------------------------------------------------


def test_stale_edit_is_refused_and_says_what_changed(draft, editor, other_editor):
    seen = draft.version
    workflow.update(draft, by=other_editor, version=seen, summary="Theirs.")
    before = snapshot()
    with pytest.raises(workflow.StaleVersion) as refused:
        workflow.update(draft, by=editor, version=seen, summary="Mine.")
    stale = refused.value
    assert snapshot() == before
    assert other_editor.username in stale.message
    assert stale.changes == {"summary": ["", "Theirs."]}
    assert stale.rows == [{"field": "Summary", "before": "", "after": "Theirs."}]
    assert stale.claim.version == seen + 1
    # Reapplying on the current version goes through.
    claim = workflow.update(draft, by=editor, version=stale.claim.version, summary="Mine.")
    assert claim.summary == "Mine."


def test_stale_evidence_changes_are_refused(draft, editor, other_editor):
    claim = ready_for_review(draft, by=editor)
    source = claim.evidence.get()
    seen = claim.version
    workflow.change_evidence(source, by=other_editor, version=seen, title="Theirs")
    before = snapshot()
    for attempt in (
        lambda: workflow.change_evidence(source, by=editor, version=seen, title="Mine"),
        lambda: workflow.remove_evidence(source, by=editor, version=seen),
        lambda: workflow.add_evidence(claim, by=editor, version=seen, url="https://e.org/"),
    ):
        with pytest.raises(workflow.StaleVersion) as refused:
            attempt()
        assert f"evidence.{source.pk}" in refused.value.changes
    assert snapshot() == before
    assert Evidence.objects.get(pk=source.pk).title == "Theirs"


def test_removed_evidence_cannot_be_changed(draft, editor):
    claim = ready_for_review(draft, by=editor)
    source = claim.evidence.get()
    workflow.remove_evidence(source, by=editor, version=claim.version)
    with pytest.raises(workflow.NotApplicable, match="removed"):
        workflow.change_evidence(source, by=editor, version=None, title="Too late")


def test_stale_transition_is_refused(in_review, reviewer, other_reviewer):
    seen = in_review.version
    workflow.approve(in_review, by=reviewer, version=seen)
    before = snapshot()
    with pytest.raises(workflow.StaleVersion) as refused:
        workflow.approve(in_review, by=other_reviewer, version=seen)
    assert refused.value.changes["status"] == ["in_review", "published"]
    assert snapshot() == before


def test_a_version_that_is_not_a_number_is_invalid(draft, editor):
    with pytest.raises(workflow.Invalid):
        workflow.update(draft, by=editor, version="abc", summary="S")


# --- corrections -----------------------------------------------------------------


def test_correction_replaces_the_published_version_through_four_eyes(
    published, editor, other_editor, reviewer, other_reviewer
):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="The rate was 2.1%, not 2%."
    )
    published.refresh_from_db()
    assert published.status == "published" and published.summary == "It fell by 2.1%."
    assert list(Claim.objects.published()) == [published]
    with pytest.raises(workflow.NotApplicable, match="already under way"):
        workflow.start_correction(
            published, by=other_editor, version=published.version, comment="x"
        )

    copy = workflow.update(
        copy, by=other_editor, version=copy.version, summary="It fell by 2.1 points."
    )
    workflow.add_evidence(copy, by=other_editor, version=copy.version, url="https://e.org/fix")
    copy.refresh_from_db()
    copy = workflow.submit(copy, by=other_editor, version=copy.version)
    with pytest.raises(workflow.NotAllowed, match="Only a reviewer"):
        workflow.approve(copy, by=other_editor, version=copy.version)

    result = workflow.approve(copy, by=reviewer, version=copy.version)
    assert result == published
    published.refresh_from_db()
    assert published.summary == "It fell by 2.1 points."
    assert published.evidence.count() == 2
    copy.refresh_from_db()
    assert copy.status == "superseded" and copy.evidence.count() == 2
    correction = published.corrections.get()
    assert correction.note == "The rate was 2.1%, not 2%."
    assert correction.changes["summary"] == ["It fell by 2.1%.", "It fell by 2.1 points."]
    assert len(correction.changes["evidence"][1]) == 2
    assert correction.corrected_by == other_editor and correction.approved_by == reviewer
    assert published.changes.order_by("cursor").last().action == "corrected"
    # The working copy keeps its own events; the published claim's timeline
    # shows them, once each, and nothing was moved between claims.
    assert list(copy.events.values_list("action", flat=True)) == [
        "edited",
        "evidence_added",
        "submitted",
        "approved",
    ]
    actions = list(workflow.history(published).values_list("action", flat=True))
    assert actions[-6:] == [
        "correction_started",
        "edited",
        "evidence_added",
        "submitted",
        "approved",
        "correction_published",
    ]
    assert actions.count("correction_started") == 1


def test_a_reviewer_who_opened_a_correction_approves_the_editors_copy(published, reviewer, editor):
    """A desk of one editor and one reviewer finishes a correction whoever
    opened it: opening one with a note is not a content change."""
    copy = workflow.start_correction(
        published, by=reviewer, version=published.version, comment="Typo."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    assert workflow.approve(copy, by=reviewer, version=copy.version) == published


def test_a_correction_opened_by_the_editor_is_approved_by_the_reviewer(published, reviewer, editor):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="Typo."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    assert workflow.approve(copy, by=reviewer, version=copy.version) == published


def test_who_changed_a_corrections_content_cannot_approve_it(published, reviewer, editor):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="Typo."
    )
    copy = workflow.update(copy, by=reviewer, version=copy.version, rationale="Better reasons.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    with pytest.raises(workflow.NotAllowed, match="You changed this claim's rationale: "):
        workflow.approve(copy, by=reviewer, version=copy.version)
    third = factories.ReviewerFactory()
    assert workflow.approve(copy, by=third, version=copy.version) == published


def test_a_correction_that_changes_nothing_cannot_be_submitted(published, editor):
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="?")
    before = snapshot()
    with pytest.raises(workflow.NotApplicable, match="changes nothing"):
        workflow.submit(copy, by=editor, version=copy.version)
    assert snapshot() == before


def test_dismissing_a_correction_drops_it_and_allows_another(published, editor, other_editor):
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="?")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Maybe.")
    result = workflow.dismiss(copy, by=editor, version=copy.version, comment="Not needed.")
    assert result == published
    copy.refresh_from_db()
    assert copy.status == "dismissed" and copy.events.count() == 2
    published.refresh_from_db()
    assert published.status == "published" and published.summary == "It fell by 2.1%."
    last = workflow.history(published).last()
    assert last.action == "dismissed" and last.comment == "Not needed."
    assert last.claim == copy
    again = workflow.start_correction(
        published, by=other_editor, version=published.version, comment="Second try."
    )
    assert again.correction_of == published


def test_a_dropped_correction_stays_dropped(published, editor, reviewer):
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="?")
    workflow.dismiss(copy, by=editor, version=copy.version, comment="Not needed.")
    copy.refresh_from_db()
    assert [row.name for row, _ in workflow.available_actions(copy, reviewer)] == []
    before = snapshot()
    with pytest.raises(workflow.NotApplicable):
        workflow.reopen(copy, by=editor, version=copy.version)
    assert snapshot() == before


def test_approving_a_correction_of_a_retracted_claim_is_refused(published, editor, reviewer):
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="x")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    published.refresh_from_db()
    workflow.retract(published, by=reviewer, version=published.version, comment="Withdrawn.")
    other = factories.ReviewerFactory()
    before = snapshot()
    with pytest.raises(workflow.NotApplicable, match="retracted"):
        workflow.approve(copy, by=other, version=copy.version)
    assert snapshot() == before


# --- history --------------------------------------------------------------------------


def test_every_change_writes_exactly_one_event_with_before_and_after(
    article, editor, reviewer, other_reviewer
):
    steps = []

    def step(expected_action, run):
        count = ClaimEvent.objects.count()
        result = run()
        assert ClaimEvent.objects.count() == count + 1, expected_action
        event = ClaimEvent.objects.order_by("id").last()
        assert event.action == expected_action
        steps.append(event)
        return result

    claim = step(
        "created",
        lambda: workflow.mark(article, by=editor, quote="the minister told", claimant=""),
    )
    claim = step(
        "edited",
        lambda: workflow.update(
            claim, by=editor, version=claim.version, claimant="Minister", summary="S"
        ),
    )
    source = step(
        "evidence_added",
        lambda: workflow.add_evidence(
            claim, by=editor, version=claim.version, url="https://a.example.org/"
        ),
    )
    claim.refresh_from_db()
    step(
        "evidence_changed",
        lambda: workflow.change_evidence(source, by=editor, version=claim.version, title="T"),
    )
    claim.refresh_from_db()
    extra = step(
        "evidence_added",
        lambda: workflow.add_evidence(
            claim, by=editor, version=claim.version, url="https://c.example.org/"
        ),
    )
    claim.refresh_from_db()
    step(
        "evidence_removed",
        lambda: workflow.remove_evidence(extra, by=editor, version=claim.version),
    )
    claim.refresh_from_db()
    claim = step(
        "edited",
        lambda: workflow.update(claim, by=editor, version=claim.version, rating=factories.rating()),
    )
    step("commented", lambda: workflow.comment(claim, by=reviewer, text="Looks right."))
    claim = step("submitted", lambda: workflow.submit(claim, by=editor, version=claim.version))
    claim = step(
        "approved", lambda: workflow.approve(claim, by=other_reviewer, version=claim.version)
    )
    claim = step(
        "retracted",
        lambda: workflow.retract(claim, by=reviewer, version=claim.version, comment="Bad source."),
    )

    assert list(claim.events.order_by("id")) == steps
    assert steps[1].changes == {"claimant": ["", "Minister"], "summary": ["", "S"]}
    assert steps[2].changes == {
        f"evidence.{source.pk}": [
            None,
            {
                "url": "https://a.example.org/",
                "title": "",
                "publisher": "",
                "excerpt": "",
                "note": "",
            },
        ]
    }
    assert steps[3].changes[f"evidence.{source.pk}"][0]["title"] == ""
    assert steps[3].changes[f"evidence.{source.pk}"][1]["title"] == "T"
    assert steps[5].changes[f"evidence.{extra.pk}"][1] is None
    assert steps[6].changes == {"rating": [None, "mostly-false"]}
    assert steps[7].comment == "Looks right."
    assert steps[-1].changes == {
        "status": ["published", "retracted"],
        "retraction_note": ["", "Bad source."],
    }
    assert [e.actor for e in steps] == [editor] * 7 + [reviewer, editor, other_reviewer, reviewer]
    versions = [e.version for e in steps if e.action != "commented"]
    assert versions == list(range(1, len(versions) + 1)), "each change is one version"
    assert claim.retraction_note == "Bad source."
    assert all(e.created_at for e in steps)


def test_a_no_op_edit_writes_nothing(draft, editor):
    before = snapshot()
    workflow.update(draft, by=editor, version=draft.version, claimant="The minister")
    assert snapshot() == before


def test_events_are_append_only(draft):
    from django.core.exceptions import ValidationError

    event = draft.events.get()
    event.comment = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_request_changes_reaches_the_submitters_queue(in_review, editor, reviewer):
    assert list(Claim.objects.changes_requested_to(editor)) == []
    workflow.request_changes(
        in_review, by=reviewer, version=in_review.version, comment="Add the source."
    )
    assert list(Claim.objects.changes_requested_to(editor)) == [in_review]
    assert list(Claim.objects.drafts_of(editor)) == []
    claim = Claim.objects.get(pk=in_review.pk)
    workflow.submit(claim, by=editor, version=claim.version)
    assert list(Claim.objects.changes_requested_to(editor)) == []


def test_publishing_and_retracting_feed_the_changes_log(in_review, reviewer):
    claim = workflow.approve(in_review, by=reviewer, version=in_review.version)
    assert claim.published_at is not None and claim.reviewed_by == reviewer
    claim = workflow.retract(claim, by=reviewer, version=claim.version, comment="Withdrawn.")
    assert list(claim.changes.values_list("action", flat=True)) == ["published", "retracted"]
    cursors = list(ChangeEntry.objects.values_list("cursor", flat=True))
    assert cursors == list(range(1, len(cursors) + 1))
