"""How worth checking each sentence of an article is, and why.

A transparent, offline scorer in the spirit of ClaimBuster's check-worthy
factual sentences and Full Fact's claim types: each sentence gets points for
what a checker can verify (a number or statistic, a comparison, a date, a
cause, a prediction, a named source stating a fact) and loses them for what
a checker cannot (opinion, questions, feelings). Every point is a reason a
person can read; the score is the logistic of their sum, so it stays in 0..1
and sorts the "Suggested claims" list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from annotations import attribution, sentences


@dataclass(frozen=True)
class Rule:
    reason: str
    weight: float
    pattern: re.Pattern[str]


def _rule(reason: str, weight: float, pattern: str, flags: int = re.IGNORECASE) -> Rule:
    return Rule(reason, weight, re.compile(pattern, flags))


NUMBER_WORDS = (
    r"(?:half|a third|two thirds|a quarter|a fifth|a tenth|one in (?:two|three|four|five|"
    r"six|seven|eight|nine|ten|\d+)|twice|three times|four times|doubl\w+|tripl\w+|"
    r"dozens|hundreds|thousands|millions)"
)

RULES: tuple[Rule, ...] = (
    _rule("a percentage", 1.6, r"\d[\d.,]*\s?(?:%|per ?cent|percentage points?)"),
    _rule(
        "a sum of money",
        1.4,
        r"[$£€¥]\s?\d|\d[\d.,]*\s?(?:crowns|euros|dollars|pounds|yuan|roubles)\b",
    ),
    _rule(
        "a number",
        1.2,
        r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s?(?:million|billion|trillion|bn|m)\b"
        r"|(?<![A-Za-z]-)\b(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\b(?!\s?(?:%|per ?cent))",
    ),
    _rule("a proportion or multiple", 1.0, rf"\b{NUMBER_WORDS}\b"),
    _rule(
        "a statistic",
        0.8,
        r"\b(?:rate|average|median|share|figures?|data|survey|poll|statistics|"
        r"unemployment|inflation|prices?|growth|deficit|debt|budget|record(?:ed)?|"
        r"waiting list|turnout|margin|estimate[ds]?)\b",
    ),
    _rule(
        "a comparison",
        1.1,
        r"\b(?:more|fewer|less|higher|lower|larger|smaller|bigger|faster|slower|longer|"
        r"shorter|worse|better|wider|greater)\s+(?:\w+\s+){0,3}than\b|\b(?:highest|lowest|"
        r"largest|biggest|smallest|widest|fastest|longest|worst|best|first|only)\b"
        r"|\bcompared with\b|\bdown from\b|\bup from\b|\b(?:rose|fell|risen|fallen|rising|"
        r"falling|increased|decreased|dropped|doubled|halved|climbed|grew|cut)\b"
        r"|\bsince (?:19|20)\d\d\b|\bas (?:much|many|high|low|large|big|long|fast|bad|good)"
        r" as\b|\bunchanged\b",
    ),
    _rule(
        "a date",
        0.5,
        r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|"
        r"September|October|November|December)\b|\blast (?:year|month|week|decade)\b",
        0,
    ),
    _rule(
        "a causal claim",
        1.0,
        r"\b(?:because|caused|causes|due to|result of|led to|leads to|blamed|down to|"
        r"reflected|attributed|thanks to|as a result|driven by|responsible for|saved|"
        r"made \w+ \w+)\b",
    ),
    _rule(
        "a prediction",
        0.8,
        r"\b(?:will|would|expected to|expects?|forecasts?|projected|could rise|could fall|"
        r"by (?:the end of )?(?:next year|20[2-9]\d)|next (?:year|month|spring|summer|"
        r"autumn|winter)|within \w+ years)\b",
    ),
    _rule(
        "a law, policy or official act",
        0.6,
        r"\b(?:law|bill|banned|approved|voted|signed|levy|subsid\w+|tax|spent|"
        r"funding|cost|paid|raised|offered|hired|recruited|closed|opened|built)\b",
    ),
    _rule("a question", -3.0, "\\?\\s*[\"\u201d\u2019']?\\s*$"),
    _rule(
        "an opinion or feeling",
        -1.4,
        r"\b(?:I think|we think|I believe|we believe|I feel|in my view|should|ought|"
        r"must|proud|painful|betrayal|unfair|grim|upbeat|angry|sceptical|skeptical|"
        r"disappointing|desperation|exhausting|forgotten|ambition|good news|"
        r"extraordinary|breathe|supportive|simply|lightly|in denial|declare victory|"
        r"unambitious|dispute|declined to|best investments|blow to|don't know|not sure|"
        r"hope|fear|wish)\b",
    ),
    _rule(
        "a characterisation, not a fact",
        -0.8,
        r"\b(?:called (?:it|the|him|her)|described|criticized|criticised|praised|"
        r"welcomed|condemned|tense|heated|widely expected|mood)\b",
    ),
)
BIAS = -1.6
NAMED_SOURCE = 0.8
SHORT = -1.0


@dataclass(frozen=True)
class SentenceScore:
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "reasons": list(self.reasons),
        }


def score(body: str, start: int, end: int) -> SentenceScore:
    """Score the sentence ``body[start:end]`` with the reasons for it."""
    text = body[start:end]
    total = BIAS
    reasons: list[str] = []
    for rule in RULES:
        found = rule.pattern.search(text)
        if found:
            total += rule.weight
            reasons.append(f"{rule.reason}: “{found.group().strip()}”")
    if len(text.split()) < 6:
        total += SHORT
        reasons.append("too short to carry a checkable fact")
    said = attribution.attribute(body, start, end)
    if said.claimant:
        total += NAMED_SOURCE
        reasons.append(f"a named source states it: {said.name}")
    value = 1 / (1 + math.exp(-total))
    return SentenceScore(start, end, text, round(value, 3), tuple(reasons))


def article_sentences(body: str) -> list[SentenceScore]:
    """Every sentence of the body, in order, with its score and reasons."""
    return [score(body, s.start, s.end) for s in sentences.split(body)]


def suggestions(
    body: str, marked: list[tuple[int, int]], *, limit: int = 10, threshold: float = 0.3
) -> list[SentenceScore]:
    """The best-scoring sentences that no claim overlaps yet, best first."""
    free = [
        s
        for s in article_sentences(body)
        if s.score >= threshold and not any(a < s.end and s.start < b for a, b in marked)
    ]
    return sorted(free, key=lambda s: (-s.score, s.start))[:limit]
