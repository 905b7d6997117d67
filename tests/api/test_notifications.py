"""The notifications API: the caller's own notifications, unread first, and
marking them read."""

from __future__ import annotations

import pytest

from annotations import notifications, workflow
from annotations.models import Notification
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"


def mention(claim, *, by, whom, text: str = "please look") -> Notification:
    event = workflow.comment(claim, by=by, text=f"@{whom.username} {text}")
    return Notification.objects.get(event=event, recipient=whom)


def test_the_list_has_the_callers_notifications_unread_first(
    reviewer_api, draft, editor, reviewer, other_editor
):
    first = mention(draft, by=editor, whom=reviewer, text="first")
    second = mention(draft, by=editor, whom=reviewer, text="second")
    mention(draft, by=editor, whom=other_editor)
    notifications.mark_read(reviewer, [second.pk])

    response = reviewer_api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [first.pk, second.pk]
    item = body["results"][0]
    assert item == {
        "id": first.pk,
        "kind": "mentioned",
        "message": first.message,
        "claim": draft.pk,
        "claim_url": f"http://testserver{draft.get_absolute_url()}",
        "actor": editor.username,
        "created_at": item["created_at"],
        "read": False,
        "read_at": None,
    }
    assert body["results"][1]["read"] is True and body["results"][1]["read_at"]


def test_the_list_is_paginated(reviewer_api, draft, editor, reviewer):
    for number in range(3):
        mention(draft, by=editor, whom=reviewer, text=str(number))
    body = reviewer_api.get(LIST, {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]


def test_the_list_needs_an_editor(anon, consumer):
    assert anon.get(LIST).status_code == 401
    response = consumer.get(LIST)
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403


def test_marking_ids_read_leaves_other_peoples_alone(
    reviewer_api, draft, editor, reviewer, other_editor
):
    mine = mention(draft, by=editor, whom=reviewer)
    also_mine = mention(draft, by=editor, whom=reviewer, text="two")
    theirs = mention(draft, by=editor, whom=other_editor)

    response = reviewer_api.post(READ, {"ids": [mine.pk, theirs.pk, 999999]}, format="json")

    assert response.status_code == 200
    assert response.json() == {"marked": 1}
    for notification in (mine, also_mine, theirs):
        notification.refresh_from_db()
    assert mine.read_at is not None
    assert also_mine.read_at is None and theirs.read_at is None
    # Marking again counts nothing: it was read already.
    assert reviewer_api.post(READ, {"ids": [mine.pk]}, format="json").json() == {"marked": 0}


def test_marking_all_read_marks_only_the_callers(
    reviewer_api, draft, editor, reviewer, other_editor
):
    mention(draft, by=editor, whom=reviewer)
    mention(draft, by=editor, whom=reviewer, text="two")
    mention(draft, by=editor, whom=other_editor)

    response = reviewer_api.post(READ, {"all": True}, format="json")

    assert response.json() == {"marked": 2}
    assert notifications.unread_count(reviewer) == 0
    assert notifications.unread_count(other_editor) == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"all": False}, {"ids": [1], "all": True}, {"ids": "1"}, {"ids": [0]}, {"every": True}],
)
def test_marking_read_needs_ids_or_all(reviewer_api, body):
    response = reviewer_api.post(READ, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_marking_read_needs_an_editor(anon, outsider):
    assert anon.post(READ, {"all": True}, format="json").status_code == 401
    assert token_client(outsider).post(READ, {"all": True}, format="json").status_code == 403
