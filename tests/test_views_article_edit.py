from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations import workflow
from annotations.models import ArticleEvent, Claim
from tests.test_views_articles import BodyText

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def details(article, **changes) -> dict:
    data = {
        "title": article.title,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "canonical_url": article.canonical_url,
        "published_on": "",
        "language": article.language,
    }
    return {**data, **changes}


def test_editor_fills_in_the_seed_articles_metadata(client, editor, seed_article):
    client.force_login(editor)
    url = reverse("annotations:article_edit", args=[seed_article.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Publication date" in page.content.decode()
    response = client.post(
        url,
        details(
            seed_article,
            byline="Reuters staff",
            source_name="The Moscow Times",
            source_url="https://www.themoscowtimes.com/2013/06/17/obama-and-putin",
            published_on="2013-06-17",
        ),
    )
    assert response.status_code == 302
    seed_article.refresh_from_db()
    assert seed_article.source_name == "The Moscow Times"
    assert str(seed_article.published_on) == "2013-06-17"
    event = ArticleEvent.objects.get(article=seed_article)
    assert event.actor == editor
    assert event.changes["source_name"] == ["", "The Moscow Times"]
    history = client.get(reverse("annotations:article_history", args=[seed_article.pk]))
    assert "The Moscow Times" in history.content.decode()


def test_invalid_metadata_comes_back_as_422_with_the_form(client, editor, article):
    client.force_login(editor)
    url = reverse("annotations:article_edit", args=[article.pk])
    response = client.post(url, details(article, source_url="not a url"), **HTMX)
    assert response.status_code == 422
    assert 'id="details-form"' in response.content.decode()
    assert not ArticleEvent.objects.exists()


def test_outsider_cannot_edit_an_article(client, outsider, article):
    client.force_login(outsider)
    url = reverse("annotations:article_edit", args=[article.pk])
    assert client.post(url, details(article, byline="Me")).status_code == 403


def test_pasting_a_new_version_makes_a_revision_with_a_diff(client, editor, draft):
    client.force_login(editor)
    article = draft.article
    text = f"{article.title}\n\n{article.standfirst}\n\n" + article.body.replace(
        "Critics said", "Several critics said"
    )
    response = client.post(
        reverse("annotations:article_new_version", args=[article.pk]), {"text": text}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revision == 2
    history = client.get(reverse("annotations:article_history", args=[article.pk]))
    content = history.content.decode()
    assert "<del>Critics</del><ins>Several critics</ins>" in content
    assert "Revision 2" in content


def test_uploading_a_new_version(client, editor, draft):
    client.force_login(editor)
    article = draft.article
    text = f"{article.title}\n\n{article.standfirst}\n\n" + article.body + "\n\nA late addition."
    upload = SimpleUploadedFile("v2.txt", text.encode(), content_type="text/plain")
    client.post(reverse("annotations:article_new_version", args=[article.pk]), {"file": upload})
    article.refresh_from_db()
    assert article.body.endswith("A late addition.")
    draft.refresh_from_db()
    assert article.body[draft.start : draft.end] == draft.quote


def test_orphan_is_listed_and_reattached_from_the_reader(client, editor, draft):
    client.force_login(editor)
    article = draft.article
    body = article.body.replace(
        "The minister said unemployment fell by 3 percent last year.", "Joblessness dropped."
    )
    client.post(
        reverse("annotations:article_new_version", args=[article.pk]),
        {"text": f"{article.title}\n\n{article.standfirst}\n\n{body}"},
    )
    reader = client.get(reverse("annotations:article_detail", args=[article.pk]))
    content = reader.content.decode()
    assert "Orphaned claims" in content
    assert "Re-attach to selection" in content
    orphans = client.get(reverse("annotations:orphan_list"))
    assert draft.quote in orphans.content.decode()
    draft.refresh_from_db()
    start = body.index("Joblessness dropped.")
    response = client.post(
        reverse("annotations:orphan_reattach", args=[article.pk, draft.pk]),
        {
            "version": draft.version,
            "part": "body",
            "start": start,
            "end": start + len("Joblessness dropped."),
            "quote": "Joblessness dropped.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_orphan
    assert draft.quote == "Joblessness dropped."


def test_reader_renders_headline_standfirst_and_captions_as_markable_parts(
    client, editor, seed_article
):
    client.force_login(editor)
    workflow.mark(seed_article, by=editor, part="headline", quote="Obama and Putin")
    workflow.mark(seed_article, by=editor, part="captions", quote="Northern Ireland, June 17, 2013")
    content = client.get(reverse("annotations:article_detail", args=[seed_article.pk])).content
    content = content.decode()
    assert 'data-part="headline"' in content and 'data-part="captions"' in content
    assert content.count("<mark class=") >= 2
    parser = BodyText()
    parser.feed(content)
    assert "".join(parser.parts) == seed_article.body


def test_marking_in_the_standfirst_through_the_view(client, editor, seed_article):
    client.force_login(editor)
    quote = "prevent no-fly zone in Syria"
    start = seed_article.standfirst.index(quote)
    response = client.post(
        reverse("annotations:claim_create", args=[seed_article.pk]),
        {"part": "standfirst", "start": start, "end": start + len(quote), "quote": quote},
        **HTMX,
    )
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.part, claim.quote) == ("standfirst", quote)
