"""The desk's fields in the claim API: editors read and PATCH `assignee`,
`reviewer`, `due` and `priority` with If-Match; the public never sees them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests.api.conftest import publish

pytestmark = pytest.mark.django_db

DESK_FIELDS = {"assignee", "reviewer", "due", "priority"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_editors_read_the_assignment_of_a_claim(editor_api, draft, editor, reviewer):
    due = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=5)
    workflow.assign(
        draft, by=editor, version=draft.version, assignee=editor, reviewer=reviewer, due=due
    )

    data = editor_api.get(f"/api/v1/claims/{draft.pk}/").json()

    assert data["assignee"] == editor.username
    assert data["reviewer"] == reviewer.username
    assert datetime.datetime.fromisoformat(data["due"]) == due
    assert data["priority"] == "normal"


def test_an_unassigned_claim_has_nulls_and_normal_priority(editor_api, draft):
    data = editor_api.get(f"/api/v1/claims/{draft.pk}/").json()

    assert (data["assignee"], data["reviewer"], data["due"], data["priority"]) == (
        None,
        None,
        None,
        "normal",
    )


def test_the_public_representation_lacks_the_desk_fields(
    anon, consumer, editor_api, article, editor, reviewer
):
    claim = publish(article, editor=editor, reviewer=reviewer)
    for client in (anon, consumer):
        detail = client.get(f"/api/v1/claims/{claim.pk}/").json()
        listed = client.get("/api/v1/claims/").json()["results"][0]
        assert not DESK_FIELDS & set(detail)
        assert not DESK_FIELDS & set(listed)
    assert set(editor_api.get(f"/api/v1/claims/{claim.pk}/").json()) >= DESK_FIELDS


def test_patch_assigns_with_if_match_and_records_one_event(editor_api, draft, reviewer):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {
            "assignee": reviewer.username,
            "reviewer": reviewer.username,
            "due": "2030-01-02T09:30:00Z",
            "priority": "urgent",
        },
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )

    assert response.status_code == 200, response.content
    claim = Claim.objects.get(pk=draft.pk)
    assert (claim.assignee, claim.reviewer, claim.priority) == (reviewer, reviewer, "urgent")
    assert claim.due == datetime.datetime(2030, 1, 2, 9, 30, tzinfo=datetime.UTC)
    assert response["ETag"] == claim.etag() and claim.version == draft.version + 1
    data = response.json()
    assert data["assignee"] == reviewer.username and data["priority"] == "urgent"
    event = claim.events.get(action=ClaimEvent.Action.ASSIGNED)
    assert set(event.changes) == {"assignee", "reviewer", "due", "priority"}


def test_patch_mixes_an_edit_and_an_assignment_in_one_request(editor_api, draft, editor):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "It fell by 2.1%.", "assignee": editor.username},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )

    assert response.status_code == 200, response.content
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.summary == "It fell by 2.1%." and claim.assignee == editor
    actions = list(claim.events.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == [ClaimEvent.Action.EDITED, ClaimEvent.Action.ASSIGNED]
    assert claim.version == draft.version + 2


def test_patch_clears_the_assignment_with_null(editor_api, draft, editor):
    claim = workflow.assign(draft, by=editor, version=draft.version, assignee=editor)

    response = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"assignee": None, "due": None},
        format="json",
        HTTP_IF_MATCH=claim.etag(),
    )

    assert response.status_code == 200, response.content
    assert response.json()["assignee"] is None
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_a_claim_in_review_can_be_assigned_but_not_edited(editor_api, in_review, reviewer):
    response = editor_api.patch(
        f"/api/v1/claims/{in_review.pk}/",
        {"reviewer": reviewer.username},
        format="json",
        HTTP_IF_MATCH=in_review.etag(),
    )
    assert response.status_code == 200, response.content
    claim = Claim.objects.get(pk=in_review.pk)
    assert claim.reviewer == reviewer

    refused = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"summary": "Changed", "priority": "urgent"},
        format="json",
        HTTP_IF_MATCH=claim.etag(),
    )
    assert refused.status_code == 409
    assert Claim.objects.get(pk=claim.pk).priority == "normal"


def test_an_unknown_username_is_a_400_field_error_and_writes_nothing(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "Mine", "assignee": "nobody-by-that-name"},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )

    error = error_of(response, 400)
    assert "assignee" in error["fields"]
    assert Claim.objects.get(pk=draft.pk).summary == ""


def test_a_non_editor_assignee_is_refused_by_the_workflow_and_the_edit_rolls_back(
    editor_api, draft, outsider
):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "Mine", "assignee": outsider.username},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )

    error = error_of(response, 400)
    assert error["code"] == "invalid" and "assignee" in error["fields"]
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.summary == "" and claim.assignee is None and claim.version == draft.version


def test_an_unknown_priority_is_a_400(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"priority": "whenever"},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert "priority" in error_of(response, 400)["fields"]


def test_an_assignment_with_a_stale_etag_is_412(editor_api, draft, other_editor, editor):
    seen = draft.etag()
    workflow.update(draft, by=other_editor, version=draft.version, summary="Theirs")

    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"assignee": editor.username},
        format="json",
        HTTP_IF_MATCH=seen,
    )

    error = error_of(response, 412)
    assert error["code"] == "stale_version" and error["current_version"] == 2
    assert Claim.objects.get(pk=draft.pk).assignee is None


def test_an_assignment_needs_if_match(editor_api, draft, editor):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/", {"assignee": editor.username}, format="json"
    )
    assert error_of(response, 428)["code"] == "precondition_required"


def test_the_public_cannot_patch_an_assignment(anon, consumer, published, editor):
    for client in (anon, consumer):
        response = client.patch(
            f"/api/v1/claims/{published.pk}/",
            {"assignee": editor.username},
            format="json",
            HTTP_IF_MATCH=published.etag(),
        )
        assert response.status_code in (401, 403)


def test_the_schema_documents_the_desk_fields_as_optional(anon):
    schema = anon.get("/api/schema/?format=json").json()
    claim = schema["components"]["schemas"]["Claim"]
    assert set(claim["properties"]) >= DESK_FIELDS
    assert not DESK_FIELDS & set(claim.get("required", []))
    update = schema["components"]["schemas"]["PatchedClaimUpdate"]
    assert set(update["properties"]) >= DESK_FIELDS


def test_editors_filter_the_list_by_assignee_reviewer_priority_and_due(
    editor_api, article, editor, reviewer, other_reviewer
):
    soon = timezone.now() + datetime.timedelta(hours=1)
    mine = workflow.mark(article, by=editor, quote="the minister told")
    mine = workflow.assign(
        mine, by=editor, version=mine.version, assignee=reviewer, priority="urgent", due=soon
    )
    theirs = workflow.mark(article, by=editor, quote="Critics said")
    workflow.assign(theirs, by=editor, version=theirs.version, reviewer=other_reviewer)

    def ids(**params):
        response = editor_api.get("/api/v1/claims/", {"status": "draft", **params})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {mine.pk, theirs.pk}
    assert ids(assignee=reviewer.username) == {mine.pk}
    assert ids(reviewer=other_reviewer.username) == {theirs.pk}
    assert ids(priority="urgent") == {mine.pk}
    later = (soon + datetime.timedelta(minutes=1)).isoformat()
    assert ids(due_before=later) == {mine.pk}
    assert ids(assignee="nobody-by-that-name") == set()


def test_the_desk_filters_filter_nothing_for_the_public(anon, published, editor, reviewer):
    Claim.objects.filter(pk=published.pk).update(assignee=reviewer)

    everyone = anon.get("/api/v1/claims/").json()["results"]
    by_assignee = anon.get("/api/v1/claims/", {"assignee": "someone-else"}).json()["results"]

    assert [row["id"] for row in by_assignee] == [row["id"] for row in everyone] == [published.pk]
