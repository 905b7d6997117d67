"""The workspace search page, saved searches, and the claim panel's similar
earlier fact-checks with "Same claim as" and "Start from this fact-check"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from annotations import workflow
from annotations.models import Claim, ClaimRelation, SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def earlier(editor, reviewer) -> Claim:
    article = factories.ArticleFactory(
        title="Summit report", body="A no-fly zone over Ukraine is not on NATO's agenda."
    )
    return factories.published_claim(
        article,
        "A no-fly zone over Ukraine is not on NATO's agenda.",
        editor=editor,
        reviewer=reviewer,
    )


def test_the_search_page_is_for_editors(client, outsider):
    assert client.get(SEARCH).status_code == 302
    client.force_login(outsider)
    assert client.get(SEARCH).status_code == 403


def test_results_highlight_the_words_and_escape_the_text(editor_client, editor):
    article = factories.ArticleFactory(body="<b>Bold</b> unemployment fell sharply.")
    workflow.mark(article, by=editor, quote="<b>Bold</b> unemployment fell sharply.")
    page = editor_client.get(SEARCH, {"q": "unemployment"}).content.decode()
    assert "<mark>unemployment</mark>" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert "<b>Bold</b>" not in page
    assert "1 claim matching" in page


def test_the_search_is_a_url_and_filters_apply(editor_client, editor, earlier, draft):
    everything = editor_client.get(SEARCH).content.decode()
    assert "2 claims" in everything
    published = editor_client.get(SEARCH, {"status": "published"}).content.decode()
    assert "1 claim" in published and "no-fly" in published
    drafts = editor_client.get(SEARCH + "?status=draft&sort=oldest").content.decode()
    assert "no-fly" not in drafts and "unemployment" in drafts


def test_htmx_gets_the_results_alone(editor_client, earlier):
    response = editor_client.get(SEARCH, {"q": "no-fly"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="search-results"' in body
    assert "<html" not in body and "search-sidebar" not in body


def test_an_article_title_matches_too(editor_client, earlier):
    page = editor_client.get(SEARCH, {"q": "summit"}).content.decode()
    assert "<mark>Summit</mark> report" in page


def test_a_search_is_saved_by_name_and_opens_from_the_sidebar(editor_client, editor, earlier):
    response = editor_client.post(
        reverse("annotations:saved_search_create"),
        {"name": "NATO", "query": "q=no-fly&status=published&page=3"},
    )
    saved = SavedSearch.objects.get(user=editor)
    assert saved.query == "q=no-fly&status=published"
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=no-fly&status=published"
    page = editor_client.get(response["Location"]).content.decode()
    assert 'href="/search/?q=no-fly&amp;status=published">NATO</a>' in page
    assert "<mark>no</mark>-<mark>fly</mark>" in page


def test_a_saved_search_takes_the_fields_htmx_sends_and_refuses_a_taken_name(editor_client, editor):
    url = reverse("annotations:saved_search_create")
    ok = editor_client.post(url, {"name": "Drafts", "status": "draft"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    assert SavedSearch.objects.get(name="Drafts").query == "status=draft"
    again = editor_client.post(url, {"name": "Drafts", "q": "x"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 422
    assert "already have a saved search" in again.content.decode()
    assert SavedSearch.objects.count() == 1


def test_saved_searches_are_private(client, editor, other_editor):
    saved = SavedSearch.objects.create(user=editor, name="Mine", query="q=x")
    client.force_login(other_editor)
    assert "Mine" not in client.get(SEARCH).content.decode()
    url = reverse("annotations:saved_search_delete", args=[saved.pk])
    assert client.post(url).status_code == 404
    client.force_login(editor)
    assert client.post(url).status_code == 302
    assert not SavedSearch.objects.exists()


def test_the_panel_lists_a_matching_earlier_fact_check(editor_client, editor, earlier):
    article = factories.ArticleFactory(body="NATO is not considering a no-fly zone over Ukraine.")
    claim = workflow.mark(
        article, by=editor, quote="NATO is not considering a no-fly zone over Ukraine."
    )
    panel = editor_client.get(claim.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert reverse("annotations:claim_similar", args=[claim.pk]) in panel
    section = editor_client.get(reverse("annotations:claim_similar", args=[claim.pk]))
    html = section.content.decode()
    assert escape(earlier.claim_text) in html
    assert "Likely the same claim" in html
    assert f"Same claim as #{earlier.pk}" in html
    assert "Start from this fact-check" in html
    assert f"/factchecks/{earlier.pk}/" in html


def test_published_fact_checks_come_before_colleagues_claims_in_progress(
    editor_client, editor, other_editor, earlier
):
    colleague = workflow.mark(
        factories.ArticleFactory(
            body="A no-fly zone over Ukraine is not on NATO's agenda, he said."
        ),
        by=other_editor,
        quote="A no-fly zone over Ukraine is not on NATO's agenda, he said.",
    )
    mine = workflow.mark(
        factories.ArticleFactory(body="NATO has no plans for a no-fly zone over Ukraine."),
        by=editor,
        quote="NATO has no plans for a no-fly zone over Ukraine.",
    )
    html = editor_client.get(reverse("annotations:claim_similar", args=[mine.pk])).content.decode()
    assert html.index(f"Same claim as #{earlier.pk}") < html.index(f"Same claim as #{colleague.pk}")
    assert "Draft" in html and other_editor.username in html


def test_same_claim_as_links_both_and_shows_on_the_public_page(client, editor, earlier):
    article = factories.ArticleFactory(body="NATO rules out a no-fly zone.")
    claim = workflow.mark(article, by=editor, quote="NATO rules out a no-fly zone.")
    client.force_login(editor)
    url = reverse("annotations:claim_link", args=[claim.pk, earlier.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"Linked: same claim as #{earlier.pk}." in response.content.decode()
    assert ClaimRelation.objects.filter(claim=earlier, other=claim).exists()
    # Not public until the new claim is published.
    client.logout()
    assert "Related fact-checks" not in client.get(f"/factchecks/{earlier.pk}/").content.decode()
    reviewer = factories.ReviewerFactory()
    factcheck = factories.published_claim(
        factories.ArticleFactory(body="No no-fly zone, NATO says."),
        "No no-fly zone, NATO says.",
        editor=editor,
        reviewer=reviewer,
    )
    workflow.link_same_claim(factcheck, earlier, by=editor)
    page = client.get(f"/factchecks/{earlier.pk}/").content.decode()
    assert "Related fact-checks" in page and "No no-fly zone, NATO says." in page


def test_start_from_copies_the_verdict_into_the_draft(client, editor, other_editor, earlier):
    article = factories.ArticleFactory(body="NATO rules out a no-fly zone.")
    claim = workflow.mark(article, by=other_editor, quote="NATO rules out a no-fly zone.")
    client.force_login(other_editor)
    url = reverse("annotations:claim_start_from", args=[claim.pk, earlier.pk])
    response = client.post(url, {"version": claim.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # The whole panel comes back with the copied verdict, in place of the old one.
    assert response["HX-Retarget"] == "#claim-panel"
    assert earlier.summary in response.content.decode()
    claim.refresh_from_db()
    assert claim.rating == earlier.rating and claim.summary == earlier.summary
    stale = client.post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "changed" in stale.content.decode()


def test_marking_a_duplicate_links_to_the_existing_claim(editor_client, article, draft):
    response = editor_client.post(
        reverse("annotations:claim_create", args=[article.pk]),
        {"start": draft.start, "end": draft.end, "quote": draft.quote},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "already marked" in body and draft.get_absolute_url() in body


def test_marking_one_letter_asks_mark_anyway(editor_client):
    article = factories.ArticleFactory(body="G said so.")
    url = reverse("annotations:claim_create", args=[article.pk])
    asked = editor_client.post(url, {"start": 0, "end": 1, "quote": "G"}, HTTP_HX_REQUEST="true")
    assert asked.status_code == 422
    assert "mark anyway?" in asked.content.decode()
    assert 'name="allow_short" value="1"' in asked.content.decode()
    assert not article.claims.exists()
    done = editor_client.post(
        url, {"start": 0, "end": 1, "quote": "G", "allow_short": "1"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 201
    assert article.claims.get().quote == "G"
