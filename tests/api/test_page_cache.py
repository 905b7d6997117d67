"""Public pages cached by corpus version: every kind of public write makes
the cached page fresh again, 304s and cache hits build nothing, editors
never share an entry with the public, and the headers say so."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations import archive, corpus, revisions, workflow
from annotations.models import Article, Claim, Evidence, Rating
from tests import factories
from tests.api.conftest import ANNO_ACCEPT, QUOTES, publish

pytestmark = pytest.mark.django_db


def cached(client, url: str, **headers) -> dict:
    """GET ``url`` twice: the second answer must come from the page cache
    (the corpus version is its only query), so the page is really cached
    before the write under test."""
    first = client.get(url, **headers)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, **headers)
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) <= 1, [q["sql"] for q in queries]
    return again.json()


def claim_ids(page: dict) -> list[int]:
    return [item["id"] for item in page["results"]]


def test_publishing_refreshes_the_cached_list_feed_and_annotations(anon, editor, reviewer):
    article = factories.ArticleFactory()
    first = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    annotations = f"/api/v1/articles/{article.pk}/annotations/"
    assert claim_ids(cached(anon, "/api/v1/claims/")) == [first.pk]
    assert len(cached(anon, "/api/v1/changes/?after=0")["results"]) == 1
    assert cached(anon, annotations, HTTP_ACCEPT=ANNO_ACCEPT)["partOf"]["total"] == 1
    second = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    assert claim_ids(anon.get("/api/v1/claims/").json()) == [second.pk, first.pk]
    assert len(anon.get("/api/v1/changes/?after=0").json()["results"]) == 2
    assert anon.get(annotations, HTTP_ACCEPT=ANNO_ACCEPT).json()["partOf"]["total"] == 2


def test_a_correction_refreshes_the_cached_detail(anon, editor, reviewer, published):
    url = f"/api/v1/claims/{published.pk}/"
    assert cached(anon, url)["corrections"] == []
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="x")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    data = anon.get(url).json()
    assert data["summary"] == "Fixed." and len(data["corrections"]) == 1


def test_a_retraction_refreshes_the_cached_detail_list_and_claimreview(anon, reviewer, published):
    detail = f"/api/v1/claims/{published.pk}/"
    review = f"/api/v1/claims/{published.pk}/claimreview/"
    cached(anon, detail)
    assert claim_ids(cached(anon, "/api/v1/claims/")) == [published.pk]
    assert "creativeWorkStatus" not in cached(anon, review)
    workflow.retract(published, by=reviewer, version=published.version, comment="Misread.")
    assert anon.get(detail).json()["retraction_note"] == "Misread."
    assert claim_ids(anon.get("/api/v1/claims/").json()) == []
    assert anon.get(review).json()["creativeWorkStatus"] == "Retracted"


def test_an_article_edit_refreshes_the_cached_claims(anon, editor, published):
    url = f"/api/v1/claims/{published.pk}/"
    cached(anon, url)
    cached(anon, "/api/v1/articles/")
    revisions.edit(published.article, by=editor, title="A corrected headline")
    assert anon.get(url).json()["article"]["title"] == "A corrected headline"
    assert anon.get("/api/v1/articles/").json()["results"][0]["title"] == "A corrected headline"


def test_a_rating_label_edit_refreshes_the_cached_claims_and_scale(anon, editor, published):
    cached(anon, "/api/v1/claims/")
    cached(anon, "/api/v1/ratings/")
    rating = Rating.objects.get(pk=published.rating_id)
    rating.label = "Largely false"
    rating.save()
    workflow.refresh_published(
        rating.claims.all(), by=editor, changes={"rating.label": ["Mostly false", rating.label]}
    )
    assert anon.get("/api/v1/claims/").json()["results"][0]["rating"]["label"] == "Largely false"
    assert "Largely false" in [r["label"] for r in anon.get("/api/v1/ratings/").json()]


def test_a_withdrawal_on_reanchoring_refreshes_the_cached_list(anon, other_editor, published):
    assert claim_ids(cached(anon, "/api/v1/claims/")) == [published.pk]
    body = published.article.body.replace("3 percent", "4 percent")
    revisions.revise(published.article, by=other_editor, body=body)
    assert Claim.objects.get(pk=published.pk).status == Claim.Status.IN_REVIEW
    assert claim_ids(anon.get("/api/v1/claims/").json()) == []
    assert anon.get(f"/api/v1/claims/{published.pk}/").status_code == 404


def test_an_archive_result_refreshes_the_cached_detail(anon, published):
    url = f"/api/v1/claims/{published.pk}/"
    assert cached(anon, url)["evidence"][0]["archive"] is None
    evidence = Evidence.objects.get(claim=published)
    # The task queue's last word on a source it could not copy (a plain
    # UPDATE of the evidence row, outside the workflow).
    archive.record_failure(evidence.pk, "HTTP 404")
    assert anon.get(url).json()["evidence"][0]["archive"]["status"] == "failed"


def test_a_claim_link_refreshes_the_cached_detail(anon, editor, reviewer, published):
    other = publish(factories.ArticleFactory(), editor=editor, reviewer=reviewer)
    url = f"/api/v1/claims/{published.pk}/"
    assert cached(anon, url)["related"] == []
    workflow.link_same_claim(published, other, by=editor)
    assert [r["id"] for r in anon.get(url).json()["related"]] == [other.pk]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=50",
        "/api/v1/articles/",
        "/api/v1/changes/?after=0&expand=claim",
        "/api/v1/ratings/",
        "{article}annotations/",
        "{claim}",
        "{claim}claimreview/",
    ],
)
def test_a_304_builds_nothing(anon, published, url):
    url = url.format(
        article=f"/api/v1/articles/{published.article_id}/", claim=f"/api/v1/claims/{published.pk}/"
    )
    etag = anon.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]
    # The corpus version (with the claim's version, or the page's first rows).
    assert len(queries) <= 1, [q["sql"] for q in queries]


def test_the_detail_keeps_the_claims_etag_for_writes(anon, published):
    response = anon.get(f"/api/v1/claims/{published.pk}/")
    assert response["ETag"] == published.etag()
    annotation = anon.get(f"/api/v1/claims/{published.pk}/", HTTP_ACCEPT=ANNO_ACCEPT)
    assert annotation["ETag"] == f'"claim-{published.pk}-v{published.version}-anno"'


def test_json_and_w3c_answers_of_one_url_are_cached_apart(anon, published):
    url = f"/api/v1/claims/{published.pk}/"
    plain = cached(anon, url)
    annotation = cached(anon, url, HTTP_ACCEPT=ANNO_ACCEPT)
    assert plain["id"] == published.pk and annotation["type"] == "Annotation"
    assert "Accept" in anon.get(url)["Vary"]


def test_editors_never_share_a_cached_page_with_the_public(anon, editor_api, published):
    Evidence.objects.filter(claim=published).update(note="Internal: called the office.")
    url = f"/api/v1/claims/{published.pk}/"
    public = cached(anon, url)
    assert "note" not in public["evidence"][0]
    internal = editor_api.get(url)
    assert internal.json()["evidence"][0]["note"] == "Internal: called the office."
    assert "private" in internal["Cache-Control"] and "public" not in internal["Cache-Control"]
    assert "note" not in anon.get(url).json()["evidence"][0]
    assert "note" not in cached(anon, "/api/v1/claims/")["results"][0]["evidence"][0]
    assert editor_api.get("/api/v1/claims/").json()["results"][0]["evidence"][0]["note"]


def test_public_answers_say_how_long_shared_caches_may_keep_them(anon, consumer, published):
    response = anon.get("/api/v1/claims/")
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=30", "stale-while-revalidate=60"} <= control
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept", "Authorization", "Cookie"} <= vary
    assert response["ETag"].startswith('W/"c')
    # A token holder gets the public representation, but for itself only.
    token = consumer.get("/api/v1/claims/")
    assert token.content == response.content
    assert "private" in token["Cache-Control"] and "public" not in token["Cache-Control"]


def test_every_request_variant_has_its_own_page(anon, editor, reviewer):
    article = factories.ArticleFactory()
    for quote in QUOTES:
        publish(article, editor=editor, reviewer=reviewer, quote=quote)
    assert len(claim_ids(cached(anon, "/api/v1/claims/?page_size=1"))) == 1
    assert len(claim_ids(cached(anon, "/api/v1/claims/?page_size=2"))) == 2
    assert len(claim_ids(cached(anon, "/api/v1/claims/?page_size=2&status=retracted"))) == 0
    one = anon.get("/api/v1/claims/?page_size=1")["ETag"]
    assert one != anon.get("/api/v1/claims/?page_size=2")["ETag"]
    # The order of the query's parameters does not make another page.
    assert (
        anon.get("/api/v1/claims/?status=published&page_size=1")["ETag"]
        == anon.get("/api/v1/claims/?page_size=1&status=published")["ETag"]
    )


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_once_when_a_transaction_commits():
    before = corpus.version()
    with transaction.atomic():
        article = factories.ArticleFactory()
        Article.objects.filter(pk=article.pk).update(title="Renamed")
        if connection.vendor == "postgresql":
            # Deferred to the commit: no lock on the counter meanwhile.
            assert corpus.version() == before
    after = corpus.version()
    assert after > before
    if connection.vendor == "postgresql":
        assert after == before + 1
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Renamed again")
        transaction.set_rollback(True)
    assert corpus.version() == after
