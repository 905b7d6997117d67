"""Claims in every status, and proof that only published ones (and
retracted ones, marked so) reach any public surface, for anonymous callers
and consumer tokens alike, under any parameter."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client

from annotations import workflow
from annotations.models import Claim, ClaimEvent
from tests import factories
from tests.api.conftest import ANNO_ACCEPT, ready_for_review

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "internal-comment-do-not-publish"
SECRET_NOTE = "internal-evidence-note-do-not-publish"


@pytest.fixture
def every_status(editor, other_editor, reviewer):
    """One claim per status on one article, plus a correction's working copy."""

    def claim(quote_index: int, article):
        quotes = (
            "unemployment fell by 3 percent last year",
            "We have never been stronger",
            "Critics said the figures were incomplete",
            "the minister told reporters",
        )
        made = workflow.mark(article, by=editor, quote=quotes[quote_index])
        made = ready_for_review(made, by=editor)
        workflow.add_evidence(
            made,
            by=editor,
            version=made.version,
            url="https://secret.example/",
            note=SECRET_NOTE,
        )
        made.refresh_from_db()
        workflow.comment(made, by=editor, text=SECRET_COMMENT)
        return made

    one, two = factories.ArticleFactory(), factories.ArticleFactory()
    draft = claim(0, one)
    in_review = workflow.submit(claim(1, one), by=editor)
    dismissed = claim(2, one)
    dismissed = workflow.dismiss(dismissed, by=editor, comment="Not check-worthy.")
    published = workflow.approve(workflow.submit(claim(3, one), by=editor), by=reviewer)
    retracted = workflow.approve(workflow.submit(claim(0, two), by=editor), by=reviewer)
    retracted = workflow.retract(retracted, by=reviewer, comment="Public retraction note.")
    copy = workflow.start_correction(published, by=other_editor, comment="Fixing it.")
    copy = workflow.update(copy, by=other_editor, version=copy.version, summary="Draft fix.")
    in_review_copy_article = factories.ArticleFactory()
    second = workflow.approve(
        workflow.submit(claim(1, in_review_copy_article), by=editor), by=reviewer
    )
    review_copy = workflow.start_correction(second, by=other_editor, comment="Another fix.")
    review_copy = workflow.update(
        review_copy, by=other_editor, version=review_copy.version, summary="Draft fix."
    )
    review_copy = workflow.submit(review_copy, by=other_editor)
    third = workflow.approve(workflow.submit(claim(2, two), by=editor), by=reviewer)
    applied = workflow.start_correction(third, by=other_editor, comment="Applied fix.")
    applied = workflow.update(applied, by=other_editor, version=applied.version, summary="Fixed.")
    applied = workflow.submit(applied, by=other_editor)
    workflow.approve(applied, by=reviewer)
    applied.refresh_from_db()
    claims = {
        "draft": draft,
        "in_review": in_review,
        "dismissed": dismissed,
        "published": published,
        "retracted": retracted,
        "correction_draft": copy,
        "correction_in_review": review_copy,
        "published_second": second,
        "published_third": third,
        "correction_superseded": applied,
    }
    assert {c.status for c in claims.values()} == set(Claim.Status.values)
    assert ClaimEvent.objects.filter(comment=SECRET_COMMENT).count() == 7
    return claims


HIDDEN = (
    "draft",
    "in_review",
    "dismissed",
    "correction_draft",
    "correction_in_review",
    "correction_superseded",
)


def content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("caller", ["anon", "consumer"])
def test_only_published_and_retracted_claims_are_ever_public(request, caller, every_status):
    client = request.getfixturevalue(caller)
    claims = every_status
    public = {
        claims[name].pk
        for name in ("published", "published_second", "published_third", "retracted")
    }
    hidden = {claims[name].pk for name in HIDDEN}
    seen_texts: list[str] = []

    def get(url, **extra):
        response = client.get(url, **extra)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        text = content(response)
        seen_texts.append(text)
        return response

    def listed(url) -> set[int]:
        response = get(url)
        if response.status_code != 200:
            return set()
        return {item["id"] for item in response.json()["results"]}

    # Lists, under every filter and status value.
    assert listed("/api/v1/claims/") == public - {claims["retracted"].pk}
    assert listed("/api/v1/claims/?status=retracted") == {claims["retracted"].pk}
    for status in Claim.Status.values:
        assert listed(f"/api/v1/claims/?status={status}") <= public, status
        for article in {c.article_id for c in claims.values()}:
            found = listed(f"/api/v1/claims/?status={status}&article={article}&page_size=200")
            assert found <= public
    for query in ("q=unemployment", "q=Draft fix", "claimant=", "rating=mostly-false", "q=the"):
        assert listed(f"/api/v1/claims/?{query}") <= public, query
        assert listed(f"/api/v1/claims/?{query}&status=draft") == set(), query

    # Details, ClaimReview, W3C.
    for name, claim in claims.items():
        for url in (f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/claimreview/"):
            response = get(url)
            assert (response.status_code == 200) == (claim.pk in public), (name, url)
        w3c = get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT=ANNO_ACCEPT)
        assert (w3c.status_code == 200) == (claim.pk in public), name
        page = Client().get(f"/factchecks/{claim.pk}/")
        seen_texts.append(page.content.decode())
        assert (page.status_code == 200) == (claim.pk in public), name
        if claim.pk == claims["retracted"].pk:
            detail = get(f"/api/v1/claims/{claim.pk}/").json()
            assert detail["status"] == "retracted"
            assert detail["retraction_note"] == "Public retraction note."
            assert "Retracted" in page.content.decode()
            assert get(url).json()["creativeWorkStatus"] == "Retracted"
            assert any(body["purpose"] == "commenting" for body in w3c.json()["body"])

    # Articles and their annotation pages.
    articles = get("/api/v1/articles/").json()["results"]
    for article in articles:
        assert set(article["counts"]) == {"published", "retracted"}
        detail = get(f"/api/v1/articles/{article['id']}/")
        assert detail.status_code == 200
        items = get(
            f"/api/v1/articles/{article['id']}/annotations/?page_size=200",
            HTTP_ACCEPT=ANNO_ACCEPT,
        ).json()["items"]
        ids = {int(item["id"].rstrip("/").rsplit("/", 1)[1]) for item in items}
        assert ids <= public - {claims["retracted"].pk}

    # The feed.
    feed = get("/api/v1/changes/?limit=1000").json()["results"]
    assert {entry["claim"] for entry in feed} == public

    # Exports.
    ndjson = [
        json.loads(line)
        for line in content(client.get("/api/v1/claims/export.ndjson")).splitlines()
    ]
    assert {row["id"] for row in ndjson} == public
    assert {row["status"] for row in ndjson if row["id"] == claims["retracted"].pk} == {"retracted"}
    rows = list(csv.DictReader(io.StringIO(content(client.get("/api/v1/claims/export.csv")))))
    assert {int(row["id"]) for row in rows} == public
    seen_texts.extend([json.dumps(ndjson), json.dumps(rows)])

    # Editors' history is closed, and nothing internal leaked anywhere.
    for claim in claims.values():
        assert client.get(f"/api/v1/claims/{claim.pk}/history/").status_code in (401, 403)
    everything = "\n".join(seen_texts)
    assert SECRET_COMMENT not in everything
    assert SECRET_NOTE not in everything
    assert "Draft fix." not in everything
    assert "Not check-worthy." not in everything
    assert hidden.isdisjoint(public)


PUBLIC_SITE_ROOTS = (
    "/factchecks/",
    "/factchecks/claimants/",
    "/ratings/",
    "/methodology/",
    "/corrections-policy/",
    "/about/",
    "/sitemap.xml",
    "/factchecks/feed/rss/",
    "/factchecks/feed/atom/",
    "/factchecks/corrections/feed/rss/",
    "/factchecks/corrections/feed/atom/",
)
LINK = re.compile(r'(?:href="|<loc>|<link>|<guid[^>]*>)(?:http://testserver)?(/[^"<#?]*)')


def test_no_unreviewed_claim_is_reachable_from_the_public_site(every_status, editor):
    """Crawl the public site as a reader and a crawler would, from the index,
    the sitemap and the feeds, following every link it offers, and search and
    filter the index every way: only published and retracted claims appear."""
    claims = every_status
    public = {claims[name].pk for name in ("published", "published_second", "published_third")}
    public.add(claims["retracted"].pk)
    hidden = {claims[name].pk for name in HIDDEN}
    client = Client()
    searches = [
        f"/factchecks/?{query}"
        for query in (
            "q=unemployment",
            "q=Draft+fix",
            "q=the",
            "claimant=",
            "verdict=mostly-false",
            "published_from=2000-01-01",
            "q=stronger&verdict=mostly-false",
            "page=2",
        )
    ]
    queue = [*PUBLIC_SITE_ROOTS, *searches]
    queue += [f"/factchecks/articles/{c.article_id}/" for c in claims.values()]
    seen: set[str] = set()
    texts: list[str] = []
    reached: set[int] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        texts.append(text)
        for path in LINK.findall(text):
            match = re.fullmatch(r"/factchecks/(\d+)/", path)
            if match:
                reached.add(int(match.group(1)))
            if path.startswith(("/factchecks/", "/ratings/", "/sitemap")):
                queue.append(path)
    assert reached == public
    assert hidden.isdisjoint(reached)
    assert len(seen) > 20
    everything = "\n".join(texts)
    for secret in (SECRET_COMMENT, SECRET_NOTE, "Draft fix.", "Not check-worthy.", "Fixing it."):
        assert secret not in everything, secret
    # Claimant pages and article views answer only for published claims.
    article_of = {name: claim.article_id for name, claim in claims.items()}
    assert client.get(f"/factchecks/articles/{article_of['draft']}/").status_code == 200
    unpublished_article = workflow.mark(
        factories.ArticleFactory(), by=editor, quote="unemployment fell", claimant="Hidden Person"
    ).article_id
    assert client.get(f"/factchecks/articles/{unpublished_article}/").status_code == 404
    assert client.get("/factchecks/claimants/hidden-person/").status_code == 404


@pytest.mark.parametrize("caller", ["anon", "consumer"])
def test_search_and_similar_never_show_an_unreviewed_claim(request, caller, every_status):
    client = request.getfixturevalue(caller)
    claims = every_status
    public = {claims[name].pk for name in ("published", "published_second", "published_third")}
    public.add(claims["retracted"].pk)
    texts = [c.claim_text for c in claims.values()] + ["Draft fix", "unemployment", "the"]
    params = ["", "&status=draft", "&status=in_review", "&status=dismissed", "&status=any"]
    params += ["&status=published&status=draft", "&sort=newest", "&marked_by=" + "x"]
    seen = []
    for text in texts:
        for extra in params:
            response = client.get(f"/api/v1/claims/search/?q={text}{extra}&page_size=200")
            assert response.status_code in (200, 400), response.status_code
            if response.status_code == 200:
                assert {item["id"] for item in response.json()["results"]} <= public
            seen.append(response.content.decode())
            response = client.get(f"/api/v1/claims/similar/?text={text}{extra}&limit=20")
            assert response.status_code in (200, 400), response.status_code
            if response.status_code == 200:
                found = {item["claim"]["id"] for item in response.json()["results"]}
                assert found <= public
            seen.append(response.content.decode())
        for claim in claims.values():
            response = client.get(f"/api/v1/claims/similar/?text={text}&exclude={claim.pk}")
            assert {item["claim"]["id"] for item in response.json()["results"]} <= public
    # Everything public is findable, so the checks above could fail.
    listed = client.get("/api/v1/claims/search/?q=unemployment&page_size=200").json()["results"]
    assert {item["id"] for item in listed} == {claims["retracted"].pk}
    everything = "\n".join(seen)
    assert SECRET_COMMENT not in everything
    assert SECRET_NOTE not in everything
    assert "Draft fix." not in everything


def test_related_fact_checks_show_only_public_ones_to_the_public(anon, every_status, editor):
    claims = every_status
    workflow.link_same_claim(claims["published_second"], claims["published"], by=editor)
    workflow.link_same_claim(claims["draft"], claims["published"], by=editor)
    related = anon.get(f"/api/v1/claims/{claims['published'].pk}/").json()["related"]
    assert [item["id"] for item in related] == [claims["published_second"].pk]
    assert related[0]["relation"] == "same_claim"
    assert related[0]["factcheck_url"].endswith(f"/factchecks/{claims['published_second'].pk}/")
