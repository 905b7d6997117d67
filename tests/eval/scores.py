"""Scores of the attribution rules and the check-worthiness ranking on the
labelled set; the tests hold floors on them and ``report`` prints them."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations import attribution, checkworthiness
from tests.eval.dataset import Article, same_claimant


@dataclass
class AttributionScores:
    spans: int = 0
    person: int = 0
    person_right: int = 0
    named: int = 0  # spans whose answer is a person or an organisation
    named_right: int = 0
    nobody: int = 0
    false_named: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def exact_person(self) -> float:
        return self.person_right / self.person

    @property
    def person_or_organisation(self) -> float:
        return self.named_right / self.named

    @property
    def false_naming(self) -> float:
        return self.false_named / self.nobody

    @property
    def accuracy(self) -> float:
        return self.right / self.spans


def attribution_scores(articles: list[Article]) -> AttributionScores:
    scores = AttributionScores()
    for article in articles:
        for span in article.spans:
            guess = attribution.attribute(article.body, span.start, span.end)
            scores.spans += 1
            if span.kind == "none":
                scores.nobody += 1
                ok = not guess.claimant
                scores.false_named += not ok
            else:
                ok = bool(guess.name) and same_claimant(guess.name, span.claimant)
                scores.named += 1
                scores.named_right += ok
                if span.kind == "person":
                    scores.person += 1
                    scores.person_right += ok
            scores.right += ok
            if not ok:
                scores.misses.append(
                    f"{article.name} [{span.category}] {article.body[span.start : span.end][:60]!r}"
                    f" -> {guess.claimant!r} (want {span.claimant!r}; {guess.reason})"
                )
    return scores


@dataclass
class RankingScores:
    precision_at_10: dict[str, float]
    roc_auc: float

    @property
    def mean_precision_at_10(self) -> float:
        return sum(self.precision_at_10.values()) / len(self.precision_at_10)


def roc_auc(pairs: list[tuple[float, bool]]) -> float:
    """Probability that a check-worthy sentence outscores one that is not
    (ties count half): the Mann-Whitney form of the area under the ROC curve."""
    positives = [s for s, worthy in pairs if worthy]
    negatives = [s for s, worthy in pairs if not worthy]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def ranking_scores(articles: list[Article]) -> RankingScores:
    per_article = {}
    pairs: list[tuple[float, bool]] = []
    for article in articles:
        scored = [
            (checkworthiness.score(article.body, s.start, s.end).score, s.worthy)
            for s in article.sentences
        ]
        pairs.extend(scored)
        # Stable order on ties: the article's own order, as the reader shows it.
        ranked = sorted(scored, key=lambda pair: -pair[0])[:10]
        per_article[article.name] = sum(worthy for _, worthy in ranked) / len(ranked)
    return RankingScores(per_article, roc_auc(pairs))
