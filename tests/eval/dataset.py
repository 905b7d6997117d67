"""The labelled evaluation set: realistic articles written for it, each
sentence labelled for check-worthiness and a set of claim spans labelled
with their claimant.

File format (``articles/*.txt``): a ``# title`` line; body lines
``LABEL KIND | sentence`` where LABEL is ``cfs`` (check-worthy factual),
``ufs`` (unimportant factual) or ``nfs`` (not factual: opinion, question),
a blank line between paragraphs; then ``== spans`` and one line per span:
``words of the span | claimant | person/organisation/none | category``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ARTICLES = Path(__file__).parent / "articles"
# Rules were written against the seed and the first half; the second half
# was scored only once the rules were done.
HELD_OUT = frozenset({"05", "06", "07", "08"})
# Written after the rules were frozen and scored once, untouched since.
BLIND = frozenset({"09", "10"})


@dataclass(frozen=True)
class LabelledSentence:
    start: int
    end: int
    label: str
    kind: str

    @property
    def worthy(self) -> bool:
        return self.label == "cfs"


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    claimant: str
    kind: str
    category: str


@dataclass(frozen=True)
class Article:
    name: str
    title: str
    body: str
    sentences: tuple[LabelledSentence, ...]
    spans: tuple[LabelledSpan, ...]

    @property
    def held_out(self) -> bool:
        return self.name[:2] in HELD_OUT

    @property
    def blind(self) -> bool:
        return self.name[:2] in BLIND


def _parse(path: Path) -> Article:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    head, _, tail = text.partition("\n== spans\n")
    lines = head.splitlines()
    title = lines[0].removeprefix("# ").strip()
    paragraphs: list[list[tuple[str, str, str]]] = [[]]
    for line in lines[1:]:
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        tag, _, sentence = line.partition(" | ")
        label, kind = tag.split()
        paragraphs[-1].append((label, kind, sentence.strip()))
    body = ""
    labelled = []
    for paragraph in (p for p in paragraphs if p):
        if body:
            body += "\n\n"
        for i, (label, kind, sentence) in enumerate(paragraph):
            if i:
                body += " "
            labelled.append(LabelledSentence(len(body), len(body) + len(sentence), label, kind))
            body += sentence
    spans = []
    for line in tail.splitlines():
        if not line.strip():
            continue
        words, claimant, kind, category = (part.strip() for part in line.split(" | "))
        start = body.find(words)
        if start == -1 or body.find(words, start + 1) != -1:
            raise ValueError(f"{path.name}: span not found exactly once: {words!r}")
        spans.append(
            LabelledSpan(
                start, start + len(words), "" if claimant == "-" else claimant, kind, category
            )
        )
    return Article(path.stem, title, body, tuple(labelled), tuple(spans))


def load() -> list[Article]:
    return [_parse(path) for path in sorted(ARTICLES.glob("*.txt"))]


def same_claimant(guess: str, gold: str) -> bool:
    """Names match ignoring case, a leading "the" and a role after a comma."""

    def norm(name: str) -> str:
        name = name.split(",")[0].strip().lower()
        return re.sub(r"^the\s+", "", name)

    return norm(guess) == norm(gold)
