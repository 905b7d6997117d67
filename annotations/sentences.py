"""Sentences of an article body with their code-point offsets.

simplemma's splitter knows English abbreviations ("U.S.", "Dr.") and keeps a
closing quotation mark with its sentence; it returns strings, so the
offsets are recovered by finding each sentence in order. Paragraphs are split
first: a sentence never runs across a blank line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@lru_cache(maxsize=64)
def split(body: str) -> tuple[Sentence, ...]:
    """Every sentence of ``body`` in order, white space trimmed, with offsets
    such that ``body[s.start:s.end] == s.text``."""
    found: list[Sentence] = []
    for number, paragraph in enumerate(PARAGRAPH.finditer(body)):
        cursor = paragraph.start()
        for text in simplemma.split_sentences(paragraph.group(), lang="en"):
            text = text.strip()
            if not text:
                continue
            start = body.find(text, cursor, paragraph.end())
            if start == -1:  # the splitter normalised something: keep going
                continue
            found.append(Sentence(start, start + len(text), text, number))
            cursor = start + len(text)
    return tuple(found)


def containing(body: str, offset: int) -> Sentence | None:
    """The sentence that contains ``offset`` (or the next one after it)."""
    found = split(body)
    index = bisect.bisect_right(_ends(body), offset)
    return found[index] if index < len(found) else None


@lru_cache(maxsize=64)
def _ends(body: str) -> tuple[int, ...]:
    return tuple(s.end for s in split(body))
