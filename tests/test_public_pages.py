"""The public fact-check page: no login, published and retracted claims
only, every part of the verdict, and ClaimReview JSON-LD that no article
text can break out of."""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser

import extruct
import pytest
from django.test import Client

from annotations import workflow
from tests import factories
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db


HOSTILE = 'Bad </script><script>alert("x")</script> & <b>bold</b> \u2028 end'


class Scripts(HTMLParser):
    """Collects <script> elements as a browser's parser would split them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self._current: dict | None = None
        self.style_attributes = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.style_attributes += 1
        if tag == "script":
            self._current = attrs
            self.scripts.append((attrs, ""))

    def handle_data(self, data):
        if self._current is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def page(claim) -> tuple[str, Scripts]:
    response = Client().get(f"/factchecks/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    parser = Scripts()
    parser.feed(html)
    return html, parser


def json_ld(parser: Scripts) -> dict:
    blocks = [text for attrs, text in parser.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def hostile(editor, reviewer):
    article = factories.ArticleFactory(
        title=HOSTILE, source_url="https://news.example.com/a?x=1&y=2"
    )
    claim = workflow.mark(
        article,
        by=editor,
        quote="unemployment fell by 3 percent last year",
        claimant='The "minister" <i>',
    )
    claim = workflow.update(
        claim,
        by=editor,
        version=claim.version,
        rationale=f"Line one.\n\n{HOSTILE}",
        claim_text=HOSTILE,
    )
    claim = ready_for_review(claim, by=editor)
    workflow.add_evidence(
        claim,
        by=editor,
        version=claim.version,
        url="https://stats.example.org/more",
        title="More stats",
        excerpt="An excerpt.",
        note="internal-note",
    )
    claim.refresh_from_db()
    claim = workflow.submit(claim, by=editor, version=claim.version)
    return workflow.approve(claim, by=reviewer, version=claim.version)


def test_anyone_reads_a_published_fact_check(hostile):
    html, _parser = page(hostile)
    assert "<title>Fact-check:" in html
    assert "unemployment fell by 3 percent last year" in html
    assert "Mostly false" in html and "It fell by 2.1%." in html
    assert "Line one." in html
    assert 'href="https://news.example.com/a?x=1&amp;y=2"' in html
    assert "More stats" in html and "An excerpt." in html
    assert "internal-note" not in html
    assert "Claimant: <strong>The &quot;minister&quot; &lt;i&gt;</strong>" in html


def test_article_and_verdict_text_is_escaped_everywhere(hostile):
    html, parser = page(hostile)
    assert "<b>bold</b>" not in html
    assert '<script>alert("x")</script>' not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    # Only our own script elements exist: the JSON-LD block and base.html's files.
    for attrs, text in parser.scripts:
        assert attrs.get("type") == "application/ld+json" or attrs.get("src"), attrs
        assert "alert" not in text or attrs.get("type") == "application/ld+json"
    assert parser.style_attributes == 0


def test_the_json_ld_is_the_claimreview_and_cannot_be_broken_out_of(hostile, anon_api):
    html, parser = page(hostile)
    data = json_ld(parser)
    assert data == anon_api.get(f"/api/v1/claims/{hostile.pk}/claimreview/").json()
    assert data["url"] == f"http://testserver/factchecks/{hostile.pk}/"
    assert data["claimReviewed"] == HOSTILE
    assert data["itemReviewed"]["appearance"]["headline"] == HOSTILE
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block


def test_a_retracted_fact_check_is_shown_marked_with_its_note(published, reviewer, anon_api):
    workflow.retract(published, by=reviewer, version=published.version, comment="We misread it.")
    html, parser = page(published)
    assert "Retracted" in html and "We misread it." in html
    # The verdict is struck through and named withdrawn, never shown as standing.
    assert re.search(r"<del>.*Mostly false</del>", html)
    assert 'class="rating rating-mostly-false"' not in html
    # Search engines ask for the markup to go; the page and the API record stay.
    assert not [a for a, _ in parser.scripts if a.get("type") == "application/ld+json"]
    api = anon_api.get(f"/api/v1/claims/{published.pk}/claimreview/").json()
    assert api["creativeWorkStatus"] == "Retracted"
    assert '<span class="status-badge status-retracted">' in html


def test_corrections_are_listed(published, editor, reviewer):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="The figure was 2.3%."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="It fell by 2.3%.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    html, _ = page(published)
    assert "Corrections" in html and "The figure was 2.3%." in html
    assert "It fell by 2.3%." in html and "It fell by 2.1%." not in html


def test_unpublished_claims_have_no_public_page(draft, editor, other_editor, reviewer, article):
    client = Client()
    client.force_login(editor)  # even an editor: the page is the public view
    assert client.get(f"/factchecks/{draft.pk}/").status_code == 404
    in_review = ready_for_review(
        workflow.mark(article, by=editor, quote="We have never been stronger"), by=editor
    )
    in_review = workflow.submit(in_review, by=editor, version=in_review.version)
    assert Client().get(f"/factchecks/{in_review.pk}/").status_code == 404
    dismissed = workflow.mark(article, by=editor, quote="Critics said")
    workflow.dismiss(dismissed, by=editor, comment="No.")
    assert Client().get(f"/factchecks/{dismissed.pk}/").status_code == 404
    live = published_claim(
        workflow.mark(article, by=editor, quote="the minister told"),
        editor=editor,
        reviewer=reviewer,
    )
    copy = workflow.start_correction(live, by=other_editor, version=live.version, comment="Fix.")
    assert Client().get(f"/factchecks/{copy.pk}/").status_code == 404
    assert Client().get(f"/factchecks/{live.pk}/").status_code == 200
    assert Client().get("/factchecks/999999/").status_code == 404


def test_the_page_only_answers_get(published):
    assert Client().post(f"/factchecks/{published.pk}/").status_code == 405


@pytest.fixture
def anon_api():
    from rest_framework.test import APIClient

    return APIClient()


# --- ClaimReview as an independent parser reads it ------------------------


def embedded(html: str, syntax: str = "json-ld") -> list[dict]:
    """What a crawler extracts from the page (extruct, not our own parsing)."""
    return extruct.extract(html, base_url="http://testserver/", syntaxes=[syntax], uniform=True)[
        syntax
    ]


def claimreviews(html: str) -> list[dict]:
    return [item for item in embedded(html) if item.get("@type") == "ClaimReview"]


@pytest.fixture
def dated(editor, reviewer):
    article = factories.ArticleFactory(
        title="Minister on jobs",
        source_url="https://news.example.com/jobs",
        published_on=datetime.date(2024, 5, 6),
    )
    claim = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    claim = workflow.update(
        claim,
        by=editor,
        version=claim.version,
        claimant="Jane Minister",
        headline="Unemployment fell by 3% last year",
    )
    return published_claim(claim, editor=editor, reviewer=reviewer)


def test_a_published_page_carries_a_complete_claimreview(dated, settings):
    html, _ = page(dated)
    [review] = claimreviews(html)
    assert review["url"] == f"http://testserver/factchecks/{dated.pk}/"
    assert review["claimReviewed"] == "Unemployment fell by 3% last year"
    assert review["datePublished"] == dated.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.FACTCHECK_PUBLISHER_URL,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Jane Minister"}
    assert item["datePublished"] == "2024-05-06"
    assert item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["url"] == "https://news.example.com/jobs"
    assert item["appearance"]["headline"] == "Minister on jobs"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert "creativeWorkStatus" not in review


def test_a_verdict_outside_the_scale_has_a_name_and_no_number(draft, editor, reviewer):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.update(
        claim, by=editor, version=claim.version, rating=factories.rating("unverifiable")
    )
    claim = workflow.approve(workflow.submit(claim, by=editor), by=reviewer)
    [review] = claimreviews(page(claim)[0])
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_a_pasted_article_gets_the_url_and_date_the_editor_gives(editor, reviewer):
    article = factories.ArticleFactory(
        source_url="", source_name="", published_on=None, title="Pasted"
    )
    claim = workflow.mark(article, by=editor, quote="We have never been stronger")
    [review] = claimreviews(page(published_claim(claim, editor=editor, reviewer=reviewer))[0])
    assert review["claimReviewed"] == "We have never been stronger"
    assert review["itemReviewed"]["appearance"] == {"@type": "CreativeWork", "headline": "Pasted"}
    assert "datePublished" not in review["itemReviewed"]

    other = workflow.mark(article, by=editor, quote="Critics said the figures")
    other = workflow.update(
        other,
        by=editor,
        version=other.version,
        appearance_url="https://tv.example.com/debate",
        claim_date=datetime.date(2025, 1, 31),
    )
    [review] = claimreviews(page(published_claim(other, editor=editor, reviewer=reviewer))[0])
    assert review["itemReviewed"]["appearance"]["url"] == "https://tv.example.com/debate"
    assert review["itemReviewed"]["datePublished"] == "2025-01-31"


def test_a_corrected_page_carries_the_corrected_claimreview(dated, other_editor, other_reviewer):
    copy = workflow.start_correction(dated, by=other_editor, comment="The rate, not the number.")
    copy = workflow.update(
        copy, by=other_editor, version=copy.version, headline="Jobless rate fell 3 points"
    )
    workflow.approve(workflow.submit(copy, by=other_editor), by=other_reviewer)
    html, _ = page(dated)
    [review] = claimreviews(html)
    assert review["claimReviewed"] == "Jobless rate fell 3 points"
    assert review["correction"][0]["@type"] == "CorrectionComment"
    assert review["correction"][0]["text"] == "The rate, not the number."
    assert 'The rate, not the number. <span class="changed">(changed: headline)</span>' in html


def test_a_retracted_page_has_no_claimreview_but_stays(dated, reviewer):
    workflow.retract(dated, by=reviewer, comment="Wrong figures.")
    html, _ = page(dated)
    assert claimreviews(html) == [] and embedded(html) == []
    assert "Wrong figures." in html and "Unemployment fell by 3% last year" in html


# --- what the page shows ---------------------------------------------------


def test_the_page_has_opengraph_twitter_and_a_canonical_link(dated):
    html, _ = page(dated)
    [graph] = extruct.extract(html, syntaxes=["opengraph"])["opengraph"]
    og = dict(graph["properties"])
    assert og["og:title"] == "Unemployment fell by 3% last year"
    assert og["og:url"] == f"http://testserver/factchecks/{dated.pk}/"
    assert og["og:type"] == "article"
    assert og["og:description"] == "Mostly false. It fell by 2.1%."
    assert f'<link rel="canonical" href="http://testserver/factchecks/{dated.pk}/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Unemployment fell by 3% last year">' in html


def test_the_page_shows_the_quote_in_its_sentence_with_the_original(dated):
    html, _ = page(dated)
    assert "The minister said <mark>unemployment fell by 3 percent last year</mark>.</p>" in html
    assert 'href="https://news.example.com/jobs"' in html
    assert 'Claim made on <time datetime="2024-05-06">6 May 2024</time>' in html
    assert f'href="/factchecks/articles/{dated.article_id}/"' in html


def test_the_verdict_comes_with_its_definition_and_the_scale(dated):
    html, _ = page(dated)
    description = factories.rating().description
    assert f"{description}" in html
    assert 'href="/ratings/#mostly-false"' in html
    for link in ("/methodology/", "/corrections-policy/", "/about/"):
        assert f'href="{link}"' in html


def test_the_page_names_who_checked_and_who_reviewed_unless_hidden(dated, settings):
    editor, reviewer = dated.submitted_by, dated.reviewed_by
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    html, _ = page(dated)
    assert f"Checked by {editor.username}; reviewed by Rita Reviewer." in html
    settings.FACTCHECK_PUBLIC_NAMES = False
    html, _ = page(dated)
    assert editor.username not in html and "Rita Reviewer" not in html


def test_related_fact_checks_of_the_claimant_are_linked(dated, editor, reviewer):
    other_article = factories.ArticleFactory()
    other = workflow.mark(
        other_article, by=editor, quote="We have never been stronger", claimant="jane minister"
    )
    other = published_claim(other, editor=editor, reviewer=reviewer)
    unpublished = workflow.mark(
        other_article, by=editor, quote="Critics said", claimant="Jane Minister"
    )
    html, _ = page(dated)
    assert f'href="/factchecks/{other.pk}/"' in html
    assert f'href="/factchecks/{unpublished.pk}/"' not in html
    assert 'href="/factchecks/claimants/jane-minister/"' in html
