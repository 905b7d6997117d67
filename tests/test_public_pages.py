"""The public fact-check page: no login, published and retracted claims
only, every part of the verdict, and ClaimReview JSON-LD that no article
text can break out of."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from annotations import workflow
from tests import factories
from tests.conftest import published_claim, ready_for_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
