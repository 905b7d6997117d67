from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests import factories
from tests.conftest import ready_for_review

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
QUOTE = "unemployment fell by 3 percent last year"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def create_url(article) -> str:
    return reverse("annotations:claim_create", args=[article.pk])


def edit_url(claim) -> str:
    return reverse("annotations:claim_update", args=[claim.article_id, claim.pk])


def delete_url(claim) -> str:
    return reverse("annotations:claim_delete", args=[claim.article_id, claim.pk])


def selection(article, text: str, before: int = 0, after: int = 0) -> dict:
    start = article.body.index(text) - before
    end = start + before + len(text) + after
    return {"start": start, "end": end, "quote": article.body[start:end]}


def triggered(response) -> dict:
    return json.loads(response["HX-Trigger"])


# --- marking -------------------------------------------------------------


def test_marking_over_htmx_creates_a_draft_and_returns_the_panel(editor_client, editor, article):
    response = editor_client.post(create_url(article), selection(article, QUOTE), **HTMX)
    claim = Claim.objects.get()
    assert response.status_code == 201
    assert response.text.lstrip().startswith('<section id="claim-panel"')
    assert f'data-claim-id="{claim.pk}"' in response.text
    assert triggered(response) == {"claimChanged": {"id": claim.pk}}
    assert response["HX-Push-Url"] == claim.get_absolute_url()
    assert (claim.quote, claim.status, claim.created_by) == (QUOTE, "draft", editor)
    assert article.body[claim.start : claim.end] == QUOTE


def test_marking_without_htmx_redirects_to_the_claim(editor_client, article):
    response = editor_client.post(create_url(article), selection(article, QUOTE))
    assert response.status_code == 302
    assert response.url == Claim.objects.get().get_absolute_url()


def test_white_space_around_a_selection_is_trimmed(editor_client, article):
    text = "Critics said the figures were incomplete."
    editor_client.post(create_url(article), selection(article, text, before=2, after=0), **HTMX)
    claim = Claim.objects.get()
    assert claim.quote == text
    assert article.body[claim.start : claim.end] == text


def test_a_selection_across_paragraphs_is_one_claim(editor_client, article):
    start = article.body.index("last year.")
    end = article.body.index("the minister told")
    data = {"start": start, "end": end, "quote": article.body[start:end]}
    response = editor_client.post(create_url(article), data, **HTMX)
    assert response.status_code == 201
    assert "\n\n" in Claim.objects.get().quote


def test_the_claimant_is_guessed_from_the_attribution(editor_client, article):
    editor_client.post(
        create_url(article), selection(article, "We have never been stronger"), **HTMX
    )
    assert Claim.objects.get().claimant == "The minister"


def test_a_given_claimant_is_kept(editor_client, article):
    data = {**selection(article, "We have never been stronger"), "claimant": "A spokesperson"}
    response = editor_client.post(create_url(article), data, **HTMX)
    assert Claim.objects.get().claimant == "A spokesperson"
    assert 'value="A spokesperson"' in response.text


def test_unicode_offsets_are_code_points(editor_client, editor):
    article = factories.ArticleFactory(body="Emoji 😀 then 東京 said «e\u0301té».\n\nMore.")
    article.refresh_from_db()
    text = "東京 said"
    response = editor_client.post(create_url(article), selection(article, text), **HTMX)
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert claim.start == 13  # one code point for the emoji, not two UTF-16 units
    assert claim.quote == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 5, "end": 9, "quote": "wrong"}, "does not match"),
        ({"start": 0, "end": 99999, "quote": "x"}, "outside the article body"),
        ({"start": 9, "end": 9, "quote": ""}, "Select the text"),
        ({"start": "a", "end": "b", "quote": "x"}, "Select the text"),
        ({}, "Select the text"),
        ({"start": 12, "end": 14, "quote": "  "}, "does not match"),
    ],
)
def test_bad_selections_are_refused_inline_and_write_nothing(editor_client, article, data, message):
    response = editor_client.post(create_url(article), data, **HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert response["HX-Retarget"] == "#mark-status"
    assert response["HX-Reswap"] == "innerHTML"
    assert Claim.objects.count() == 0
    assert ClaimEvent.objects.count() == 0


def test_only_white_space_after_trimming_is_refused(editor_client, article):
    start = article.body.index("\n\n")
    data = {"start": start, "end": start + 2, "quote": "\n\n"}
    response = editor_client.post(create_url(article), data, **HTMX)
    assert response.status_code == 422
    assert Claim.objects.count() == 0


def test_a_bad_selection_without_htmx_shows_the_reader_with_the_error(editor_client, article):
    response = editor_client.post(create_url(article), {"start": 1, "end": 4, "quote": "no"})
    assert response.status_code == 422
    assert "<html" in response.text
    assert "Could not mark this claim" in response.text


def test_marking_needs_a_role(client, outsider, article):
    client.force_login(outsider)
    assert client.post(create_url(article), selection(article, QUOTE)).status_code == 403
    assert Claim.objects.count() == 0


def test_marking_needs_login(client, article):
    response = client.post(create_url(article), selection(article, QUOTE))
    assert response.status_code == 302
    assert Claim.objects.count() == 0


def test_marking_refuses_get(editor_client, article):
    assert editor_client.get(create_url(article)).status_code == 405


# --- the panel -----------------------------------------------------------


def test_claim_detail_over_htmx_is_the_panel_partial(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url(), **HTMX)
    assert response.status_code == 200
    assert '<section id="claim-panel"' in response.text
    assert "<html" not in response.text
    assert '<label for="id_claim_text">Claim</label>' in response.text
    assert '<label for="id_claimant">Claimant</label>' in response.text
    assert f'name="version" value="{draft.version}"' in response.text
    assert "hx-confirm=" in response.text


def test_claim_detail_without_htmx_is_the_reader_with_the_claim_selected(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert "<html" in response.text
    assert 'id="article-body"' in response.text
    assert re.search(rf'<section id="claim-panel"[^>]* data-claim-id="{draft.pk}"', response.text)


def test_a_history_restore_gets_the_full_page(editor_client, draft):
    response = editor_client.get(
        draft.get_absolute_url(), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in response.text


def test_a_claim_under_another_article_is_404(editor_client, draft):
    other = factories.ArticleFactory()
    url = reverse("annotations:claim_detail", args=[other.pk, draft.pk])
    assert editor_client.get(url).status_code == 404


def test_claim_panel_of_a_claim_in_review_is_read_only(editor_client, in_review):
    response = editor_client.get(in_review.get_absolute_url(), **HTMX)
    assert "<dt>Claimant</dt>" in response.text
    assert 'name="claimant"' not in response.text
    assert ">Delete</button>" not in response.text


def test_the_panel_query_count_is_constant(editor_client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        editor_client.get(draft.get_absolute_url(), **HTMX)


# --- editing -------------------------------------------------------------


def test_editing_the_claimant_over_htmx_saves_and_announces_the_change(editor_client, draft):
    data = {"claim_text": "Unemployment fell 3%", "claimant": "Jane Doe", "version": draft.version}
    response = editor_client.post(edit_url(draft), data, **HTMX)
    draft.refresh_from_db()
    assert response.status_code == 200
    assert (draft.claimant, draft.claim_text, draft.version) == (
        "Jane Doe",
        "Unemployment fell 3%",
        2,
    )
    assert triggered(response) == {"claimChanged": {"id": draft.pk}}
    assert f'name="version" value="{draft.version}"' in response.text


def test_editing_without_htmx_redirects_to_the_claim(editor_client, draft):
    data = {"claim_text": "", "claimant": "Jane Doe", "version": draft.version}
    response = editor_client.post(edit_url(draft), data)
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.claim_text == draft.quote  # empty text keeps the quote


def test_a_stale_edit_is_refused_and_keeps_the_editors_values(editor_client, other_editor, draft):
    workflow.update(draft, by=other_editor, version=draft.version, claimant="Somebody else")
    data = {"claim_text": "Mine", "claimant": "My claimant", "version": 1}
    response = editor_client.post(edit_url(draft), data, **HTMX)
    draft.refresh_from_db()
    assert response.status_code == 409
    assert draft.claimant == "Somebody else"
    assert 'class="conflict" role="alert"' in response.text
    assert other_editor.username in response.text
    assert 'value="My claimant"' in response.text
    assert 'name="version" value="2"' in response.text
    # Saving again applies the editor's values over the other change.
    data["version"] = 2
    assert editor_client.post(edit_url(draft), data, **HTMX).status_code == 200
    draft.refresh_from_db()
    assert draft.claimant == "My claimant"


def test_a_too_long_claimant_is_an_inline_error(editor_client, draft):
    data = {"claim_text": "", "claimant": "x" * 301, "version": draft.version}
    response = editor_client.post(edit_url(draft), data, **HTMX)
    assert response.status_code == 422
    assert 'id="claimant-error" role="alert"' in response.text
    assert '<section id="claim-panel"' in response.text
    draft.refresh_from_db()
    assert draft.version == 1


def test_an_edit_without_a_version_is_an_inline_error(editor_client, draft):
    response = editor_client.post(edit_url(draft), {"claimant": "X"}, **HTMX)
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.claimant == "The minister"


def test_editing_a_claim_in_review_is_refused_with_the_reason(editor_client, in_review):
    data = {"claim_text": "", "claimant": "X", "version": in_review.version}
    response = editor_client.post(edit_url(in_review), data, **HTMX)
    assert response.status_code == 409
    assert "only drafts can be edited" in response.text
    assert 'role="alert"' in response.text


def test_an_error_without_htmx_renders_the_reader_with_the_panel(editor_client, in_review):
    data = {"claim_text": "", "claimant": "X", "version": in_review.version}
    response = editor_client.post(edit_url(in_review), data)
    assert response.status_code == 409
    assert "<html" in response.text
    assert "only drafts can be edited" in response.text


def test_editing_needs_a_role(client, outsider, draft):
    client.force_login(outsider)
    data = {"claim_text": "", "claimant": "X", "version": draft.version}
    assert client.post(edit_url(draft), data).status_code == 403
    draft.refresh_from_db()
    assert draft.claimant == "The minister"


# --- deleting ------------------------------------------------------------


def test_deleting_a_draft_over_htmx_empties_the_panel(editor_client, draft):
    response = editor_client.post(delete_url(draft), {"version": draft.version}, **HTMX)
    assert response.status_code == 200
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert "The claim was deleted." in response.text
    assert triggered(response) == {"claimChanged": {"id": draft.pk}}
    assert response["HX-Push-Url"] == draft.article.get_absolute_url()


def test_deleting_without_htmx_redirects_to_the_article(editor_client, draft):
    response = editor_client.post(delete_url(draft), {"version": draft.version})
    assert response.status_code == 302
    assert response.url == draft.article.get_absolute_url()


def test_a_stale_delete_is_refused(editor_client, other_editor, draft):
    workflow.update(draft, by=other_editor, version=draft.version, claimant="Somebody else")
    response = editor_client.post(delete_url(draft), {"version": 1}, **HTMX)
    assert response.status_code == 409
    assert 'class="conflict" role="alert"' in response.text
    assert Claim.objects.filter(pk=draft.pk).exists()


def test_a_submitted_claim_cannot_be_deleted(editor_client, editor, draft):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    response = editor_client.post(delete_url(claim), {"version": claim.version}, **HTMX)
    assert response.status_code == 409
    assert "dismiss it instead" in response.text
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_delete_without_a_version_is_refused(editor_client, draft):
    response = editor_client.post(delete_url(draft), {}, **HTMX)
    assert response.status_code == 422
    assert Claim.objects.filter(pk=draft.pk).exists()


def test_deleting_needs_a_role(client, outsider, draft):
    client.force_login(outsider)
    assert client.post(delete_url(draft), {"version": draft.version}).status_code == 403
    assert Claim.objects.filter(pk=draft.pk).exists()
