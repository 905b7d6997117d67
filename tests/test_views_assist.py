from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations import workflow
from annotations.models import Claim, ReadingPreference
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LUKASHEVICH = "Alexander Lukashevich, Russian Foreign Ministry spokesman"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def hints_url(article) -> str:
    return reverse("annotations:article_hints", args=[article.pk])


def toggle_url(article) -> str:
    return reverse("annotations:hints_toggle", args=[article.pk])


def test_the_reader_loads_the_hints_after_the_article(editor_client, seed_article):
    page = editor_client.get(seed_article.get_absolute_url())
    assert f'hx-get="{hints_url(seed_article)}" hx-trigger="load"' in page.text


def test_hints_rank_unmarked_sentences_with_reasons_and_a_mark_button(
    editor_client, seed_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = editor_client.get(hints_url(seed_article), **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true">Check-worthiness hints</button>' in response.text
    assert response.text.count(">Mark as claim</button>") >= 3
    assert "a named source states it: Alexander Lukashevich" in response.text


def test_a_marked_sentence_leaves_the_suggestions(editor_client, editor, seed_article):
    before = editor_client.get(hints_url(seed_article)).text
    sentence = "Russian Foreign Ministry spokesman Alexander Lukashevich told a news briefing"
    assert sentence in before
    workflow.mark(seed_article, by=editor, quote=sentence)
    assert sentence not in editor_client.get(hints_url(seed_article)).text


def test_marking_a_suggestion_posts_its_sentence_and_guesses_the_claimant(
    editor_client, seed_article
):
    text = editor_client.get(hints_url(seed_article)).text
    sentence = next(s for s in _suggested(text) if "Lukashevich told" in s["quote"])
    response = editor_client.post(
        reverse("annotations:claim_create", args=[seed_article.pk]), sentence, **HTMX
    )
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert claim.claimant == LUKASHEVICH
    assert 'from: “<span class="evidence">Alexander Lukashevich told</span>”' in response.text


def _suggested(html: str) -> list[dict[str, str]]:
    return [
        {"start": m[0], "end": m[1], "quote": m[2].replace("&#x27;", "'").replace("&quot;", '"')}
        for m in re.findall(
            r'name="start" value="(\d+)">\s*<input type="hidden" name="end" value="(\d+)">'
            r'\s*<input type="hidden" name="quote" value="([^"]*)">',
            html,
        )
    ]


def test_the_toggle_is_remembered_per_user(
    editor_client, editor, other_editor, seed_article, client
):
    response = editor_client.post(toggle_url(seed_article), {"show": "off"}, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="false"' in response.text
    assert "Mark as claim" not in response.text
    assert ReadingPreference.objects.get(user=editor).show_hints is False
    # Later, in another request, still off for this editor and on for another.
    assert "Mark as claim" not in editor_client.get(hints_url(seed_article)).text
    client.force_login(other_editor)
    assert "Mark as claim" in client.get(hints_url(seed_article)).text


def test_the_toggle_without_htmx_redirects_to_the_reader(editor_client, seed_article):
    response = editor_client.post(toggle_url(seed_article), {"show": "off"})
    assert response.status_code == 302 and response.url == seed_article.get_absolute_url()


def test_a_bad_toggle_value_writes_nothing(editor_client, editor, seed_article):
    response = editor_client.post(toggle_url(seed_article), {"show": "maybe"}, **HTMX)
    assert response.status_code == 422
    assert not ReadingPreference.objects.filter(user=editor).exists()


def test_hints_are_for_editors_only(client, outsider, seed_article):
    assert client.get(hints_url(seed_article)).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(hints_url(seed_article)).status_code == 403
    assert client.post(toggle_url(seed_article), {"show": "off"}).status_code == 403


def test_the_panel_shows_why_it_guessed_and_offers_to_change_it(editor_client, seed_article):
    quote = "I think we fundamentally will not allow this scenario"
    start = seed_article.body.index(quote)
    data = {"start": start, "end": start + len(quote), "quote": quote}
    response = editor_client.post(
        reverse("annotations:claim_create", args=[seed_article.pk]), data, **HTMX
    )
    assert 'from: “<span class="evidence">Lukashevich said</span>”' in response.text
    assert ">Change</button>" in response.text
    claim = Claim.objects.get()
    # Once changed, the guess is offered back with Accept.
    editor_client.post(
        reverse("annotations:claim_update", args=[seed_article.pk, claim.pk]),
        {"claim_text": "", "claimant": "Someone else", "version": claim.version},
        **HTMX,
    )
    panel = editor_client.get(claim.get_absolute_url(), **HTMX).text
    assert f"Suggested: <strong>{LUKASHEVICH}</strong>" in panel
    assert f'data-claimant-value="{LUKASHEVICH}">Accept</button>' in panel


def test_narration_says_no_speaker_was_found(editor_client, seed_article):
    quote = "held a tense meeting on Monday"
    start = seed_article.body.index(quote)
    data = {"start": start, "end": start + len(quote), "quote": quote}
    response = editor_client.post(
        reverse("annotations:claim_create", args=[seed_article.pk]), data, **HTMX
    )
    assert Claim.objects.get().claimant == ""
    assert "No speaker found: narration" in response.text


def test_the_reporters_own_words_can_be_given_to_the_outlet(editor_client, editor):
    article = factories.ArticleFactory(source_name="Northland Courier")
    # "Critics said the figures were incomplete.": an unnamed source.
    claim = workflow.mark(article, by=editor, quote="were incomplete")
    assert claim.claimant == ""
    panel = editor_client.get(claim.get_absolute_url(), **HTMX).text
    assert "No speaker found: an unnamed source." in panel
    outlet = 'data-claimant-value="Northland Courier">Attribute to Northland Courier</button>'
    assert outlet in panel
