"""Re-anchoring under random edits of the seed article.

Every claim ends in one of four states and each state's rule holds: the same
offsets hold the same quote; an exact match holds the quote; a fuzzy match
holds exactly the text it reports, with a score at or above the minimum; an
orphan is attached to nothing. Where an edit leaves a claim's text and
context alone, the claim must land on its shifted span exactly.
"""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import importers, reanchor
from annotations.reanchor import Method, OldSpan
from tests.conftest import SEED_FILE

BODY = importers.parse_text(SEED_FILE.read_text()).body
QUOTES = [
    "held a tense meeting on Monday",
    "Obama said the two leaders had instructed their teams to work on a peace conference",
    "expressed cautious optimism aboutthe ability to move forward",
    "both he and Obama wanted the bloodshed in Syria to stop",
    "Our positions do not fully coincide",
    "We agreed to push the process of peace talks",
    "Russia declared that it would not permit such a no fly-zone",
    "We are not pushing for a no-fly zone at NATO",
    "the issue of a no-fly zone is not on the table at NATO",
    "calls for a no-fly zone showed disrespect for international law",
    "I think we fundamentally will not allow this scenario",
    "criticized Putin for supporting Syria's Bashar Assad",
]
WORDS = [
    "the",
    "a",
    "Syria",
    "Putin",
    "Obama",
    "NATO",
    "said",
    "not",
    "talks",
    "zone",
    "peace",
    ",",
    ".",
    "and",
    "of",
    "no",
]


def spans_of(text: str) -> list[OldSpan]:
    spans = []
    for quote in QUOTES:
        start = text.index(quote)
        end = start + len(quote)
        prefix = text[max(0, start - 32) : start]
        spans.append(OldSpan(start, end, quote, prefix, text[end : end + 32]))
    return spans


SPANS = spans_of(BODY)


def apply_edit(text: str, at: int, delete: int, insert: str) -> str:
    return text[:at] + insert + text[at + delete :]


def check(new_text: str, old: OldSpan, anchor: reanchor.Anchor, edit: tuple[int, int, str]):
    """Assert the rule of the anchor's method, and exactness where the edit
    did not touch the claim or its context."""
    at, delete, insert = edit
    if anchor.method == Method.SAME:
        assert (anchor.start, anchor.end) == (old.start, old.end)
        assert new_text[anchor.start : anchor.end] == old.quote
    elif anchor.method == Method.EXACT:
        assert new_text[anchor.start : anchor.end] == old.quote == anchor.quote
    elif anchor.method == Method.FUZZY:
        assert new_text[anchor.start : anchor.end] == anchor.quote
        assert anchor.quote != old.quote
        expected = anchor.start  # the position term cannot lift a score above the floor alone
        total, quote_sim = reanchor.score(new_text, anchor.start, anchor.end, old, expected)
        assert total >= reanchor.MIN_SCORE
        assert quote_sim >= reanchor.MIN_QUOTE
        assert anchor.score >= reanchor.MIN_SCORE
    else:
        assert anchor.method == Method.ORPHAN
        assert not anchor.attached
    untouched = at + delete < old.start - len(old.prefix) or at > old.end + len(old.suffix)
    if untouched and new_text.count(old.quote) == 1:
        shift = len(insert) - delete if at < old.start else 0
        assert anchor.method in (Method.SAME, Method.EXACT)
        assert (anchor.start, anchor.end) == (old.start + shift, old.end + shift)


def random_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """An insertion, deletion or replacement inside or around a claim."""
    target = rng.choice(SPANS)
    if rng.random() < 0.5:
        at = rng.randrange(target.start, target.end)
    else:
        at = max(0, min(len(text) - 1, rng.randrange(target.start - 40, target.end + 40)))
    kind = rng.choice(("insert", "delete", "replace"))
    delete = 0 if kind == "insert" else rng.randint(1, 30)
    delete = min(delete, len(text) - at)
    insert = "" if kind == "delete" else " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    return at, delete, insert


edits = st.builds(
    lambda at, delete, insert: (at, min(delete, len(BODY) - at), insert),
    st.integers(0, len(BODY) - 1),
    st.integers(0, 40),
    st.lists(st.sampled_from([*WORDS, "x", "\n", "  "]), max_size=6).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(edits)
def test_every_claim_follows_its_rule_after_any_edit(edit):
    at, delete, insert = edit
    new_text = apply_edit(BODY, at, delete, insert)
    anchors = reanchor.locate_all(BODY, new_text, SPANS)
    for old, anchor in zip(SPANS, anchors, strict=True):
        check(new_text, old, anchor, edit)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 30), st.text(max_size=20)), max_size=5)
)
def test_several_edits_at_once_never_attach_a_claim_to_text_that_breaks_its_rule(raw):
    text = BODY
    for at, delete, insert in raw:
        at %= len(text)
        text = apply_edit(text, at, min(delete, len(text) - at), insert)
    for old, anchor in zip(SPANS, reanchor.locate_all(BODY, text, SPANS), strict=True):
        if anchor.attached:
            assert text[anchor.start : anchor.end] == anchor.quote
        if anchor.method in (Method.SAME, Method.EXACT):
            assert anchor.quote == old.quote
        if anchor.method == Method.FUZZY:
            assert anchor.score >= reanchor.MIN_SCORE


def test_one_thousand_random_edits_around_and_inside_claims():
    rng = random.Random(20130617)
    counts: Counter[str] = Counter()
    for _ in range(1000):
        edit = random_edit(rng, BODY)
        new_text = apply_edit(BODY, *edit)
        anchors = reanchor.locate_all(BODY, new_text, SPANS)
        for old, anchor in zip(SPANS, anchors, strict=True):
            check(new_text, old, anchor, edit)
            counts[anchor.method] += 1
    print(dict(counts))
    assert sum(counts.values()) == 1000 * len(SPANS)
    # Most claims are untouched by any one edit; those must never orphan.
    assert counts[Method.SAME] + counts[Method.EXACT] > counts[Method.FUZZY] + counts[Method.ORPHAN]
    assert counts[Method.FUZZY] > 0 and counts[Method.ORPHAN] > 0


def test_exact_quote_found_several_times_is_decided_by_its_context():
    text = "Alpha said yes. Beta said yes. Gamma said yes."
    old = OldSpan(20, 28, "said yes", "Alpha said yes. Beta ", ". Gamma said yes.")
    new_text = "Intro. " + text
    anchor = reanchor.locate(new_text, old, reanchor.PositionMap(text, new_text))
    assert anchor.method == Method.EXACT
    assert new_text[anchor.start - 5 : anchor.start] == "Beta "


def test_typo_fix_in_a_quote_is_a_fuzzy_match_that_keeps_the_meaning():
    old_text = "He said the economy grew by 3 percnet last year, officials confirmed."
    new_text = old_text.replace("percnet", "percent")
    old = spans_of_one(old_text, "the economy grew by 3 percnet last year")
    anchor = reanchor.locate_all(old_text, new_text, [old])[0]
    assert anchor.method == Method.FUZZY
    assert anchor.quote == "the economy grew by 3 percent last year"
    assert not reanchor.changes_meaning(old.quote, anchor.quote)


def test_rewritten_quote_is_orphaned_rather_than_moved_onto_other_text():
    old_text = "First paragraph here.\n\nThe mayor promised ten new schools by 2025.\n\nEnd."
    new_text = "First paragraph here.\n\nThe council voted on the budget instead.\n\nEnd."
    old = spans_of_one(old_text, "The mayor promised ten new schools by 2025.")
    assert reanchor.locate_all(old_text, new_text, [old])[0].method == Method.ORPHAN


def spans_of_one(text: str, quote: str) -> OldSpan:
    start = text.index(quote)
    end = start + len(quote)
    return OldSpan(start, end, quote, text[max(0, start - 32) : start], text[end : end + 32])


def test_meaning_rule():
    assert not reanchor.changes_meaning("Obama  said, yes", "obama said yes")
    assert not reanchor.changes_meaning("the govermnent said", "the government said")
    assert reanchor.changes_meaning("fell by 3 percent", "fell by 4 percent")
    assert reanchor.changes_meaning("we will allow it", "we will not allow it")
    assert reanchor.changes_meaning("Putin said", "Obama said")
    assert reanchor.changes_meaning("three ministers", "there ministers")
    assert not reanchor.changes_meaning("grew 3 percnet", "grew 3 percent")
