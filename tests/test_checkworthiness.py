from __future__ import annotations

import pytest

from annotations import checkworthiness, sentences
from tests.eval import dataset, scores


def scored(text: str) -> checkworthiness.SentenceScore:
    return checkworthiness.score(text, 0, len(text))


def test_a_statistic_scores_high_with_readable_reasons():
    result = scored("Unemployment fell to 4.2 per cent in March, the lowest rate since 1975.")
    assert result.score > 0.8
    assert any(reason.startswith("a percentage: “4.2 per cent”") for reason in result.reasons)
    assert any(reason.startswith("a comparison") for reason in result.reasons)


def test_questions_and_opinions_score_low():
    assert scored("Will the bank cut rates before the election?").score < 0.2
    assert scored("I think the mayor should be ashamed of this plan.").score < 0.2


def test_a_named_source_stating_a_fact_is_a_reason():
    body = "Finance Minister Tomas Grell said debt had fallen to 61 per cent of output."
    result = checkworthiness.score(body, 0, len(body))
    assert "a named source states it: Tomas Grell" in result.reasons


def test_article_sentences_cover_the_body_in_order_with_offsets():
    body = "Prices rose 3 per cent. Nobody was surprised.\n\nWill it last? Rents doubled."
    found = checkworthiness.article_sentences(body)
    assert [s.text for s in found] == [
        "Prices rose 3 per cent.",
        "Nobody was surprised.",
        "Will it last?",
        "Rents doubled.",
    ]
    assert all(body[s.start : s.end] == s.text for s in found)
    assert found[0].as_dict()["reasons"] == list(found[0].reasons)


def test_suggestions_skip_marked_sentences_and_rank_best_first():
    body = (
        "The deficit reached £40 billion in 2024, up from £31 billion.\n\n"
        "Exports rose 12 per cent last year.\n\nIt was a sunny day."
    )
    marked = [(body.index("Exports"), body.index("Exports") + 7)]
    suggested = checkworthiness.suggestions(body, marked)
    assert [s.text[:11] for s in suggested] == ["The deficit"]


def test_the_splitter_keeps_abbreviations_and_quotes_inside_sentences():
    body = 'U.S. officials met on Monday. "We agreed," he said. Dr. Smith left.'
    assert [s.text for s in sentences.split(body)] == [
        "U.S. officials met on Monday.",
        '"We agreed," he said.',
        "Dr. Smith left.",
    ]


# --- the labelled evaluation set ---------------------------------------------


@pytest.fixture(scope="module")
def articles():
    return dataset.load()


def test_the_labelled_sentences_are_enough_and_carry_their_kind(articles):
    labelled = [s for a in articles for s in a.sentences]
    assert len(labelled) >= 150
    assert {s.label for s in labelled} == {"cfs", "ufs", "nfs"}
    assert {"quantity", "comparison", "causal", "prediction", "opinion", "question"} <= {
        s.kind for s in labelled
    }


def test_the_splitter_finds_the_labelled_sentence_boundaries(articles):
    gold = {(a.name, s.start, s.end) for a in articles for s in a.sentences}
    found = {(a.name, s.start, s.end) for a in articles for s in sentences.split(a.body)}
    assert len(gold & found) / len(gold) >= 0.95


def test_check_worthiness_ranking_holds_its_floors(articles):
    measured = scores.ranking_scores(articles)
    assert measured.roc_auc >= 0.88
    assert measured.mean_precision_at_10 >= 0.8
    assert min(measured.precision_at_10.values()) >= 0.6
