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


def test_excerpts_collapse_every_kind_of_whitespace_like_a_split_and_join():
    rng = random.Random(11)
    pieces = ["word", "😀", "東京", " ", "  ", "\n", "\t", "\xa0", "\u2028", "\u3000", "\xad", "a"]
    for _ in range(2_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        collapsed = " ".join(text.split())
        expected = collapsed if len(collapsed) <= 20 else collapsed[:19].rstrip() + "…"
        assert reader.excerpt(text, limit=20) == expected
