"""Claim search: the same results on SQLite (FTS5) and PostgreSQL (GIN
full-text + trigram), filters and sorting, highlighting, and the API."""

from __future__ import annotations

import pytest
from django.db import connection

from annotations import search, workflow
from annotations.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said unemployment fell by 3 percent last year.\n\n"
    "Critics said the elections were rigged in three provinces.\n\n"
    "Mr Lukashevich denied that inflation doubled.\n\n"
    "We have never been stronger."
)


@pytest.fixture
def claims(editor):
    article = factories.ArticleFactory(title="Election week", body=BODY)
    return {
        "unemployment": workflow.mark(
            article, by=editor, quote="unemployment fell by 3 percent last year"
        ),
        "elections": workflow.mark(
            article,
            by=editor,
            quote="the elections were rigged in three provinces",
            claimant="Critics",
        ),
        "inflation": workflow.mark(
            article, by=editor, quote="inflation doubled", claimant="Alexander Lukashevich"
        ),
    }


def found(text: str, queryset=None) -> list[int]:
    queryset = Claim.objects.all() if queryset is None else queryset
    return list(
        search.search(queryset, text).order_by("-search_rank", "id").values_list("pk", flat=True)
    )


def test_search_finds_every_word_in_any_field_and_other_word_forms(claims):
    assert found("unemployment") == [claims["unemployment"].pk]
    assert found("election rigging") == [claims["elections"].pk]
    assert found("Lukashevich") == [claims["inflation"].pk]
    assert found("PERCENT unemployment") == [claims["unemployment"].pk]
    assert found("unemployment elections") == []


def test_search_follows_edits_and_deletions(claims, editor):
    claim = claims["unemployment"]
    workflow.update(claim, by=editor, version=claim.version, summary="Joblessness rose instead.")
    assert found("joblessness") == [claim.pk]
    claim.refresh_from_db()
    workflow.delete(claim, by=editor, version=claim.version)
    assert found("unemployment") == []


def test_a_match_in_the_claim_text_ranks_above_one_in_the_rationale(claims, editor):
    claim = claims["inflation"]
    workflow.update(
        claim, by=editor, version=claim.version, rationale="Unemployment is not the point here."
    )
    assert found("unemployment") == [claims["unemployment"].pk, claim.pk]


def test_query_syntax_is_never_interpreted(claims):
    for text in ('"', "NEAR(", "a* OR", "col:1", "'; DROP TABLE", "-", "()", "%", "_"):
        assert isinstance(found(text), list)
    assert found("") == []
    assert search.words('a "b" c* d:e') == ["a", "b", "c", "d", "e"]
    assert len(search.words(" ".join(f"w{i}" for i in range(50)))) == search.MAX_WORDS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's")
def test_postgresql_finds_a_misspelt_name(claims):
    assert found("Lukashevitch") == [claims["inflation"].pk]


def test_highlight_marks_the_searched_words_and_their_forms():
    segments = search.highlight("Critics said the elections were rigged.", "election rig")
    assert [s.text for s in segments if s.hit] == ["elections", "rigged"]
    assert "".join(s.text for s in segments) == "Critics said the elections were rigged."
    assert search.highlight("<b>x</b>", "") == [search.Segment("<b>x</b>", False)]


def filtered(params: dict) -> list[int]:
    return list(
        search.ClaimSearchFilter(params, queryset=Claim.objects.all()).qs.values_list(
            "pk", flat=True
        )
    )


def test_filters_narrow_and_sorts_order(claims, editor, reviewer):
    published = factories.published_claim(
        factories.ArticleFactory(), "We have never been stronger", editor=editor, reviewer=reviewer
    )
    assert filtered({"status": ["published"]}) == [published.pk]
    assert filtered({"rating": "mostly-false"}) == [published.pk]
    assert filtered({"reviewed_by": reviewer.username}) == [published.pk]
    assert filtered({"reviewed_by": "nobody"}) == []
    assert set(filtered({"marked_by": editor.username})) == {c.pk for c in claims.values()} | {
        published.pk
    }
    assert filtered({"claimant": "lukash"}) == [claims["inflation"].pk]
    assert filtered({"article": published.article_id}) == [published.pk]
    today = published.created_at.date().isoformat()
    assert len(filtered({"date_from": today, "date_to": today})) == 4
    assert filtered({"date_to": "2000-01-01"}) == []
    newest = filtered({"sort": "newest"})
    assert newest == sorted(newest, reverse=True)
    assert filtered({"sort": "oldest"}) == sorted(newest)
    assert filtered({"sort": "published"})[0] == published.pk


def test_api_search_gives_the_public_published_claims_and_editors_every_status(
    client, claims, editor, reviewer
):
    published = factories.published_claim(
        factories.ArticleFactory(),
        "unemployment fell by 3 percent last year",
        editor=editor,
        reviewer=reviewer,
    )
    public = client.get("/api/v1/claims/search/?q=unemployment")
    assert public.status_code == 200
    assert [c["id"] for c in public.json()["results"]] == [published.pk]
    assert public.json()["count"] == 1
    client.force_login(editor)
    everything = client.get("/api/v1/claims/search/?q=unemployment").json()["results"]
    assert {c["id"] for c in everything} == {published.pk, claims["unemployment"].pk}
    drafts = client.get("/api/v1/claims/search/?q=unemployment&status=draft").json()["results"]
    assert [c["id"] for c in drafts] == [claims["unemployment"].pk]
    assert client.get("/api/v1/claims/search/?sort=nonsense").status_code == 400
    assert client.get("/api/v1/claims/search/?page=99").status_code == 404


def test_api_similar_returns_scored_claims_best_first(client, editor, reviewer):
    article = factories.ArticleFactory(body="A no-fly zone is not on NATO's agenda.\n\nTaxes rose.")
    target = factories.published_claim(
        article, "A no-fly zone is not on NATO's agenda.", editor=editor, reviewer=reviewer
    )
    other = factories.published_claim(article, "Taxes rose.", editor=editor, reviewer=reviewer)
    draft = workflow.mark(
        factories.ArticleFactory(body="NATO is not considering a no-fly zone."),
        by=editor,
        quote="NATO is not considering a no-fly zone.",
    )
    response = client.get("/api/v1/claims/similar/?text=NATO rules out a no-fly zone&limit=5")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["claim"]["id"] == target.pk
    assert results[0]["claim"]["factcheck_url"]
    assert all(0 <= r["score"] <= 1 for r in results)
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert draft.pk not in {r["claim"]["id"] for r in results}
    assert other.pk not in {r["claim"]["id"] for r in results[:1]}
    assert client.get("/api/v1/claims/similar/").status_code == 400
    assert client.get("/api/v1/claims/similar/?text=x&limit=0").status_code == 400
    assert client.get("/api/v1/claims/similar/?text=x&limit=21").status_code == 400
    # Colleagues' claims in progress, for editors who ask.
    client.force_login(editor)
    mine = client.get("/api/v1/claims/similar/?text=NATO rules out a no-fly zone&status=any")
    assert draft.pk in {r["claim"]["id"] for r in mine.json()["results"]}
    excluded = client.get(f"/api/v1/claims/similar/?text=no-fly zone&exclude={target.pk}")
    assert target.pk not in {r["claim"]["id"] for r in excluded.json()["results"]}


def test_api_refuses_a_duplicate_with_the_existing_claim_and_a_short_one_unless_allowed(
    client, editor, article, draft
):
    client.force_login(editor)
    duplicate = client.post(
        "/api/v1/claims/",
        {"article": article.pk, "quote": draft.quote},
        content_type="application/json",
    )
    assert duplicate.status_code == 409
    error = duplicate.json()["error"]
    assert error["code"] == "duplicate"
    assert error["existing"] == f"/api/v1/claims/{draft.pk}/"
    short = {"article": article.pk, "start": 0, "end": 2, "quote": article.body[:2]}
    assert client.post("/api/v1/claims/", short, content_type="application/json").status_code == 400
    allowed = {**short, "allow_short": True}
    made = client.post("/api/v1/claims/", allowed, content_type="application/json")
    assert made.status_code == 201
