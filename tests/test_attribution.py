from __future__ import annotations

import pytest

from annotations.attribution import guess_claimant
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db


def claimant_of(body: str, quote: str) -> str:
    start = body.index(quote)
    return guess_claimant(body, start, start + len(quote))


@pytest.fixture
def seed_body(seed_article) -> str:
    return seed_article.body


@pytest.mark.parametrize(
    ("quote", "claimant"),
    [
        ("Our positions do not fully coincide", "Putin"),  # '," Putin said.'
        ("We agreed to push the process of peace talks", "Putin"),  # 'Putin added: "'
        ("We are not pushing for a no-fly zone at NATO", "Ivo Daalder"),
        ("I think we fundamentally will not allow this scenario", "Lukashevich"),
        ("the two leaders had instructed their teams", "Obama"),  # 'Obama said ...'
    ],
)
def test_quotations_in_the_seed_article_are_attributed(seed_body, quote, claimant):
    assert claimant_of(seed_body, quote) == claimant


def test_pronouns_and_unattributed_text_give_no_claimant(seed_body):
    assert claimant_of(seed_body, "the issue of a no-fly zone is not on the table") == ""
    assert claimant_of(seed_body, "moderate cleric was elected president there") == ""


def test_said_before_the_name_and_common_nouns_are_recognised():
    body = (
        '"Tax is theft," said Jane Doe.\n\n'
        '"We have never been stronger," the minister told reporters on Monday.'
    )
    assert claimant_of(body, "Tax is theft") == "Jane Doe"
    assert claimant_of(body, '"We have never been stronger,"') == "The minister"


def test_attribution_stays_within_the_paragraph():
    body = 'Putin said nothing.\n\n"Prices will fall next year," the report concluded.'
    assert claimant_of(body, "Prices will fall next year") == ""


def test_seed_file_exists_for_these_tests():
    assert SEED_FILE.exists()
