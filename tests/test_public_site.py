"""The public site around the fact-check pages: the index with search and
filters, claimant pages, articles with their fact-checks highlighted, the
rating scale and the organisation's admin-edited pages."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim, PublicPage
from tests import factories
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db

QUOTES = (
    "unemployment fell by 3 percent last year",
    "We have never been stronger",
    "Critics said the figures were incomplete",
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.text


def linked_claims(html: str) -> list[int]:
    """Fact-check ids in the order the page links them (headlines)."""
    return [int(pk) for pk in re.findall(r'class="headline" href="/factchecks/(\d+)/"', html)]


@pytest.fixture
def make(editor, reviewer):
    def publish(quote=QUOTES[0], *, claimant="The minister", rating="mostly-false", **fields):
        article = factories.ArticleFactory()
        claim = workflow.mark(article, by=editor, quote=quote, claimant=claimant)
        claim = published_claim(claim, editor=editor, reviewer=reviewer)
        if rating != "mostly-false" or fields:
            copy = workflow.start_correction(claim, by=editor, comment="Set up.")
            copy = workflow.update(
                copy, by=editor, version=copy.version, rating=factories.rating(rating), **fields
            )
            reviewer_two = factories.ReviewerFactory()
            claim = workflow.approve(workflow.submit(copy, by=editor), by=reviewer_two)
        return claim

    return publish


# --- the index ---------------------------------------------------------------


def test_the_index_lists_published_fact_checks_newest_first(make, draft, reviewer):
    first, second = make(), make(QUOTES[1])
    retracted = make(QUOTES[2])
    workflow.retract(retracted, by=reviewer, comment="Withdrawn.")
    Claim.objects.filter(pk=first.pk).update(published_at=timezone.now() - datetime.timedelta(1))
    html = get("/factchecks/")
    assert linked_claims(html) == [second.pk, first.pk]
    assert "2 fact-checks" in html


def test_the_index_is_paginated(make, settings):
    made = [make(QUOTES[i % 3]) for i in range(23)]
    first_page = get("/factchecks/")
    second_page = get("/factchecks/?page=2")
    assert len(linked_claims(first_page)) == 20
    assert linked_claims(second_page) == [c.pk for c in reversed(made[:3])]
    assert 'rel="next"' in first_page and 'rel="prev"' in second_page
    assert linked_claims(get("/factchecks/?page=999")) == linked_claims(second_page)


def test_search_needs_every_word_in_the_headline_claim_quote_claimant_or_summary(make):
    jobs = make(QUOTES[0], claimant="Jane Minister", headline="Jobless rate claim")
    strong = make(QUOTES[1], claimant="Opposition leader")
    assert linked_claims(get("/factchecks/?q=jobless")) == [jobs.pk]
    assert linked_claims(get("/factchecks/?q=UNEMPLOYMENT+jane")) == [jobs.pk]
    assert linked_claims(get("/factchecks/?q=opposition")) == [strong.pk]
    assert linked_claims(get("/factchecks/?q=2.1%25")) == [strong.pk, jobs.pk]
    html = get("/factchecks/?q=nothing+like+this")
    assert linked_claims(html) == [] and "No published fact-check matches." in html


def test_filters_by_verdict_claimant_and_date(make):
    false = make(QUOTES[0], rating="false", claimant="Jane Minister")
    mostly = make(QUOTES[1], claimant="John Critic")
    Claim.objects.filter(pk=false.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2024, 1, 10))
    )
    assert linked_claims(get("/factchecks/?verdict=false")) == [false.pk]
    assert linked_claims(get("/factchecks/?verdict=mostly-false")) == [mostly.pk]
    assert linked_claims(get("/factchecks/?claimant=critic")) == [mostly.pk]
    assert linked_claims(get("/factchecks/?published_to=2024-01-31")) == [false.pk]
    assert linked_claims(get("/factchecks/?published_from=2024-02-01")) == [mostly.pk]
    both = get("/factchecks/?published_from=2024-01-10&published_to=2024-01-10&verdict=false")
    assert linked_claims(both) == [false.pk]


def test_bad_filter_values_are_explained_and_the_others_still_apply(make):
    claim = make(claimant="Jane Minister")
    make(QUOTES[1], claimant="John Critic")
    response = Client().get("/factchecks/?verdict=made-up&published_from=yesterday&claimant=jane")
    assert response.status_code == 200
    assert "Select a valid choice." in response.text and "Enter a valid date." in response.text
    assert linked_claims(response.text) == [claim.pk]


# --- claimants ----------------------------------------------------------------


def test_a_claimant_page_gathers_every_spelling_of_the_name(make, editor):
    one = make(QUOTES[0], claimant="Jane Minister")
    two = make(QUOTES[1], claimant="jane minister")
    make(QUOTES[2], claimant="Someone Else")
    workflow.mark(factories.ArticleFactory(), by=editor, quote=QUOTES[0], claimant="Jane Minister")
    html = get("/factchecks/claimants/jane-minister/")
    assert sorted(linked_claims(html)) == sorted([one.pk, two.pk])
    assert "<h1>Jane Minister</h1>" in html or "<h1>jane minister</h1>" in html
    listing = get("/factchecks/claimants/")
    assert 'href="/factchecks/claimants/jane-minister/"' in listing
    assert "2 fact-checks" in listing
    assert Client().get("/factchecks/claimants/nobody/").status_code == 404


def test_a_claimant_with_only_unpublished_claims_has_no_page(draft, in_review):
    assert Client().get("/factchecks/claimants/the-minister/").status_code == 404
    assert "the-minister" not in get("/factchecks/claimants/")


def test_non_latin_claimants_get_pages(make):
    claim = make(QUOTES[0], claimant="Владимир Путин")
    html = get("/factchecks/claimants/")
    assert "/factchecks/claimants/%D0%B2%D0%BB%D0%B0%D0%B4%D0%B8%D0%BC%D0%B8%D1%80-" in html
    assert linked_claims(get("/factchecks/claimants/владимир-путин/")) == [claim.pk]


# --- the public view of an article ---------------------------------------------


def test_an_article_shows_its_text_with_only_published_claims_highlighted(editor, reviewer):
    article = factories.ArticleFactory()
    live = published_claim(
        workflow.mark(article, by=editor, quote=QUOTES[0]), editor=editor, reviewer=reviewer
    )
    draft = workflow.mark(article, by=editor, quote=QUOTES[1])
    html = get(f"/factchecks/articles/{article.pk}/")
    assert (
        f'href="/factchecks/{live.pk}/" title="Mostly false: {live.claim_text}">'
        f"<mark>{QUOTES[0]}</mark></a>" in html
    )
    assert f"<mark>{QUOTES[1]}</mark>" not in html and QUOTES[1] in html
    assert f"/factchecks/{draft.pk}/" not in html
    inner = html.split('<div class="article-text">')[1].split("</div>")[0]
    text = unescape(re.sub(r"<[^>]+>", "", inner))
    assert " ".join(text.split()) == " ".join(article.body.split())


def test_an_article_without_published_claims_has_no_public_view(draft, published, reviewer):
    other = factories.ArticleFactory()
    assert Client().get(f"/factchecks/articles/{other.pk}/").status_code == 404
    assert Client().get(f"/factchecks/articles/{draft.article_id}/").status_code == 200
    workflow.retract(published, by=reviewer, comment="No.")
    assert Client().get(f"/factchecks/articles/{draft.article_id}/").status_code == 404


# --- the rating scale and the organisation's pages -------------------------------


def test_the_rating_scale_lists_every_verdict_with_its_definition():
    html = get("/ratings/")
    for rating in factories.rating().__class__.objects.all():
        assert f'id="{rating.slug}"' in html
        assert rating.description in html


def test_the_pages_are_edited_in_the_admin_and_shown_as_escaped_text(admin_client):
    page = PublicPage.objects.get(slug="methodology")
    response = admin_client.post(
        f"/admin/annotations/publicpage/{page.pk}/change/",
        {"title": "How we work", "body": "First <b>para</b>.\n\nSee https://example.org/m."},
    )
    assert response.status_code == 302
    html = get("/methodology/")
    assert "<h1>How we work</h1>" in html
    assert "First &lt;b&gt;para&lt;/b&gt;.</p>" in html
    assert '<a href="https://example.org/m" rel="nofollow">https://example.org/m</a>' in html
    assert admin_client.get(f"/admin/annotations/publicpage/{page.pk}/delete/").status_code == 403


def test_every_public_page_links_the_methodology_pages_in_its_footer(make):
    claim = make()
    pages = [
        "/factchecks/",
        f"/factchecks/{claim.pk}/",
        "/factchecks/claimants/",
        "/factchecks/claimants/the-minister/",
        f"/factchecks/articles/{claim.article_id}/",
        "/ratings/",
        "/methodology/",
        "/corrections-policy/",
        "/about/",
    ]
    for url in pages:
        html = get(url)
        footer = html.split('<footer class="site-footer">')[1]
        for link in ("/methodology/", "/ratings/", "/corrections-policy/", "/about/"):
            assert f'href="{link}"' in footer, (url, link)
        assert '<link rel="canonical"' in html or url.startswith("/factchecks/claimants/"), url
        assert html.count("<h1") == 1, url


def test_public_pages_take_a_fixed_number_of_queries(make, django_assert_max_num_queries):
    claims = [make(QUOTES[i % 3], claimant=f"Person {i % 2}") for i in range(6)]
    claim = claims[0]
    for url, budget in (
        ("/factchecks/", 3),
        ("/factchecks/?q=fell+minister&verdict=mostly-false&claimant=person", 4),
        # The page also asks whether the article changed after publication,
        # and for fact-checks linked as the same claim.
        (f"/factchecks/{claim.pk}/", 6),
        (f"/factchecks/articles/{claim.article_id}/", 2),
        ("/factchecks/claimants/person-0/", 3),
        ("/factchecks/feed/rss/", 1),
    ):
        with django_assert_max_num_queries(budget):
            get(url)
