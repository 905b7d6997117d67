"""The inbox page, the header's unread count, marking read, the settings
page, @mentions in the history, and the people @mentions complete to."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from annotations import context_processors, notifications, workflow
from annotations.models import Notification, NotificationPreference
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
INBOX = reverse("annotations:inbox")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def mention(claim, *, by, whom, text: str = "please look") -> Notification:
    event = workflow.comment(claim, by=by, text=f"@{whom.username} {text}")
    return Notification.objects.get(event=event, recipient=whom)


def test_the_header_shows_the_unread_count_and_links_to_the_inbox(
    reviewer_client, draft, editor, reviewer
):
    mention(draft, by=editor, whom=reviewer)
    mention(draft, by=editor, whom=reviewer, text="again")

    response = reviewer_client.get(reverse("annotations:dashboard"))

    link = response.text.split('<a id="inbox-link"', 1)[1].split("</a>", 1)[0]
    assert f'href="{INBOX}"' in link
    assert link.endswith(
        'Inbox <span class="inbox-count">2<span class="visually-hidden"> unread</span></span>'
    )
    assert reverse("annotations:notification_settings") in response.text


def test_the_header_count_asks_again_and_answers_in_one_query(
    reviewer_client, draft, editor, reviewer, django_assert_max_num_queries
):
    count_url = reverse("annotations:inbox_count")
    page = reviewer_client.get(reverse("annotations:dashboard"))
    assert f'hx-get="{count_url}" hx-trigger="every 30s"' in page.text
    mention(draft, by=editor, whom=reviewer)

    # Session, user, roles, then the count.
    with django_assert_max_num_queries(4):
        response = reviewer_client.get(count_url, **HTMX)

    assert response.status_code == 200
    assert '<span class="inbox-count">1<span class="visually-hidden"> unread' in response.text


def test_the_header_count_answers_nothing_once_signed_out(client, outsider):
    count_url = reverse("annotations:inbox_count")
    assert client.get(count_url, **HTMX).status_code == 204
    client.force_login(outsider)
    assert client.get(count_url, **HTMX).status_code == 204


def test_the_inbox_lists_unread_first_then_newest(reviewer_client, draft, editor, reviewer):
    first = mention(draft, by=editor, whom=reviewer, text="first")
    second = mention(draft, by=editor, whom=reviewer, text="second")
    third = mention(draft, by=editor, whom=reviewer, text="third")
    notifications.mark_read(reviewer, [third.pk])

    response = reviewer_client.get(INBOX)

    assert [n.pk for n in response.context["notifications"]] == [second.pk, first.pk, third.pk]
    assert "2 unread" in response.text
    assert response.text.count(">Mark read</button>") == 2
    assert reverse("annotations:notification_open", args=[first.pk]) in response.text


def test_the_inbox_shows_nobody_elses_notifications(client, draft, editor, reviewer):
    mention(draft, by=editor, whom=reviewer)
    client.force_login(factories.ReviewerFactory())
    response = client.get(INBOX)
    assert response.context["notifications"] == []
    assert "Nothing unread" in response.text


def test_the_inbox_is_for_editors_and_reviewers(client, outsider):
    assert client.get(INBOX).status_code == 302
    client.force_login(outsider)
    assert client.get(INBOX).status_code == 403


def test_the_inbox_page_takes_a_bounded_number_of_queries(
    reviewer_client, draft, editor, reviewer, django_assert_max_num_queries
):
    for number in range(30):
        mention(draft, by=editor, whom=reviewer, text=f"note {number}")
    # Session, user, groups, the page of notifications, their total, the
    # unread count (shared by the heading and the header).
    with django_assert_max_num_queries(7):
        response = reviewer_client.get(INBOX)
    assert response.text.count('class="notification ') == 30


def test_mark_read_over_htmx_answers_the_inbox_and_the_header_count(
    reviewer_client, draft, editor, reviewer
):
    one = mention(draft, by=editor, whom=reviewer)
    mention(draft, by=editor, whom=reviewer, text="two")

    response = reviewer_client.post(reverse("annotations:notification_read", args=[one.pk]), **HTMX)

    one.refresh_from_db()
    assert one.read_at is not None
    assert response.status_code == 200
    assert response.text.strip().startswith('<section id="inbox"')
    assert "1 unread" in response.text
    assert 'id="inbox-link"' in response.text and 'hx-swap-oob="true"' in response.text


def test_mark_read_without_htmx_redirects_to_the_inbox(reviewer_client, draft, editor, reviewer):
    one = mention(draft, by=editor, whom=reviewer)
    response = reviewer_client.post(reverse("annotations:notification_read", args=[one.pk]))
    assert (response.status_code, response.url) == (302, INBOX)


def test_nobody_marks_another_persons_notification(client, draft, editor, reviewer):
    one = mention(draft, by=editor, whom=reviewer)
    client.force_login(editor)
    response = client.post(reverse("annotations:notification_read", args=[one.pk]))
    one.refresh_from_db()
    assert response.status_code == 404 and one.read_at is None


def test_mark_all_read_marks_only_ones_own(reviewer_client, draft, editor, reviewer, other_editor):
    mention(draft, by=editor, whom=reviewer)
    mention(draft, by=editor, whom=reviewer, text="two")
    theirs = mention(draft, by=editor, whom=other_editor)

    response = reviewer_client.post(reverse("annotations:notification_read_all"), **HTMX)

    assert "Nothing unread" in response.text
    assert notifications.unread_count(reviewer) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(reviewer_client, draft, editor, reviewer):
    one = mention(draft, by=editor, whom=reviewer)
    url = reverse("annotations:notification_read", args=[one.pk])
    assert reviewer_client.get(url).status_code == 405


def test_following_a_notification_opens_the_claim_and_marks_it_read(
    reviewer_client, draft, editor, reviewer
):
    one = mention(draft, by=editor, whom=reviewer)
    response = reviewer_client.get(reverse("annotations:notification_open", args=[one.pk]))
    one.refresh_from_db()
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())
    assert one.read_at is not None


def test_anonymous_pages_never_count_notifications():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert context_processors.inbox(request) == {}


def test_people_without_a_role_get_no_count(outsider):
    request = RequestFactory().get("/")
    request.user = outsider
    assert context_processors.inbox(request)["inbox_unread"]() is None


# --- settings ----------------------------------------------------------------


def test_the_settings_page_offers_two_labelled_checkboxes_per_kind(reviewer_client):
    response = reviewer_client.get(reverse("annotations:notification_settings"))
    assert response.status_code == 200
    for kind, label in Notification.Kind.choices:
        assert f"<legend>{label}</legend>" in response.text
        for channel in ("inbox", "email"):
            assert (
                f'<label for="id_{kind}-{channel}"><input type="checkbox" name="{kind}-{channel}"'
                in response.text
            )
    assert response.text.count("checked") == 2 * len(Notification.Kind.values)


def test_saving_settings_stores_a_choice_per_kind(reviewer_client, reviewer):
    data = {f"{kind}-inbox": "on" for kind in Notification.Kind.values}
    data["mentioned-email"] = "on"

    response = reviewer_client.post(reverse("annotations:notification_settings"), data)

    assert response.status_code == 302
    choices = {
        row.kind: (row.inbox, row.email)
        for row in NotificationPreference.objects.filter(user=reviewer)
    }
    assert choices == {kind: (True, kind == "mentioned") for kind in Notification.Kind.values}
    page = reviewer_client.get(response.url)
    assert "Your notification settings are saved." in page.text
    assert page.text.count("checked") == len(Notification.Kind.values) + 1


# --- mentions in the history ---------------------------------------------------


def test_the_history_emphasises_mentions_of_real_people_and_escapes_the_rest(
    client, draft, editor, reviewer
):
    workflow.comment(draft, by=editor, text=f"<b>hi</b> @{reviewer.username}, ask @ghost\nthanks")
    client.force_login(editor)

    response = client.get(reverse("annotations:claim_history", args=[draft.pk]), **HTMX)

    assert (
        f'<p class="comment">&lt;b&gt;hi&lt;/b&gt; <strong class="mention">@{reviewer.username}'
        "</strong>, ask @ghost<br>thanks</p>" in response.text
    )


def test_the_panel_history_costs_no_query_when_nobody_is_mentioned(
    client, draft, editor, django_assert_max_num_queries
):
    workflow.comment(draft, by=editor, text="no mentions here")
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        client.get(draft.get_absolute_url(), **HTMX)


# --- people to mention ---------------------------------------------------------


def test_people_lists_other_active_editors_and_reviewers_starting_with_the_query(
    reviewer_client, reviewer, other_reviewer, outsider
):
    factories.EditorFactory(username="revolver", first_name="Rev", last_name="Olver")
    factories.EditorFactory(username="revoked", is_active=False)
    factories.UserFactory(username="revenant")  # no role
    factories.EditorFactory(username="alice", first_name="Revna")

    response = reviewer_client.get(reverse("annotations:people"), {"q": "rev"})

    assert response.json() == {
        "results": [
            {"username": "alice", "name": "Revna"},
            {"username": other_reviewer.username, "name": ""},
            {"username": "revolver", "name": "Rev Olver"},
        ]
    }


def test_people_answers_at_most_eight(reviewer_client):
    for number in range(10):
        factories.EditorFactory(username=f"desk{number}")
    response = reviewer_client.get(reverse("annotations:people"), {"q": "desk"})
    assert len(response.json()["results"]) == 8


def test_people_is_for_editors_only(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("annotations:people"), {"q": "e"}).status_code == 403


def test_the_inbox_pages_and_marking_read_stays_on_the_page(
    reviewer_client, draft, editor, reviewer
):
    Notification.objects.bulk_create(
        Notification(recipient=reviewer, kind="mentioned", claim=draft, message=f"note {n}")
        for n in range(53)
    )
    oldest = Notification.objects.order_by("created_at", "id").first()

    second = reviewer_client.get(INBOX, {"page": 2})
    assert len(second.context["notifications"]) == 3
    assert f"{INBOX}?page=1" in second.text and "Page 2 of 2" in second.text

    response = reviewer_client.post(
        reverse("annotations:notification_read", args=[oldest.pk]), {"page": "2"}, **HTMX
    )
    assert "Page 2 of 2" in response.text
    assert "52 unread" in response.text
