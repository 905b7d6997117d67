from __future__ import annotations

import random

import pytest

from annotations import reader
from annotations.models import Claim


def claims(*spans: tuple[int, int, str]) -> list[Claim]:
    return [
        Claim(pk=index + 1, start=start, end=end, status=status)
        for index, (start, end, status) in enumerate(spans)
    ]


def test_nested_and_overlapping_claims_keep_the_text_exactly():
    body = "Hello world.\n\nSecond paragraph here.\n\nThird."
    paragraphs = reader.build(
        body, claims((6, 20, "draft"), (0, 5, "published"), (8, 11, "in_review"))
    )
    assert reader.text_of(paragraphs) == body
    assert [p.separator for p in paragraphs] == ["", "\n\n", "\n\n"]
    first = paragraphs[0].pieces
    assert [(p.text, p.ids, p.status) for p in first] == [
        ("Hello", "2", "published"),
        (" ", "", ""),
        ("wo", "1", "draft"),
        ("rld", "3 1", "in_review"),  # innermost claim first, and its colour
        (".", "1", "draft"),
    ]


def test_piece_offsets_are_offsets_into_the_whole_body():
    body = "Ab 😀 cd.\n\nÉté 東京 ends."
    paragraphs = reader.build(body, claims((3, 6, "draft"), (10, 13, "draft")))
    for paragraph in paragraphs:
        for piece in paragraph.pieces:
            assert body[piece.start : piece.start + len(piece.text)] == piece.text


def test_a_claim_spanning_paragraphs_is_split_at_the_break():
    body = "One two.\n\nThree four."
    paragraphs = reader.build(body, claims((4, 15, "draft")))
    assert [[(p.text, p.ids) for p in para.pieces] for para in paragraphs] == [
        [("One ", ""), ("two.", "1")],
        [("Three", "1"), (" four.", "")],
    ]
    # The status icon goes where the claim ends, not at the paragraph break.
    assert paragraphs[0].pieces[1].ends == ""
    assert paragraphs[1].pieces[0].ends == "draft"


def test_random_overlapping_claims_never_lose_or_duplicate_text():
    rng = random.Random(7)
    body = "\n\n".join(
        " ".join(rng.choice(["alpha", "βeta", "😀", "東京", "e\u0301"]) for _ in range(40))
        for _ in range(5)
    )
    spans = []
    for _ in range(300):
        start = rng.randrange(len(body) - 1)
        spans.append((start, rng.randrange(start + 1, len(body) + 1), "draft"))
    paragraphs = reader.build(body, claims(*spans))
    assert reader.text_of(paragraphs) == body
    for paragraph in paragraphs:
        for piece in paragraph.pieces:
            covering = {
                str(i + 1)
                for i, (s, e, _) in enumerate(spans)
                if s <= piece.start and piece.start + len(piece.text) <= e
            }
            assert set(piece.ids.split()) - {""} == covering


@pytest.mark.parametrize("count", [0, 1])
def test_a_body_without_paragraph_breaks_is_one_paragraph(count):
    body = "Just one paragraph."
    paragraphs = reader.build(body, claims(*[(0, 4, "draft")] * count))
    assert len(paragraphs) == 1
    assert reader.text_of(paragraphs) == body


def test_excerpts_for_the_claim_list_are_short_and_on_one_line():
    assert reader.excerpt("A short\n\nquote") == "A short quote"
    long = reader.excerpt("word " * 50, limit=20)
    assert len(long) <= 20
    assert long.endswith("…")


# The markup the reader template's loops produced before the body and the
# claim list were built in Python: the page must not change.
TEMPLATE_BODY = (
    "{% for paragraph in paragraphs %}{{ paragraph.separator }}<p>{% for piece in "
    'paragraph.pieces %}{% if piece.ids %}<mark class="claim status-{{ piece.status }}'
    "{% if piece.depth > 1 %} nested{% endif %}{% if piece.ends %} claim-end end-{{ piece.ends "
    '}}{% endif %}" data-claims="{{ piece.ids }}" data-start="{{ piece.start }}">{{ piece.text '
    '}}</mark>{% else %}<span data-start="{{ piece.start }}">{{ piece.text }}</span>{% endif %}'
    "{% endfor %}</p>{% endfor %}"
)
TEMPLATE_ITEM = (
    '<li><a href="{{ url }}" data-claim-id="{{ claim.pk }}" hx-get="{{ url }}" '
    'hx-target="#claim-panel" hx-swap="outerHTML" hx-push-url="true" '
    'hx-sync="#claim-list:replace"><span class="status-badge status-{{ claim.status }}">'
    '{{ label }}</span> <span class="list-quote">{{ excerpt }}</span>{% if claim.claimant %} '
    '<span class="list-claimant">— {{ claim.claimant }}</span>{% endif %}</a></li>'
)


def test_the_built_markup_is_what_the_template_made_and_escapes_everything():
    from django.template import Context, Template
    from django.urls import reverse

    body = "A <b>\"bold\" & 'quoted'</b> claim.\n\nSecond <script>x</script> part.\n\nEnd."
    marks = [
        reader.Mark(1, 2, 20, "draft", body[2:20], "A <spokesman> & co"),
        reader.Mark(2, 4, 9, "published", body[4:9], ""),
        reader.Mark(3, 15, 45, "in_review", body[15:45], "O'Brien"),
    ]
    paragraphs = reader.build(body, marks)
    expected = Template(TEMPLATE_BODY).render(Context({"paragraphs": paragraphs}))
    built = reader.body_html(body, marks)
    assert built == expected
    assert "<script" not in built and "<b>" not in built and "ript&gt;x&lt;/script&gt;" in built
    item = Template(TEMPLATE_ITEM)
    expected_items = "\n".join(
        item.render(
            Context(
                {
                    "claim": mark,
                    "url": reverse("annotations:claim_detail", args=[7, mark.pk]),
                    "label": Claim.Status(mark.status).label,
                    "excerpt": reader.excerpt(mark.quote),
                }
            )
        )
        for mark in marks
    )
    items = reader.claim_items_html(7, marks)
    assert items == expected_items
    assert "&lt;spokesman&gt; &amp; co" in items and "<spokesman>" not in items


def test_the_built_body_matches_the_template_for_random_overlapping_claims():
    from django.template import Context, Template

    rng = random.Random(16)
    words = ["fell", "by", "3%", "<b>", "&", "café", "😀", "\n\n", "said", '"so"']
    template = Template(TEMPLATE_BODY)
    for _ in range(20):
        body = " ".join(rng.choice(words) for _ in range(80)).strip()
        marks = []
        for pk in range(1, rng.randint(1, 30)):
            start = rng.randrange(len(body) - 1)
            end = rng.randint(start + 1, min(len(body), start + 60))
            marks.append(reader.Mark(pk, start, end, rng.choice(Claim.Status.values), "", ""))
        expected = template.render(Context({"paragraphs": reader.build(body, marks)}))
        assert reader.body_html(body, marks) == expected
