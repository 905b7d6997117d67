"""GET /api/v1/claims/ and /api/v1/claims/{id}/: contents, filters,
pagination, visibility per caller, conditional requests and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim
from tests import factories
from tests.api.conftest import QUOTES, publish

pytestmark = pytest.mark.django_db

CLAIM_FIELDS = {
    "id",
    "url",
    "related",
    "article",
    "part",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "claim_text",
    "claimant",
    "headline",
    "claim_date",
    "appearance_url",
    "rating",
    "summary",
    "rationale",
    "evidence",
    "status",
    "retraction_note",
    "published_at",
    "updated_at",
    "version",
    "corrections",
    "factcheck_url",
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def bulk_published(count: int, **extra) -> list[Claim]:
    """Published claims made directly (the workflow is tested elsewhere; this
    is for lists and query counts)."""
    now = timezone.now()
    article = factories.ArticleFactory()
    author = factories.EditorFactory()
    claims = []
    for index in range(count):
        claim = factories.ClaimFactory(
            article=article,
            created_by=author,
            status=Claim.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=index),
            rating=factories.rating(),
            summary=f"Summary {index}",
            **extra,
        )
        factories.EvidenceFactory(claim=claim, note="internal")
        claims.append(claim)
    return claims


def test_anyone_lists_published_claims_newest_first(anon, editor, reviewer):
    article = factories.ArticleFactory()
    first = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    second = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    assert ids(anon.get("/api/v1/claims/")) == [second.pk, first.pk]


def test_claim_detail_has_every_field_of_the_contract(anon, published):
    response = anon.get(f"/api/v1/claims/{published.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == CLAIM_FIELDS
    article = published.article
    assert data["article"] == {
        "id": article.pk,
        "title": article.title,
        "url": f"http://testserver/api/v1/articles/{article.pk}/",
        "source_url": article.source_url,
    }
    assert data["url"] == f"http://testserver/api/v1/claims/{published.pk}/"
    assert data["quote"] == article.body[data["start"] : data["end"]] == published.quote
    assert data["prefix"] == published.prefix and data["suffix"] == published.suffix
    assert data["rating"] == {"label": "Mostly false", "slug": "mostly-false", "value": 2}
    assert data["summary"] == "It fell by 2.1%."
    assert data["status"] == "published"
    assert data["version"] == published.version
    assert data["corrections"] == []
    assert data["factcheck_url"] == f"http://testserver/factchecks/{published.pk}/"
    assert data["evidence"][0]["url"] == "https://stats.example.org/q4"
    assert response["ETag"] == published.etag()


def test_evidence_notes_are_shown_to_editors_only(
    anon, consumer, editor_api, reviewer_api, draft, editor, reviewer
):
    claim = ready = workflow.update(
        draft, by=editor, version=draft.version, rating=factories.rating(), summary="S"
    )
    workflow.add_evidence(
        ready, by=editor, version=ready.version, url="https://a.example/", note="call back"
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    workflow.approve(claim, by=reviewer, version=claim.version)
    for client in (anon, consumer):
        evidence = client.get(f"/api/v1/claims/{claim.pk}/").json()["evidence"]
        assert evidence and "note" not in evidence[0]
        assert "call back" not in client.get("/api/v1/claims/").content.decode()
    for client in (editor_api, reviewer_api):
        assert (
            client.get(f"/api/v1/claims/{claim.pk}/").json()["evidence"][0]["note"] == "call back"
        )


@pytest.mark.parametrize("caller", ["anon", "consumer"])
def test_the_public_gets_404_for_a_draft(request, caller, draft):
    client = request.getfixturevalue(caller)
    response = client.get(f"/api/v1/claims/{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("caller", ["editor_api", "reviewer_api"])
def test_editors_and_reviewers_read_any_claim(request, caller, draft):
    response = request.getfixturevalue(caller).get(f"/api/v1/claims/{draft.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_editors_may_list_any_status_but_default_to_published(editor_api, editor, reviewer, draft):
    published = publish(draft.article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    assert ids(editor_api.get("/api/v1/claims/")) == [published.pk]
    assert ids(editor_api.get("/api/v1/claims/?status=draft")) == [draft.pk]


def test_status_retracted_lists_retracted_claims_with_their_note(anon, editor, reviewer):
    article = factories.ArticleFactory()
    kept = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    gone = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    workflow.retract(gone, by=reviewer, version=gone.version, comment="Wrong source.")
    assert ids(anon.get("/api/v1/claims/")) == [kept.pk]
    response = anon.get("/api/v1/claims/?status=retracted")
    assert ids(response) == [gone.pk]
    item = response.json()["results"][0]
    assert item["status"] == "retracted"
    assert item["retraction_note"] == "Wrong source."


def test_filters_article_rating_claimant_and_text(anon, editor, reviewer):
    one, two = factories.ArticleFactory(), factories.ArticleFactory()
    a = publish(one, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    b = publish(one, editor=editor, reviewer=reviewer, quote=QUOTES[1], rating="false")
    c = publish(two, editor=editor, reviewer=reviewer, quote=QUOTES[2])
    workflow.update  # noqa: B018 - the claimant is set by mark below
    d = workflow.mark(two, by=editor, quote=QUOTES[0], claimant="Finance Ministry")
    assert set(ids(anon.get(f"/api/v1/claims/?article={one.pk}"))) == {a.pk, b.pk}
    assert ids(anon.get("/api/v1/claims/?rating=false")) == [b.pk]
    assert set(ids(anon.get("/api/v1/claims/?claimant=MINISTER"))) == {a.pk, b.pk, c.pk}
    assert ids(anon.get("/api/v1/claims/?q=critics")) == [c.pk]
    assert ids(anon.get("/api/v1/claims/?q=stronger never")) == [b.pk]
    assert ids(anon.get("/api/v1/claims/?claimant=ministry")) == []  # d is a draft
    assert d.status == "draft"


def test_search_covers_the_summary(anon, published):
    assert ids(anon.get("/api/v1/claims/?q=2.1%25")) == [published.pk]


def test_date_filters(anon):
    claims = bulk_published(3)  # published now, 1 and 2 minutes ago
    middle = claims[1].published_at
    after = anon.get("/api/v1/claims/", {"published_after": middle.isoformat()})
    assert ids(after) == [claims[0].pk]
    before = anon.get("/api/v1/claims/", {"published_before": middle.isoformat()})
    assert ids(before) == [claims[2].pk]
    updated = anon.get("/api/v1/claims/", {"updated_after": timezone.now().isoformat()})
    assert ids(updated) == []


def test_an_unknown_rating_or_status_is_a_400_in_the_error_format(anon):
    for query in ("rating=nonsense", "status=nonsense", "published_after=yesterday"):
        response = anon.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 400, query
        error = response.json()["error"]
        assert error["status"] == 400 and error["code"] == "invalid"
        assert error["fields"]


def test_cursor_pagination_is_stable_under_inserts(anon):
    claims = bulk_published(5)
    first = anon.get("/api/v1/claims/?page_size=2").json()
    assert [c["id"] for c in first["results"]] == [claims[0].pk, claims[1].pk]
    # Something newer is published while the consumer pages on.
    factories.ClaimFactory(
        status=Claim.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    second = anon.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [claims[2].pk, claims[3].pk]
    third = anon.get(second["next"]).json()
    assert [c["id"] for c in third["results"]] == [claims[4].pk]
    assert third["next"] is None


def test_page_size_is_capped_at_200(anon):
    bulk_published(201)
    assert len(ids(anon.get("/api/v1/claims/?page_size=500"))) == 200


def test_a_broken_cursor_is_answered_in_the_error_format(anon):
    response = anon.get("/api/v1/claims/?cursor=garbage")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Invalid cursor"


def test_detail_answers_304_to_its_etag_and_200_after_a_change(anon, published, reviewer):
    url = f"/api/v1/claims/{published.pk}/"
    etag = anon.get(url)["ETag"]
    not_modified = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    workflow.retract(published, by=reviewer, version=published.version, comment="Gone.")
    changed = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_lists_answer_304_while_unchanged(anon, editor, reviewer, published):
    etag = anon.get("/api/v1/claims/")["ETag"]
    assert anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    publish(published.article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    assert anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("caller", ["anon", "consumer", "editor_api"])
def test_list_query_count_does_not_grow_with_page_size(
    request, caller, django_assert_max_num_queries
):
    client = request.getfixturevalue(caller)
    bulk_published(200)
    with django_assert_max_num_queries(6) as small:
        assert len(ids(client.get("/api/v1/claims/?page_size=1"))) == 1
    with django_assert_max_num_queries(6) as large:
        assert len(ids(client.get("/api/v1/claims/?page_size=200"))) == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_detail_query_count_is_small(anon, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert anon.get(f"/api/v1/claims/{published.pk}/").status_code == 200
