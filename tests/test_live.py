"""Live updates: the version tokens of an article and of the desk, and the
endpoints that answer 204 while nothing changed."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.urls import reverse

from annotations import live, workflow
from annotations.models import Article
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def changes_url(article: Article, since: str = "") -> str:
    return reverse("annotations:article_changes", args=[article.pk]) + f"?since={since}"


def desk_url(since: str = "") -> str:
    return reverse("annotations:desk_changes") + f"?since={since}"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- the article's version -----------------------------------------------------------


def test_article_version_is_unchanged_while_nothing_happens(draft):
    assert live.article_version(draft.article_id) == live.article_version(draft.article_id)


def test_article_version_changes_when_a_claim_is_marked(article, editor):
    before = live.article_version(article.pk)
    workflow.mark(article, by=editor, quote="Critics said")
    assert live.article_version(article.pk) != before


def test_article_version_changes_when_a_claim_is_submitted(draft, editor):
    claim = ready_for_review(draft, by=editor)
    before = live.article_version(draft.article_id)
    workflow.submit(claim, by=editor, version=claim.version)
    assert live.article_version(draft.article_id) != before


def test_article_version_changes_when_someone_comments(draft, reviewer):
    version = draft.version
    before = live.article_version(draft.article_id)
    workflow.comment(draft, by=reviewer, text="Which survey?")
    draft.refresh_from_db()
    assert draft.version == version  # a comment does not bump the claim's version
    assert live.article_version(draft.article_id) != before


def test_article_version_changes_when_a_draft_is_deleted(draft, editor):
    # An older claim keeps the newest event where it was: only the counts move.
    newer = workflow.mark(draft.article, by=editor, quote="Critics said")
    workflow.comment(newer, by=editor, text="Keep this one.")
    before = live.article_version(draft.article_id)
    workflow.delete(draft, by=editor, version=draft.version)
    assert live.last_event_of(live.article_version(draft.article_id)) == live.last_event_of(before)
    assert live.article_version(draft.article_id) != before


def test_article_version_changes_when_the_article_details_are_edited(article):
    before = live.article_version(article.pk)
    article.byline = "A. Reporter"
    article.save()
    assert live.article_version(article.pk) != before


def test_article_version_ignores_other_articles(draft, editor):
    before = live.article_version(draft.article_id)
    workflow.mark(factories.ArticleFactory(), by=editor, quote="Critics said")
    assert live.article_version(draft.article_id) == before


def test_article_version_is_one_query(draft, django_assert_num_queries):
    with django_assert_num_queries(1):
        live.article_version(draft.article_id)


def test_article_version_of_a_missing_article_is_none(db):
    assert live.article_version(987654) is None


# --- the desk's version --------------------------------------------------------------


def test_desk_version_changes_on_marks_status_changes_comments_and_deletions(
    article, editor, reviewer
):
    versions = [live.desk_version()]
    claim = workflow.mark(article, by=editor, quote="Critics said")
    versions.append(live.desk_version())
    workflow.comment(claim, by=reviewer, text="Source?")
    versions.append(live.desk_version())
    claim = ready_for_review(claim, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    versions.append(live.desk_version())
    draft = workflow.mark(article, by=editor, quote="the minister told")
    versions.append(live.desk_version())
    workflow.delete(draft, by=editor, version=draft.version)
    versions.append(live.desk_version())
    # Each step shows (a mark deleted again leaves the desk as it was before it).
    assert all(a != b for a, b in itertools.pairwise(versions)), versions
    assert live.desk_version() == versions[-1]


def test_desk_version_notices_a_deleted_draft_that_was_not_the_newest(article, editor):
    old = workflow.mark(article, by=editor, quote="Critics said")
    newer = workflow.mark(article, by=editor, quote="the minister told")
    workflow.comment(newer, by=editor, text="Newest event.")
    before = live.desk_version()
    workflow.delete(old, by=editor, version=old.version)
    assert live.desk_version() != before


def test_desk_version_is_two_queries(draft, django_assert_num_queries):
    with django_assert_num_queries(2):
        live.desk_version()


def test_changed_claims_names_claims_with_newer_events(draft, editor, reviewer):
    other = workflow.mark(draft.article, by=editor, quote="Critics said")
    since = live.article_version(draft.article_id)
    event = workflow.comment(draft, by=reviewer, text="Source?")
    assert live.changed_claims(since, article_pk=draft.article_id) == {draft.pk: event.pk}
    assert other.pk not in live.changed_claims(since)
    assert live.changed_claims("garbage") == {}


def test_changed_claims_leaves_out_the_persons_own_steps(draft, editor, reviewer):
    since = live.article_version(draft.article_id)
    workflow.comment(draft, by=editor, text="Looking into it.")

    assert live.changed_claims(since, others_than=editor) == {}
    event = workflow.comment(draft, by=reviewer, text="Source?")
    assert live.changed_claims(since, others_than=editor) == {draft.pk: event.pk}


# --- the article's endpoint ----------------------------------------------------------


def test_reader_carries_its_version_in_the_poll(editor_client, draft):
    page = editor_client.get(draft.get_absolute_url()).text
    version = live.article_version(draft.article_id)
    assert f"{changes_url(draft.article, version)}" in page
    assert 'hx-trigger="claimChanged from:body, every 3s' in page
    # The open panel says which event it shows and where to reload it from.
    assert f'data-last-event="{draft.events.latest("id").pk}"' in page
    assert f'data-url="{draft.get_absolute_url()}"' in page


def test_changes_answer_204_while_nothing_changed(
    editor_client, draft, django_assert_max_num_queries
):
    since = live.article_version(draft.article_id)
    # The session, the user, their roles and the version.
    with django_assert_max_num_queries(4):
        response = editor_client.get(changes_url(draft.article, since), headers=HTMX)
    assert response.status_code == 204
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]


def test_changes_answer_the_reader_with_the_new_mark_and_status(editor_client, draft, other_editor):
    since = live.article_version(draft.article_id)
    claim = workflow.mark(draft.article, by=other_editor, quote="Critics said")
    claim = ready_for_review(claim, by=other_editor)
    claim = workflow.submit(claim, by=other_editor, version=claim.version)
    response = editor_client.get(changes_url(draft.article, since), headers=HTMX)
    assert response.status_code == 200
    page = response.text
    assert 'id="reader"' in page
    assert "<h1>" not in page and 'id="claim-panel"' not in page  # the reader only
    assert f'data-claims="{claim.pk}"' in page  # the new highlight
    assert f'data-claim-id="{claim.pk}"' in page  # in the claim list
    assert "status-in_review" in page
    # The next poll asks from the new version; the panel learns what changed.
    assert changes_url(draft.article, live.article_version(draft.article_id)) in page
    newest = claim.events.latest("id").pk
    assert re.search(rf'data-live-claims="[^"]*\b{claim.pk}:{newest}\b', page)


def test_changes_without_a_version_answer_the_reader(editor_client, draft):
    response = editor_client.get(changes_url(draft.article), headers=HTMX)
    assert response.status_code == 200
    assert f'data-claims="{draft.pk}"' in response.text
    assert "data-live-claims" not in response.text


def test_changes_of_a_missing_article_are_404(editor_client, db):
    response = editor_client.get(
        reverse("annotations:article_changes", args=[987654]) + "?since=", headers=HTMX
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_changes_are_for_editors_only_and_never_redirect_a_poll(client, outsider, draft, who):
    if who == "outsider":
        client.force_login(outsider)
    since = live.article_version(draft.article_id)
    assert client.get(changes_url(draft.article, since), headers=HTMX).status_code == 403
    assert client.get(desk_url(), headers=HTMX).status_code == 403


def test_changes_are_read_only(editor_client, draft):
    assert editor_client.post(changes_url(draft.article)).status_code == 405
    assert editor_client.post(desk_url()).status_code == 405


# --- the dashboard's endpoint --------------------------------------------------------


def test_dashboard_carries_the_desk_marker(editor_client, draft):
    page = editor_client.get(reverse("annotations:dashboard")).text
    assert desk_url(live.desk_version()) in page
    assert 'data-live-area="#queues"' in page


def test_desk_changes_answer_204_while_nothing_changed(
    editor_client, draft, django_assert_max_num_queries
):
    since = live.desk_version()
    with django_assert_max_num_queries(5):
        response = editor_client.get(desk_url(since), headers=HTMX)
    assert response.status_code == 204


def test_desk_changes_answer_a_new_marker_that_reloads_the_queues(editor_client, draft, reviewer):
    since = live.desk_version()
    event = workflow.comment(draft, by=reviewer, text="Which survey?")
    response = editor_client.get(desk_url(since), headers=HTMX)
    assert response.status_code == 200
    assert desk_url(live.desk_version()) in response.text
    assert f'data-live-claims="{draft.pk}:{event.pk} "' in response.text
    # Once swapped in (not before: a busy person keeps the old one).
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"claimChanged": {"live": True}}
    assert "HX-Trigger" not in response
