"""The fields a claim needs for publication: a short headline, the date the
claim was made and where it appeared. Defaults come from the article; every
change is in the history, in corrections and in the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests import factories
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db

QUOTE = "unemployment fell by 3 percent last year"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_new_claim_takes_its_articles_date_and_url(editor):
    article = factories.ArticleFactory(published_on=datetime.date(2013, 6, 17))
    claim = workflow.mark(article, by=editor, quote=QUOTE)
    assert claim.claim_date == datetime.date(2013, 6, 17)
    assert claim.appearance_url == article.source_url
    assert claim.headline == ""
    assert claim.public_headline == claim.claim_text == QUOTE
    created = claim.events.get(action=ClaimEvent.Action.CREATED)
    assert created.changes["claim_date"] == [None, "2013-06-17"]
    assert created.changes["appearance_url"] == [None, article.source_url]


def test_a_pasted_article_leaves_date_and_url_empty_until_it_has_them(editor):
    article = factories.ArticleFactory(source_url="", published_on=None)
    claim = workflow.mark(article, by=editor, quote=QUOTE)
    assert claim.claim_date is None and claim.appearance_url == ""
    assert claim.date_made is None and claim.appeared_at == ""
    # Known later (an editor fills in the article's metadata): the claim shows them.
    article.source_url = "https://news.example.com/later"
    article.published_on = datetime.date(2024, 1, 2)
    article.save()
    claim = Claim.objects.select_related("article").get(pk=claim.pk)
    assert claim.appeared_at == "https://news.example.com/later"
    assert claim.date_made == datetime.date(2024, 1, 2)


def test_the_original_url_prefers_a_canonical_url_when_the_article_has_one(article):
    assert article.original_url == article.source_url
    article.canonical_url = "https://news.example.com/canonical"
    assert article.original_url == "https://news.example.com/canonical"


def test_editing_the_fields_is_recorded_in_the_history(draft, editor):
    claim = workflow.update(
        draft,
        by=editor,
        version=draft.version,
        headline="  Unemployment fell by 3% last year  ",
        claim_date=datetime.date(2024, 3, 1),
        appearance_url="https://tv.example.com/interview",
    )
    assert claim.headline == "Unemployment fell by 3% last year"
    event = claim.events.latest("id")
    assert event.action == ClaimEvent.Action.EDITED
    assert event.changes == {
        "headline": ["", "Unemployment fell by 3% last year"],
        "claim_date": [None, "2024-03-01"],
        "appearance_url": [draft.appearance_url, "https://tv.example.com/interview"],
    }
    rows = {row["field"]: row["after"] for row in workflow.describe_changes(event.changes)}
    assert rows["Headline"] == "Unemployment fell by 3% last year"
    assert rows["Date of the claim"] == "2024-03-01"
    assert rows["Where it appeared"] == "https://tv.example.com/interview"


def test_a_bad_appearance_url_is_refused_and_nothing_is_written(draft, editor):
    with pytest.raises(workflow.Invalid) as refused:
        workflow.update(draft, by=editor, version=draft.version, appearance_url="ftp://x.example")
    assert "appearance_url" in refused.value.errors
    draft.refresh_from_db()
    assert draft.version == 1 and draft.appearance_url.startswith("https://")


def test_a_headline_longer_than_the_limit_is_refused(draft, editor):
    with pytest.raises(workflow.Invalid) as refused:
        workflow.update(draft, by=editor, version=draft.version, headline="x" * 201)
    assert "headline" in refused.value.errors


def test_a_correction_carries_and_publishes_the_fields(
    article, editor, other_editor, reviewer, other_reviewer
):
    live = published_claim(
        workflow.mark(article, by=editor, quote=QUOTE), editor=editor, reviewer=reviewer
    )
    copy = workflow.start_correction(live, by=other_editor, version=live.version, comment="Date.")
    assert (copy.headline, copy.claim_date, copy.appearance_url) == (
        live.headline,
        live.claim_date,
        live.appearance_url,
    )
    copy = workflow.update(
        copy,
        by=other_editor,
        version=copy.version,
        headline="Jobless rate fell 3%",
        claim_date=datetime.date(2020, 5, 4),
    )
    copy = workflow.submit(copy, by=other_editor, version=copy.version)
    live = workflow.approve(copy, by=other_reviewer, version=copy.version)
    assert live.headline == "Jobless rate fell 3%"
    assert live.claim_date == datetime.date(2020, 5, 4)
    correction = live.corrections.get()
    assert correction.changes["headline"] == ["", "Jobless rate fell 3%"]
    assert correction.changes["claim_date"][1] == "2020-05-04"


def test_the_api_shows_and_edits_the_fields(draft, editor, reviewer):
    api = APIClient()
    api.force_authenticate(editor)
    response = api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"headline": "Short headline", "claim_date": "2024-02-29", "appearance_url": ""},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["headline"] == "Short headline"
    assert body["claim_date"] == "2024-02-29"
    assert body["appearance_url"] == ""
    refused = api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"claim_date": "yesterday"},
        format="json",
        HTTP_IF_MATCH=f'"claim-{draft.pk}-v2"',
    )
    assert refused.status_code == 400
    claim = Claim.objects.get(pk=draft.pk)
    published = published_claim(claim, editor=editor, reviewer=reviewer)
    public = APIClient().get(f"/api/v1/claims/{published.pk}/").json()
    assert (public["headline"], public["claim_date"]) == ("Short headline", "2024-02-29")


def test_the_panel_edits_the_fields_and_counts_the_headline(client, editor, draft):
    client.force_login(editor)
    panel = client.get(draft.get_absolute_url(), HTTP_HX_REQUEST="true").text
    assert 'data-advised-length="75"' in panel and 'id="headline-count"' in panel
    assert "Date of the claim" in panel and "Where it appeared" in panel
    response = client.post(
        reverse("annotations:claim_update", args=[draft.article_id, draft.pk]),
        {
            "version": draft.version,
            "claim_text": draft.claim_text,
            "claimant": draft.claimant,
            "headline": "A headline",
            "claim_date": "2023-12-31",
            "appearance_url": "https://video.example.com/clip",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.headline == "A headline"
    assert draft.claim_date == datetime.date(2023, 12, 31)
    assert draft.appearance_url == "https://video.example.com/clip"
    bad = client.post(
        reverse("annotations:claim_update", args=[draft.article_id, draft.pk]),
        {"version": draft.version, "claim_date": "31/31/2023"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422 and "Enter a valid date." in bad.text


def test_a_form_without_the_new_fields_leaves_them_alone(client, editor, draft):
    client.force_login(editor)
    client.post(
        reverse("annotations:claim_update", args=[draft.article_id, draft.pk]),
        {"version": draft.version, "claim_text": "", "claimant": "Someone"},
    )
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.claimant == "Someone"
    assert claim.appearance_url == draft.appearance_url


def test_the_panel_links_a_published_claim_to_its_public_page(client, editor, published):
    client.force_login(editor)
    panel = client.get(published.get_absolute_url(), HTTP_HX_REQUEST="true").text
    assert f'href="/factchecks/{published.pk}/"' in panel
