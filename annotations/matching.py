"""Claim matching: earlier fact-checks that say the same thing.

Hybrid ranking of two signals, each between 0 and 1:

- semantic: the cosine of sentence embeddings from WordLlama, a static
  embedding model whose 256-dimension weights and tokenizer ship inside the
  ``wordllama`` wheel and run on the CPU (nothing is downloaded); a claim's
  embedding is computed when its text is saved and stored in
  ``ClaimEmbedding``;
- lexical: the overlap of the content words (stemmed) of the two texts,
  over candidates the full-text index finds (``search``).

Candidates are the best semantic ones (one matrix product over an
in-process copy of every stored embedding, refreshed incrementally from the
table), re-ranked by ``score = 0.85 semantic + 0.15 lexical``; a claim in
the same words as the query is always among them. The lexical-only mode,
kept for the evaluation, takes its candidates from the full-text index.
``LIKELY_SAME`` is the score the panel calls "likely the same", set from
the evaluation set in the tests (README: figures).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from django.db.models import Count, Max, QuerySet

from annotations import search
from annotations.models import Claim, ClaimEmbedding

MODEL_NAME = "wordllama-l2_supercat-256"
DIMENSIONS = 256
SEMANTIC_WEIGHT = 0.85
LIKELY_SAME = 0.55
SEMANTIC_CANDIDATES = 100
# Another process's new embeddings are picked up within this many seconds;
# this process's own at once.
REFRESH_SECONDS = 2.0
LEXICAL_CANDIDATES = 50
MAX_LIMIT = 20

Mode = Literal["hybrid", "semantic", "lexical"]

_STOPWORDS = (
    "a an and are as at be been but by for from had has have he her his i if in into is it "
    "its of on or our she so than that the their them there these they this to was we were "
    "what which who will with would you your said says say not no"
)
STOPWORDS = frozenset(_STOPWORDS.split(" "))


@cache
def _model():
    import wordllama

    # The wheel carries both files; pointing the cache at the package itself
    # makes the loader find them there, and downloads are off.
    package = Path(wordllama.__file__).parent
    return wordllama.WordLlama.load(cache_dir=package, disable_download=True, dim=DIMENSIONS)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().embed(texts, norm=True), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSIONS)


def text_of(claim: Claim) -> str:
    return (claim.claim_text or claim.quote).strip()


def _hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def store_embedding(claim: Claim) -> bool:
    """Embed the claim's text and store it, unless the stored one is of the
    same text. Returns whether it embedded."""
    text = text_of(claim)
    digest = _hash(text)
    stored = ClaimEmbedding.objects.filter(claim_id=claim.pk).values_list("text_hash", flat=True)
    if stored.first() == digest:
        return False
    vector = embed([text])[0].astype("<f2").tobytes()
    ClaimEmbedding.objects.update_or_create(
        claim_id=claim.pk, defaults={"vector": vector, "model": MODEL_NAME, "text_hash": digest}
    )
    return True


def embed_missing(batch_size: int = 512) -> int:
    """Embed every claim without a current embedding (for a corpus loaded
    in bulk, or after a model change). Returns how many were embedded."""
    done = 0
    current = ClaimEmbedding.objects.filter(model=MODEL_NAME).values("claim_id")
    pending = Claim.objects.exclude(pk__in=current).values_list("pk", "claim_text", "quote")
    batch: list[tuple[int, str]] = []

    def flush() -> None:
        vectors = embed([text for _, text in batch]).astype("<f2")
        ClaimEmbedding.objects.filter(claim_id__in=[pk for pk, _ in batch]).delete()
        ClaimEmbedding.objects.bulk_create(
            ClaimEmbedding(
                claim_id=pk,
                vector=vectors[i].tobytes(),
                model=MODEL_NAME,
                text_hash=_hash(text),
            )
            for i, (pk, text) in enumerate(batch)
        )

    for pk, claim_text, quote in pending.iterator(chunk_size=batch_size):
        batch.append((pk, (claim_text or quote).strip()))
        if len(batch) == batch_size:
            flush()
            done += len(batch)
            batch = []
    if batch:
        flush()
        done += len(batch)
    index.dirty = True
    return done


def on_claim_saved(sender, instance: Claim, created: bool, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    text_saved = update_fields is None or {"claim_text", "quote"} & set(update_fields)
    if text_saved and store_embedding(instance):
        index.dirty = True


# --- the in-process index -------------------------------------------------


class _Index:
    """Every stored embedding as one float32 matrix (1 KiB a claim), kept in
    step with the table by a cheap aggregate (row count, latest change) and
    an incremental read of what changed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.row: dict[int, int] = {}
        self.signature: tuple | None = None
        self.latest = None
        self.checked = 0.0
        self.dirty = True

    def _load(self, rows) -> None:
        new_ids, new_vectors = [], []
        for claim_id, vector in rows:
            values = np.frombuffer(bytes(vector), dtype="<f2")
            if claim_id in self.row:
                self.matrix[self.row[claim_id]] = values
            else:
                new_ids.append(claim_id)
                new_vectors.append(values)
        if new_ids:
            start = len(self.ids)
            self.ids = np.concatenate([self.ids, np.asarray(new_ids, dtype=np.int64)])
            self.matrix = np.vstack([self.matrix, np.vstack(new_vectors).astype(np.float32)])
            self.row.update({pk: start + i for i, pk in enumerate(new_ids)})

    def refresh(self) -> None:
        now = time.monotonic()
        if not self.dirty and now - self.checked < REFRESH_SECONDS:
            return
        table = ClaimEmbedding.objects.filter(model=MODEL_NAME)
        stats = table.aggregate(n=Count("pk"), latest=Max("updated_at"))
        signature = (stats["n"], stats["latest"])
        self.checked, self.dirty = now, False
        with self.lock:
            if signature == self.signature:
                return
            if self.latest is not None:
                self._load(
                    table.filter(updated_at__gte=self.latest).values_list("claim_id", "vector")
                )
            if len(self.ids) != stats["n"]:
                self.reset()
                self._load(table.values_list("claim_id", "vector").iterator(chunk_size=5000))
            self.signature, self.latest = signature, stats["latest"]

    def top(self, vector: np.ndarray, k: int) -> dict[int, float]:
        self.refresh()
        with self.lock:
            if not len(self.ids):
                return {}
            scores = self.matrix @ vector
            k = min(k, len(scores))
            best = np.argpartition(-scores, k - 1)[:k]
            return {int(self.ids[i]): float(scores[i]) for i in best}

    def score_of(self, vector: np.ndarray, claim_ids) -> dict[int, float]:
        with self.lock:
            rows = [(pk, self.row[pk]) for pk in claim_ids if pk in self.row]
            if not rows:
                return {}
            block = self.matrix[[r for _, r in rows]]
            return {pk: float(s) for (pk, _), s in zip(rows, block @ vector, strict=True)}


index = _Index()


# --- ranking --------------------------------------------------------------


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return search._stem(word)


def content_stems(text: str) -> set[str]:
    return {_stem(w) for w in search.WORD.findall(text.casefold()) if w not in STOPWORDS}


def lexical_score(query: str, text: str) -> float:
    """Cosine of the two sets of content-word stems: 1 for the same words,
    0 for none in common."""
    a, b = content_stems(query), content_stems(text)
    if not a or not b:
        return 0.0
    return len(a & b) / float(np.sqrt(len(a) * len(b)))


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float
    semantic: float
    lexical: float


def similar(
    text: str,
    queryset: QuerySet,
    *,
    limit: int = 5,
    exclude: tuple[int, ...] = (),
    mode: Mode = "hybrid",
) -> list[Match]:
    """The claims of ``queryset`` most likely to state the same as ``text``,
    best first, with scores between 0 and 1."""
    text = text.strip()
    limit = max(1, min(limit, MAX_LIMIT))
    if not search.words(text):
        return []
    vector = embed([text])[0]
    semantic: dict[int, float] = {}
    if mode != "lexical":
        semantic = index.top(vector, SEMANTIC_CANDIDATES)
    candidates = set(semantic)
    if mode == "lexical":
        # Only for comparison: hybrid ranking re-scores the semantic
        # candidates, which a same-worded claim is always among, and so never
        # pays for an any-word full-text query that matches most of a corpus.
        lexical_ids = search.search(queryset, text, any_word=True).order_by("-search_rank")
        candidates.update(lexical_ids.values_list("pk", flat=True)[:LEXICAL_CANDIDATES])
    candidates.difference_update(exclude)
    rows = dict(queryset.filter(pk__in=candidates).values_list("pk", "claim_text").order_by())
    if mode != "lexical":
        missing = [pk for pk in rows if pk not in semantic]
        semantic.update(index.score_of(vector, missing))
    matches = []
    for pk, claim_text in rows.items():
        sem = max(0.0, min(1.0, semantic.get(pk, 0.0)))
        lex = lexical_score(text, claim_text)
        if mode == "semantic":
            score = sem
        elif mode == "lexical":
            score = lex
        else:
            score = SEMANTIC_WEIGHT * sem + (1 - SEMANTIC_WEIGHT) * lex
        if score > 0:
            matches.append(Match(pk, round(score, 4), round(sem, 4), round(lex, 4)))
    matches.sort(key=lambda m: (-m.score, -m.claim_id))
    return matches[:limit]


def similar_to_claim(claim: Claim, queryset: QuerySet, *, limit: int = 5) -> list[Match]:
    """Claims like ``claim`` in ``queryset``, never itself nor the claim it
    corrects (or its working copy)."""
    exclude = {claim.pk, claim.correction_of_id} - {None}
    exclude.update(Claim.objects.filter(correction_of=claim).values_list("pk", flat=True))
    return similar(text_of(claim), queryset, limit=limit, exclude=tuple(exclude))
