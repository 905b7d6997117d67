"""The reader's markup, built in Python for speed, is the markup the
template partials made before (kept in tests/fixtures/reader/), element for
element, attribute for attribute, and the text of every highlighted part is
its stored text exactly."""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path

from django.template.loader import get_template
from django.test.html import parse_html
from lxml import html as lxml_html

from annotations import reader
from annotations.models import Article, Claim, Part
from annotations.templatetags import reader_markup

FIXTURE = Path(__file__).parent / "fixtures" / "reader" / "reader_partial.html"

TITLE = "Minister's <claim> & “jobs” 😀"
STANDFIRST = 'Unemployment fell by 3% & <b>rose</b>.\n\nSecond "standfirst" paragraph, 東京.'
CAPTIONS = "Photo: the minister's office <x>\nCredit: Agence & co 😀\n\nLast line é"
BODY = (
    "The minister said unemployment fell by 3 % last year.\n\n"
    "Critics say <script>alert('x')</script> & “numbers” don't add up: 😀 東京 café e\u0301.\n\n"
    "A third paragraph with \U0001d49cstral letters, 'quotes' and \"double quotes\".\n\n"
    "Last."
)


def varied_article() -> tuple[Article, list[Claim]]:
    """An article with every part highlighted: overlapping and nested claims
    of every status, claims across paragraph breaks, an orphan, and text with
    markup characters, quotes and astral characters."""
    article = Article(
        pk=7,
        title=TITLE,
        standfirst=STANDFIRST,
        captions=CAPTIONS,
        body=BODY,
        byline="Jo <Reporter> & Co",
        source_name="The Daily 'Paper'",
        source_url="https://example.org/a?b=1&c=<2>",
        published_on=datetime.date(2026, 3, 4),
    )
    statuses = list(Claim.Status.values)
    spans = [
        (Part.HEADLINE, 0, 10),
        (Part.HEADLINE, 11, 18),
        (Part.HEADLINE, 5, 28),
        (Part.STANDFIRST, 0, 12),
        (Part.STANDFIRST, 13, 60),
        (Part.CAPTIONS, 7, 40),
        (Part.CAPTIONS, 20, 30),
        (Part.BODY, 0, 12),
        (Part.BODY, 4, 30),
        (Part.BODY, 4, 30),
        (Part.BODY, 13, 20),
        (Part.BODY, 40, 70),
        (Part.BODY, 60, 120),
        (Part.BODY, 70, 80),
        (Part.BODY, 100, 101),
        (Part.BODY, 140, 190),
        (Part.BODY, 150, 160),
        (Part.BODY, len(BODY) - 5, len(BODY)),
    ]
    claims = []
    for pk, (part, start, end) in enumerate(spans, start=1):
        text = article.text_of(part)
        claims.append(
            Claim(
                pk=pk,
                article=article,
                part=part,
                start=start,
                end=end,
                quote=text[start:end],
                claimant="Mr <b>Smith</b> & “friends”" if pk % 3 == 0 else "",
                claim_text=text[start:end],
                status=statuses[pk % len(statuses)],
            )
        )
    orphan = Claim(
        pk=len(claims) + 1,
        article=article,
        part=Part.BODY,
        start=3,
        end=9,
        quote="gone <text> & " + "long " * 40,
        claimant="Ms O'Brien",
        status=Claim.Status.DRAFT,
        orphan_revision_id=3,
    )
    claims.append(orphan)
    claims.sort(key=lambda c: (list(Part.values).index(c.part), c.start, -c.end, c.pk))
    return article, claims


def render_reader() -> str:
    article, claims = varied_article()
    for claim in claims:
        claim.excerpt = reader.excerpt(claim.quote)
    parts = reader.build_parts(article, claims)
    context = {
        "article": article,
        "claims": claims,
        "paragraphs": parts["body"],
        "parts": parts,
        "orphans": [],
        "statuses": [s for s in Claim.Status if s != Claim.Status.SUPERSEDED],
        "live_version": "v42",
        "live_claims": {3: "2026-01-01", 5: "2026-01-02"},
    }
    with warnings.catch_warnings():
        # No request: the mark form's CSRF token renders empty, so the output is stable.
        warnings.simplefilter("ignore")
        return get_template("annotations/article_detail.html#reader").render(context)


def anchor_texts(markup: str) -> dict[str, str]:
    tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    return {
        root.get("data-part"): root.text_content()
        for root in tree.xpath("//*[contains(@class, 'anchor-root')]")
    }


def test_reader_markup_is_the_markup_of_the_former_template():
    assert parse_html(render_reader()) == parse_html(FIXTURE.read_text())


def test_each_highlighted_part_carries_its_stored_text_exactly():
    # Whitespace counts here: the browser's selection offsets are offsets into this text.
    assert anchor_texts(render_reader()) == {
        "headline": TITLE,
        "standfirst": STANDFIRST,
        "captions": CAPTIONS,
        "body": BODY,
    }
    assert anchor_texts(render_reader()) == anchor_texts(FIXTURE.read_text())


def test_text_with_a_nul_character_is_escaped_piece_by_piece():
    # The pieces are escaped in one call, joined by NUL; a NUL in the text itself
    # must not shift one piece's text into another.
    body = "a\x00<b> & c"
    claims = [Claim(pk=1, start=2, end=5, status=Claim.Status.DRAFT)]
    markup = reader_markup.highlighted(reader.build(body, claims), "p")
    assert markup == (
        '<p><span data-start="0">a\x00</span>'
        '<mark class="claim status-draft claim-end end-draft" data-claims="1" data-start="2">'
        "&lt;b&gt;</mark>"
        '<span data-start="5"> &amp; c</span></p>'
    )


def test_claim_links_hold_the_claim_id_even_when_the_article_id_has_the_same_digits():
    article = Article(pk=987654321, title="T", body="Some text here.")
    claim = Claim(pk=5, article=article, start=0, end=4, quote="Some", status="draft")
    row = reader_markup.claim_rows([claim])
    assert f'href="{claim.get_absolute_url()}"' in row
    assert f'hx-get="{claim.get_absolute_url()}"' in row
