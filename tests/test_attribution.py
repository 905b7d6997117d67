from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import attribution, checkworthiness
from annotations.attribution import attribute, guess_claimant
from tests.eval import dataset, scores

pytestmark = pytest.mark.django_db

LUKASHEVICH = "Alexander Lukashevich, Russian Foreign Ministry spokesman"
DAALDER = "Ivo Daalder, outgoing U.S. ambassador to NATO"
OBAMA = "Barack Obama, U.S. President"
PUTIN = "Vladimir Putin, Russian President"


def claimant_of(body: str, quote: str) -> str:
    start = body.index(quote)
    return guess_claimant(body, start, start + len(quote))


@pytest.fixture
def seed_body(seed_article) -> str:
    return seed_article.body


# The eleven attributed claims a new user marked in the seed article, and
# what the article says about who made each.
SEED_SPANS = [
    ("the two leaders had instructed their teams to work on a peace conference", OBAMA),
    ("Our positions do not fully coincide", PUTIN),
    ("We agreed to push the process of peace talks", PUTIN),
    ("We are not pushing for a no-fly zone at NATO", DAALDER),
    ("I think we fundamentally will not allow this scenario", LUKASHEVICH),
    ("Russia, a veto-wielding member of the UN Security Council", ""),
    ("the issue of a no-fly zone is not on the table at NATO", DAALDER),
    ("calls for a no-fly zone showed disrespect for international law", LUKASHEVICH),
    ("Russia declared that it would not permit such a no fly-zone", "Russia"),
    ("is was not asking NATO to back such a move", "United States"),
    ("both he and Obama wanted the bloodshed in Syria to stop", PUTIN),
]


@pytest.mark.parametrize(("quote", "claimant"), SEED_SPANS)
def test_the_seed_articles_attributed_claims_name_the_right_speaker(seed_body, quote, claimant):
    assert claimant_of(seed_body, quote) == claimant


@pytest.mark.parametrize(
    ("quote", "claimant", "evidence"),
    [
        ("I think we fundamentally will not allow this scenario", LUKASHEVICH, "Lukashevich said"),
        ("the issue of a no-fly zone is not on the table at NATO", DAALDER, "he said"),
        ("calls for a no-fly zone showed disrespect", LUKASHEVICH, "Alexander Lukashevich told"),
        ("it would not permit such a no fly-zone", "Russia", "Russia declared"),
        (
            "the issue is not currently on the alliance's agenda",
            DAALDER,
            "Ivo Daalder said … adding",
        ),
    ],
)
def test_the_guess_comes_with_the_words_that_attributed_it(seed_body, quote, claimant, evidence):
    start = seed_body.index(quote)
    found = attribute(seed_body, start, start + len(quote))
    assert (found.claimant, found.evidence) == (claimant, evidence)
    assert seed_body[found.evidence_start : found.evidence_end].startswith(evidence.split(" …")[0])


def test_a_pronoun_names_the_speaker_introduced_before_and_says_so(seed_body):
    quote = "the issue of a no-fly zone is not on the table at NATO"
    start = seed_body.index(quote)
    found = attribute(seed_body, start, start + len(quote))
    assert found.kind == attribution.PERSON
    assert "“he” is Ivo Daalder" in found.reason


def test_the_reporters_background_and_narration_name_nobody(seed_body):
    for quote in (
        "a veto-wielding member of the UN Security Council",
        "held a tense meeting on Monday",
        "criticized Putin for supporting Syria's Bashar Assad",
    ):
        start = seed_body.index(quote)
        found = attribute(seed_body, start, start + len(quote))
        assert found.claimant == ""
        assert found.reason


def test_organisations_and_countries_are_speakers_of_kind_organisation(seed_body):
    quote = "Russia declared that it would not permit"
    start = seed_body.index(quote)
    assert attribute(seed_body, start, start + len(quote)).kind == attribution.ORGANISATION


def test_said_before_the_name_and_an_unknown_role_are_recognised():
    body = (
        '"Tax is theft," said Jane Doe.\n\n'
        '"We have never been stronger," the minister told reporters on Monday.'
    )
    assert claimant_of(body, "Tax is theft") == "Jane Doe"
    assert claimant_of(body, '"We have never been stronger,"') == "The minister"


def test_a_role_noun_resolves_to_the_person_the_article_gave_that_role():
    body = (
        "Treasury minister Anna Berg presented the budget on Tuesday.\n\n"
        "The Treasury minister said on Wednesday that the deficit had halved since 2020."
    )
    assert claimant_of(body, "the deficit had halved since 2020") == "Anna Berg, Treasury minister"


def test_an_appositive_role_after_the_name_is_kept():
    body = "Jane Roe, the finance minister, said that growth would reach 2 per cent."
    assert claimant_of(body, "growth would reach 2 per cent") == "Jane Roe, finance minister"


def test_according_to_names_the_source():
    body = "Prices rose 4 per cent last year, according to the Office for National Statistics."
    assert claimant_of(body, "Prices rose 4 per cent last year") == "Office for National Statistics"


def test_unnamed_sources_are_nobody_in_particular():
    body = "Officials said the bridge would reopen in May."
    found = attribute(body, body.index("the bridge"), len(body) - 1)
    assert (found.claimant, found.reason) == ("", "an unnamed source")


def test_attribution_stays_within_the_paragraph():
    body = 'Putin said nothing.\n\n"Prices will fall next year," the report concluded.'
    assert claimant_of(body, "Prices will fall next year") == ""


def test_white_space_around_the_span_does_not_change_the_answer(seed_body):
    quote = "Our positions do not fully coincide"
    start = seed_body.index(quote)
    assert guess_claimant(seed_body, start - 1, start + len(quote) + 1) == PUTIN


def test_an_empty_or_out_of_range_span_names_nobody():
    assert attribute("Putin said so.", 3, 3).claimant == ""
    assert attribute("Putin said so.", 5, 99).claimant == ""


# --- the labelled evaluation set ---------------------------------------------


@pytest.fixture(scope="module")
def articles():
    return dataset.load()


def test_the_evaluation_set_is_large_enough(articles):
    assert len(articles) >= 8
    assert sum(len(a.spans) for a in articles) >= 80
    assert {s.kind for a in articles for s in a.spans} == {"person", "organisation", "none"}


def test_attribution_accuracy_holds_its_floors(articles):
    measured = scores.attribution_scores(articles)
    assert measured.exact_person >= 0.95, measured.misses
    assert measured.person_or_organisation >= 0.95, measured.misses
    assert measured.false_naming <= 0.05, measured.misses


# --- robustness: marking must never fail because of the guess ----------------

PIECES = [
    "Putin",
    "said",
    "told",
    "according to",
    "he",
    "the minister",
    "Jane Roe",
    "U.S.President",
    ",",
    ".",
    ":",
    '"',
    "“",
    "”",
    "'",
    "\n\n",
    "\n",
    " ",
    "a spokesman for",
    "who",
    "adding that",
    "NATO",
    "the ministry's",
    "?",
    "3.1 per cent",
    "é",
    "😀",
]


@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40),
    cut=st.tuples(st.integers(0, 400), st.integers(0, 400)),
)
@settings(max_examples=300, deadline=None)
def test_any_text_and_span_gives_an_answer_without_error(pieces, cut):
    body = " ".join(pieces).strip() or "x"
    start, end = sorted(cut)
    found = attribute(body, start, end)
    assert isinstance(found.claimant, str)
    if found.evidence_start is not None:
        assert 0 <= found.evidence_start <= found.evidence_end <= len(body)
    for sentence in checkworthiness.article_sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text
        assert 0 <= sentence.score <= 1
