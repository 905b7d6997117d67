"""The public read paths built from values queries: the same JSON as the
documented serializers, the feed's expand=claim, a full consumer sync, and
the cache keyed by the corpus version (never stale after a change, 304s
without building a body)."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from rest_framework.test import APIRequestFactory

from annotations import workflow
from annotations.api import claimjson, rows, serializers
from annotations.api.links import Links
from annotations.models import Claim
from tests import factories
from tests.api.conftest import QUOTES, publish

pytestmark = pytest.mark.django_db


def corrected_claim(editor, other_editor, reviewer) -> Claim:
    """A published claim with evidence (with an internal note) and one correction."""
    article = factories.ArticleFactory()
    claim = publish(article, editor=editor, reviewer=reviewer)
    copy = workflow.start_correction(claim, by=editor, version=claim.version, comment="Typo.")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed summary.")
    copy = workflow.add_evidence(
        copy, by=editor, version=copy.version, url="https://b.example/", note="secret"
    ).claim
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize("internal", [False, True])
def test_the_plain_json_is_what_the_documented_serializer_gives(
    internal, editor, other_editor, reviewer
):
    claim = corrected_claim(editor, other_editor, reviewer)
    assert claim.corrections.exists() and claim.evidence.count() == 2
    request = APIRequestFactory().get("/")
    expected = serializers.ClaimSerializer(
        claim, context={"request": request, "show_internal": internal}
    ).data
    row = rows.claim(Claim.objects.all(), claim.pk)
    built = claimjson.claim(row, Links(request), internal=internal)
    assert json.loads(json.dumps(built)) == json.loads(json.dumps(expected))
    assert ("secret" in json.dumps(built)) is internal


def test_the_feed_embeds_claims_and_retractions_with_expand(anon, editor, reviewer):
    article = factories.ArticleFactory()
    kept = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    gone = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    workflow.retract(gone, by=reviewer, version=gone.version, comment="Wrong.")
    page = anon.get("/api/v1/changes/?after=0&expand=claim").json()
    embedded = {(e["claim"], e["action"]): e["claim_data"] for e in page["results"]}
    assert embedded[(kept.pk, "published")] == anon.get(f"/api/v1/claims/{kept.pk}/").json()
    assert embedded[(gone.pk, "retracted")] == {"id": gone.pk, "status": "retracted"}
    assert page["next"].endswith("expand=claim")
    plain = anon.get("/api/v1/changes/?after=0").json()
    assert all("claim_data" not in entry for entry in plain["results"])
    response = anon.get("/api/v1/changes/?expand=evidence")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"expand": ['Only "claim" can be expanded.']}


def test_feed_queries_do_not_grow_with_the_page(anon, django_assert_max_num_queries):
    factories.published_corpus(30, 10)
    with django_assert_max_num_queries(5) as small:
        assert len(anon.get("/api/v1/changes/?limit=1&expand=claim").json()["results"]) == 1
    with django_assert_max_num_queries(5) as large:
        assert len(anon.get("/api/v1/changes/?limit=1000&expand=claim").json()["results"]) == 300
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_consumer_syncs_ten_thousand_claims_over_http_in_seconds(live_server):
    last = factories.published_corpus(1000, 10)
    started = time.monotonic()
    live: dict[int, dict] = {}
    url = f"{live_server.url}/api/v1/changes/?after=0&limit=1000&expand=claim"
    requests = 0
    while True:
        with urllib.request.urlopen(url, timeout=30) as response:
            page = json.loads(response.read())
        requests += 1
        for entry in page["results"]:
            if entry["claim_data"]["status"] == "retracted":
                live.pop(entry["claim"], None)
            else:
                live[entry["claim"]] = entry["claim_data"]
        if not page["results"]:
            break
        url = page["next"]
    elapsed = time.monotonic() - started
    assert set(live) == set(Claim.objects.published().values_list("pk", flat=True))
    assert len(live) == last == 10_000
    assert requests == 11
    # The promised bound for a full sync on a 2-core machine.
    assert elapsed < 10, f"a full sync took {elapsed:.1f} s"


def test_public_reads_carry_cache_headers_and_editors_get_fresh_answers(
    anon, editor_api, published
):
    response = anon.get("/api/v1/claims/")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "public" not in editor_api.get("/api/v1/claims/").get("Cache-Control", "")


def test_a_cached_page_is_served_with_one_query(anon, published, django_assert_num_queries):
    first = anon.get("/api/v1/claims/")
    with django_assert_num_queries(1):  # the corpus version
        again = anon.get("/api/v1/claims/")
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_304_is_answered_without_building_the_body(anon, published, django_assert_num_queries):
    from django.core.cache import cache

    urls = [
        "/api/v1/claims/?page_size=10",
        "/api/v1/changes/?after=0",
        f"/api/v1/articles/{published.article_id}/annotations/",
        f"/api/v1/claims/{published.pk}/claimreview/",
    ]
    etags = {url: anon.get(url)["ETag"] for url in urls}
    detail = anon.get(f"/api/v1/claims/{published.pk}/")["ETag"]
    cache.clear()
    for url, etag in etags.items():
        with django_assert_num_queries(1):
            assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    with django_assert_num_queries(2):  # the corpus version and the claim's version
        response = anon.get(f"/api/v1/claims/{published.pk}/", HTTP_IF_NONE_MATCH=detail)
    assert response.status_code == 304 and response["ETag"] == published.etag()


def test_no_cached_page_is_stale_after_publish_correct_or_retract(
    anon, editor, other_editor, reviewer
):
    article = factories.ArticleFactory()
    first = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    urls = {
        "list": "/api/v1/claims/",
        "detail": f"/api/v1/claims/{first.pk}/",
        "annotations": f"/api/v1/articles/{article.pk}/annotations/",
        "claimreview": f"/api/v1/claims/{first.pk}/claimreview/",
        "feed": "/api/v1/changes/",
    }

    def snapshot() -> dict[str, bytes]:
        return {name: anon.get(url).content for name, url in urls.items()}

    before = snapshot()
    assert snapshot() == before  # served from the cache, identical
    second = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    after_publish = snapshot()
    assert str(second.pk).encode() in after_publish["list"]
    assert after_publish["annotations"].count(b'"Annotation"') == 2
    copy = workflow.start_correction(first, by=editor, version=first.version, comment="Typo.")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="A corrected summary.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    after_correction = snapshot()
    for name in ("detail", "claimreview", "list", "annotations"):
        assert b"A corrected summary." in after_correction[name], name
    first.refresh_from_db()
    workflow.retract(first, by=reviewer, version=first.version, comment="Withdrawn.")
    after_retraction = snapshot()
    assert json.loads(after_retraction["detail"])["status"] == "retracted"
    assert b"Retracted" in after_retraction["claimreview"]
    assert json.loads(after_retraction["feed"])["results"][-1]["action"] == "retracted"
