from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from annotations import anchoring, workflow
from annotations.models import Claim
from tests import factories

MIXED = unicodedata.normalize("NFC", "👍🏽 café ☕ 東京")


def test_span_of_cafe_counts_code_points_not_utf16_units():
    anchored = anchoring.find_quote(MIXED, "café")
    assert (anchored.start, anchored.end) == (3, 7)
    assert MIXED[3:7] == "café"
    assert anchored.prefix == "👍🏽 "
    assert anchored.suffix == " ☕ 東京"


def test_cjk_and_emoji_offsets_match_python_indexing():
    start = MIXED.index("東京")
    assert anchoring.span(MIXED, start, start + 2).quote == "東京"
    assert anchoring.find_quote(MIXED, "☕").start == 8


def test_combining_accent_quote_is_normalized_to_nfc_before_matching():
    decomposed = unicodedata.normalize("NFD", "café")
    assert len(decomposed) == 5
    anchored = anchoring.find_quote(MIXED, decomposed)
    assert (anchored.start, anchored.end, anchored.quote) == (3, 7, "café")


def test_utf16_offsets_convert_to_code_points():
    # 👍🏽 is two astral code points: four UTF-16 units.
    assert anchoring.utf16_to_codepoint(MIXED, 5) == 3
    assert anchoring.utf16_to_codepoint(MIXED, 9) == 7
    assert anchoring.utf16_to_codepoint(MIXED, len(MIXED.encode("utf-16-le")) // 2) == len(MIXED)


@pytest.mark.parametrize(
    ("start", "end", "quote", "code"),
    [
        (0, 5, "wrong", "quote_mismatch"),
        (-1, 3, "👍", "out_of_range"),
        (3, 99, "café", "out_of_range"),
        (5, 5, "", "empty_span"),
        (7, 3, "café", "empty_span"),
    ],
)
def test_bad_spans_are_rejected_with_a_reason(start, end, quote, code):
    with pytest.raises(ValidationError) as error:
        anchoring.check_span(MIXED, start, end, quote)
    assert error.value.code == code


def test_ambiguous_and_absent_quotes_are_refused():
    body = "the cat sat. the cat ran."
    with pytest.raises(ValidationError) as error:
        anchoring.find_quote(body, "the cat")
    assert error.value.code == "ambiguous"
    assert anchoring.find_quote(body, "the cat", suffix=" ran").start == 13
    with pytest.raises(ValidationError) as error:
        anchoring.find_quote(body, "the dog")
    assert error.value.code == "absent"


def test_context_is_at_most_32_code_points_each_side():
    body = "x" * 50 + "quote" + "y" * 50
    prefix, suffix = anchoring.context(body, 50, 55)
    assert prefix == "x" * 32
    assert suffix == "y" * 32


def test_trim_drops_surrounding_white_space():
    body = "one  two\n\nthree"
    assert anchoring.trim(body, 3, 10) == (5, 8)


def test_segments_rebuild_the_body_exactly_for_overlapping_and_nested_spans():
    body = "abcdefghij"
    spans = [(1, 5, "A"), (3, 8, "B"), (4, 5, "C"), (0, 10, "D")]
    pieces = anchoring.segments(body, spans)
    assert "".join(text for text, _ in pieces) == body
    covering = dict(pieces)
    assert covering["e"] == ["A", "B", "C", "D"] or sorted(covering["e"]) == ["A", "B", "C", "D"]
    assert sorted(covering["a"]) == ["D"]


@pytest.mark.django_db
def test_claim_save_enforces_the_invariant_for_every_writer(article, editor):
    with pytest.raises(ValidationError):
        Claim(article=article, start=0, end=4, quote="nope", created_by=editor).save()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_claim_gets_prefix_suffix_and_defaults_claim_text_to_quote(article, editor):
    claim = workflow.mark(article, by=editor, quote="the figures were incomplete")
    assert claim.claim_text == "the figures were incomplete"
    assert article.body[claim.start : claim.end] == claim.quote
    assert claim.prefix == article.body[max(0, claim.start - 32) : claim.start]
    assert claim.suffix == article.body[claim.end : claim.end + 32]


@pytest.mark.django_db(transaction=True)
def test_database_rejects_a_quote_that_does_not_fit_its_span(article):
    claim = factories.ClaimFactory(article=article)
    # Bypass Model.save to prove the database itself holds the line.
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(end=claim.end + 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(end=claim.start)
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_overlapping_and_nested_claims_are_allowed(article, editor):
    outer = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    inner = workflow.mark(article, by=editor, quote="3 percent")
    overlapping = workflow.mark(article, by=editor, quote="percent last year.")
    assert outer.start < inner.start < inner.end < outer.end
    assert overlapping.start < outer.end < overlapping.end
