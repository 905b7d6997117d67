"""Re-anchoring claims to a new revision of their article's text.

Part of the offset/quote invariant (``anchoring``): this module only finds
where a span went; it never writes. Each claim is tried in a fixed order and
the first rule that holds decides:

1. **same** — the old offsets still hold the old quote;
2. **exact** — the quote occurs in the new text: once, or several times and
   the prefix/suffix (then the distance to where the diff says the old
   position went) pick one;
3. **fuzzy** — around the old position mapped through a character diff
   (diff-match-patch), the span whose quote, prefix and suffix are most like
   the old ones, if its score reaches ``MIN_SCORE`` and its quote alone
   reaches ``MIN_QUOTE``;
4. otherwise **orphan**: nothing is attached.

The score weighs quote 50 %, prefix 20 %, suffix 20 % and position 10 %, as
Hypothesis does, but unlike Hypothesis there is a floor, so a claim is never
moved onto text that is mostly different. Why 0.75 and 0.7: a typo fixed or
a word changed in a quote whose context is intact scores 0.9 or more; a
quote of which a third is rewritten still passes (0.5 * 0.7 + 0.5 = 0.85)
and is shown as "quote changed"; a quote half rewritten (similarity 0.5) or
one whose surroundings were rewritten too falls below and becomes an orphan
for a person to place. A wrong silent move costs a desk more than an orphan.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch

MIN_SCORE = 0.75
MIN_QUOTE = 0.7
WEIGHTS = {"quote": 0.5, "prefix": 0.2, "suffix": 0.2, "position": 0.1}
# A fuzzy candidate may not shrink or grow the quote beyond these factors.
LENGTH_RANGE = (0.5, 2.0)
NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "can't",
        "won't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "shouldn't",
        "wouldn't",
        "couldn't",
    }
)

NUMBER_WORDS = frozenset(
    {
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "half",
        "third",
        "quarter",
        "first",
    }
)

_dmp = diff_match_patch()
_dmp.Diff_Timeout = 5.0


class Method(StrEnum):
    SAME = "same"
    EXACT = "exact"
    FUZZY = "fuzzy"
    ORPHAN = "orphan"


@dataclass(frozen=True, slots=True)
class Anchor:
    method: Method
    start: int = 0
    end: int = 0
    quote: str = ""
    score: float = 1.0

    @property
    def attached(self) -> bool:
        return self.method != Method.ORPHAN


@dataclass(frozen=True, slots=True)
class OldSpan:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


_PARAGRAPH = re.compile(r"(?<=\n\n)")


def _diff(old: str, new: str) -> list[tuple[int, str]]:
    """A character diff, computed paragraph by paragraph: paragraphs are
    aligned first (difflib over whole paragraphs), then each changed one is
    diffed with its counterpart by diff-match-patch. A whole-text character
    diff of a long article runs into diff-match-patch's time limit and comes
    back coarse; this stays fast and fine on any length."""
    a, b = _PARAGRAPH.split(old), _PARAGRAPH.split(new)
    diffs: list[tuple[int, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            diffs.append((diff_match_patch.DIFF_EQUAL, "".join(a[i1:i2])))
        elif tag == "delete":
            diffs.append((diff_match_patch.DIFF_DELETE, "".join(a[i1:i2])))
        elif tag == "insert":
            diffs.append((diff_match_patch.DIFF_INSERT, "".join(b[j1:j2])))
        elif i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                diffs.extend(_dmp.diff_main(x, y, False))
        else:
            diffs.extend(_dmp.diff_main("".join(a[i1:i2]), "".join(b[j1:j2]), False))
    return diffs


class PositionMap:
    """Where each position of the old text went in the new one, from one
    character diff. ``left`` puts a position in front of text inserted
    there, ``right`` after it; a deleted position maps to where the deletion
    was."""

    def __init__(self, old: str, new: str) -> None:
        diffs = _diff(old, new)
        size = len(old) + 1
        self.left = [0] * size
        self.right = [0] * size
        i = j = 0
        before_insert: int | None = None
        for op, text in diffs:
            length = len(text)
            if op == diff_match_patch.DIFF_INSERT:
                if before_insert is None:
                    before_insert = j
                j += length
                continue
            targets = range(j, j + length) if op == diff_match_patch.DIFF_EQUAL else [j] * length
            self.left[i : i + length] = targets
            self.right[i : i + length] = targets
            if length and before_insert is not None:
                self.left[i] = before_insert
            before_insert = None
            i += length
            if op == diff_match_patch.DIFF_EQUAL:
                j += length
        self.left[i] = j if before_insert is None else before_insert
        self.right[i] = j


def similarity(a: str, b: str) -> float:
    """1 minus the Levenshtein distance over the longer length (1.0 when equal)."""
    if a == b:
        return 1.0
    longest = max(len(a), len(b))
    if not longest:
        return 1.0
    distance = _dmp.diff_levenshtein(_dmp.diff_main(a, b, False))
    return 1.0 - distance / longest


def _context_fit(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the old prefix and suffix border ``start..end``."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    fit = 0
    for a, b in zip(reversed(before), reversed(prefix), strict=False):
        if a != b:
            break
        fit += 1
    for a, b in zip(after, suffix, strict=False):
        if a != b:
            break
        fit += 1
    return fit


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def score(text: str, start: int, end: int, old: OldSpan, expected: int) -> tuple[float, float]:
    """The weighted score of ``text[start:end]`` as the new place of ``old``,
    and the quote's own similarity."""
    quote_sim = similarity(old.quote, text[start:end])
    prefix_sim = similarity(old.prefix, text[max(0, start - len(old.prefix)) : start])
    suffix_sim = similarity(old.suffix, text[end : end + len(old.suffix)])
    position = 1.0 - min(1.0, abs(start - expected) / max(1, len(text)))
    total = (
        WEIGHTS["quote"] * quote_sim
        + WEIGHTS["prefix"] * prefix_sim
        + WEIGHTS["suffix"] * suffix_sim
        + WEIGHTS["position"] * position
    )
    return total, quote_sim


def locate(text: str, old: OldSpan, positions: PositionMap | None) -> Anchor:
    """Find ``old`` in the new ``text``, by the rules in the module docstring."""
    if text[old.start : old.end] == old.quote:
        return Anchor(Method.SAME, old.start, old.end, old.quote)
    expected = positions.left[min(old.start, len(positions.left) - 1)] if positions else old.start
    found = []
    at = text.find(old.quote)
    while at != -1:
        found.append(at)
        at = text.find(old.quote, at + 1)
    if found:
        best = max(
            found,
            key=lambda s: (
                _context_fit(text, s, s + len(old.quote), old.prefix, old.suffix),
                -abs(s - expected),
            ),
        )
        return Anchor(Method.EXACT, best, best + len(old.quote), old.quote)
    if positions is None:
        return Anchor(Method.ORPHAN, score=0.0)
    starts = {positions.left[old.start], positions.right[old.start]}
    ends = {positions.left[old.end], positions.right[old.end]}
    best_anchor = Anchor(Method.ORPHAN, score=0.0)
    low, high = (len(old.quote) * f for f in LENGTH_RANGE)
    for raw_start in starts:
        for raw_end in ends:
            start, end = _trim(text, raw_start, raw_end)
            if not low <= end - start <= high:
                continue
            total, quote_sim = score(text, start, end, old, expected)
            if quote_sim >= MIN_QUOTE and total >= MIN_SCORE and total > best_anchor.score:
                best_anchor = Anchor(Method.FUZZY, start, end, text[start:end], round(total, 4))
    return best_anchor


def locate_all(old_text: str, new_text: str, spans: list[OldSpan]) -> list[Anchor]:
    """Re-anchor every span of one text part; one diff serves them all."""
    positions = PositionMap(old_text, new_text) if old_text != new_text else None
    return [locate(new_text, span, positions) for span in spans]


_WORD = re.compile(r"\w+(?:'\w+)?")


def changes_meaning(before: str, after: str) -> bool:
    """Whether a re-anchored quote says something else.

    Unchanged in meaning: the same words once case, punctuation and spacing
    are ignored, or the same number of words where every changed word is a
    spelling fix (both at least four letters, at most two edits apart and at
    most a third of the word, no digit, not a negation or a number word). Any
    word added or removed, any number changed, any negation touched, any
    other word replaced changes the meaning.
    """
    old_words = _WORD.findall(before.casefold())
    new_words = _WORD.findall(after.casefold())
    if old_words == new_words:
        return False
    if len(old_words) != len(new_words):
        return True
    for a, b in zip(old_words, new_words, strict=True):
        if a == b:
            continue
        if {a, b} & (NEGATIONS | NUMBER_WORDS) or any(c.isdigit() for c in a + b):
            return True
        if min(len(a), len(b)) < 4:
            return True
        distance = _dmp.diff_levenshtein(_dmp.diff_main(a, b, False))
        if distance > 2 or distance * 3 > min(len(a), len(b)):
            return True
    return False
