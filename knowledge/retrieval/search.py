"""Hybrid clause search with citations: dense (faiss) and BM25 fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.retrieval.config import MAX_QUESTION_CHARS, RetrievalConfig
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.index import HybridIndex, dense_candidates, dense_scores, dense_stats, load
from knowledge.retrieval.lexical import expand, tokens
from knowledge.retrieval.passages import Passage

RRF_K = 60


class QuestionError(ValueError):
    """The question cannot be searched; ``zh``/``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class SearchResult:
    question: str
    region_query: str | None
    region: str | None  # the resolved place, when a region was given and covered
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = field(default=())


def check_question(question: str) -> str:
    text = question.strip()
    if not text:
        raise QuestionError("问题不能为空", "the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"问题过长（{len(text)}字），请精简到{MAX_QUESTION_CHARS}字以内，不会截断提问",
            f"the question is too long ({len(text)} characters, at most {MAX_QUESTION_CHARS}); it was not truncated",
        )
    return text


def rank(scores: np.ndarray, allowed: np.ndarray, limit: int | None = None) -> list[int]:
    """Allowed ids by descending score, ties in id order; with ``limit``, at least the first
    ``limit`` of that order (every id scoring at least the limit-th score, so ties stay exact)."""
    pool = np.flatnonzero(allowed)
    if limit is not None and len(pool) > limit:
        values = scores[pool]
        cut = np.partition(values, len(values) - limit)[len(values) - limit]
        pool = pool[values >= cut]
    order = pool[np.argsort(-scores[pool], kind="stable")]
    return [int(i) for i in order]


def _standardise(scores: np.ndarray, allowed: np.ndarray, stats: tuple[float, float] | None = None) -> np.ndarray:
    if stats is None:
        pool = scores[allowed]
        stats = (float(pool.mean()), float(pool.std()))
    mean, spread = stats
    return (scores - mean) / spread if spread > 0 else np.zeros_like(scores)


def fuse(
    mode: str,
    dense: np.ndarray,
    lexical: np.ndarray,
    allowed: np.ndarray,
    dense_stats: tuple[float, float] | None = None,
) -> np.ndarray:
    """Combine the two sides. ``hybrid`` (shipped): mean of z-scores over the candidate clauses;
    ``rrf``: reciprocal rank fusion (k=60); ``dense``/``bm25``: one side alone. See the README
    for how each measured on the evaluation set. ``dense_stats`` (mean, standard deviation) is
    given when only some dense scores were computed (approximate-search mode)."""
    if mode == "dense":
        return dense.copy()
    if mode == "bm25":
        return lexical.copy()
    if mode == "rrf":
        reciprocal = np.zeros(len(allowed), dtype=np.float32)
        for scores in (dense, lexical):
            for position, i in enumerate(rank(scores, allowed)):
                reciprocal[i] += 1.0 / (RRF_K + position + 1)
        return reciprocal
    fused: np.ndarray = (_standardise(dense, allowed, dense_stats) + _standardise(lexical, allowed)) / 2
    return fused


class Retriever:
    """Loads lazily: the model and index are read on the first search, not at import."""

    def __init__(
        self,
        config: RetrievalConfig | None = None,
        knowledge: KnowledgeBase | None = None,
        embedder: Embedder | None = None,
        index: HybridIndex | None = None,
    ) -> None:
        """``index``: an index already loaded (e.g. ``index.load_folder``), used as is."""
        self.config = config or RetrievalConfig.from_env()
        self.kb = knowledge or load_knowledge_base()
        self.embedder = embedder or Embedder(self.config)
        self._index: HybridIndex | None = index

    @property
    def index(self) -> HybridIndex:
        if self._index is None:
            self._index = load(self.kb, self.embedder, self.config)
        return self._index

    def _dense(
        self,
        index: HybridIndex,
        text: str,
        mode: str,
        allowed: np.ndarray,
        lexical: np.ndarray,
        unfiltered: bool,
        top_k: int,
    ) -> tuple[np.ndarray, np.ndarray, tuple[float, float] | None]:
        """Dense scores, the passages that may be ranked, and (approximate mode) the scores' statistics.

        Exact inner products for every passage with a flat index, or for the searched policies'
        passages alone; with an approximate index and no filter, exact scores for the index's
        nearest passages plus BM25's best, standardised with the exact mean and spread.
        """
        if mode == "bm25":
            return np.zeros(len(allowed), dtype=np.float32), allowed, None
        query = self.embedder.query(text)
        if not unfiltered:
            return dense_scores(index, query, np.flatnonzero(allowed)), allowed, None
        if index.ann is None or mode == "rrf":
            return dense_scores(index, query), allowed, None
        best_lexical = rank(lexical, allowed, max(64, 8 * top_k))[: max(64, 8 * top_k)]
        rows = dense_candidates(index, query, best_lexical)
        pool = np.zeros(len(allowed), dtype=bool)
        pool[rows] = True
        return dense_scores(index, query, rows), pool, dense_stats(index, query)

    def _mentioned(self, question: str) -> set[str] | None:
        """Policies of a covered place the question names (柞水…目标 → 柞水县's plan), else None."""
        place = self.kb.gazetteer.resolve(question).place
        if place is None:
            return None
        policies = {p.id for p in self.kb.policies_covering(place)}
        return policies or None  # an uncovered or spurious match (提高平均 ⊃ 高平) filters nothing

    def _allowed(self, region: str | None, question: str) -> tuple[set[str] | None, str | None, list[str]]:
        """The policies to search (None = all), the resolved place, and notes for the user."""
        if region is None:
            return self._mentioned(question), None, []
        resolution = self.kb.gazetteer.resolve(region)
        place = resolution.place
        policies = {p.id for p in self.kb.policies_covering(place)} if place else set()
        if not policies:
            notes = self.kb.coverage_notes(place, region, resolution.candidates)
            return set(), place.full_name if place else None, notes
        return policies, place.full_name if place else None, []

    def search(
        self, question: str, *, region: str | None = None, top_k: int = 3, mode: str | None = None
    ) -> SearchResult:
        text = check_question(question)
        mode = mode or self.config.fusion
        policies, place, notes = self._allowed(region, text)
        if policies is not None and not policies:  # an uncovered region: no index needed to say so
            return SearchResult(text, region, place, (), tuple(notes))
        index = self.index
        allowed = index.mask(policies)
        words = tokens(expand(text)) if mode != "dense" else []
        # A question with no searchable word (only emoji or punctuation) has no lexical side:
        # bm25s fails on an empty query, so it scores zero and the dense side ranks alone.
        lexical = np.asarray(index.lexical.get_scores(words), dtype=np.float32) if words else np.zeros(len(allowed))
        dense, pool, stats = self._dense(index, text, mode, allowed, lexical, policies is None, top_k)
        fused = fuse(mode, dense, lexical, allowed, stats)
        hits: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        limit: int | None = max(64, 8 * top_k) if mode != "rrf" else None
        while True:
            order = rank(fused, pool, limit)
            for i in order:
                passage = index.passages[i]
                key = (passage.policy_id, passage.clause_id)
                if key in seen:  # several chunks of one clause: cite the clause once
                    continue
                seen.add(key)
                hits.append(Hit(passage, float(fused[i]), float(dense[i]), float(lexical[i])))
                if len(hits) == top_k:
                    break
            if len(hits) == top_k or limit is None or len(order) < limit:
                break
            hits.clear()  # rare: many chunks of the same clauses; rank everything
            seen.clear()
            limit = None
        return SearchResult(text, region, place, tuple(hits), tuple(notes))


def snippet(text: str, question: str, width: int = 120) -> str:
    """The part of ``text`` around the question's longest matching term (whole text if short)."""
    if len(text) <= width:
        return text
    terms = sorted((t for t in tokens(expand(question)) if len(t) >= 2 and t in text), key=len, reverse=True)
    if not terms:
        return text[:width] + "……"
    at = text.index(terms[0])
    start = max(0, min(at - width // 3, len(text) - width))
    return ("……" if start else "") + text[start : start + width] + ("……" if start + width < len(text) else "")


def search_to_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "question": result.question,
        "region": {"query": result.region_query, "matched": result.region},
        "passages": [
            {
                "policy_title": hit.passage.policy_title,
                "doc_number": hit.passage.doc_number,
                "clause": hit.passage.path,
                "text": hit.passage.text,
                "score": round(hit.score, 4),
                "policy_id": hit.passage.policy_id,
                "clause_id": hit.passage.clause_id,
                "region": hit.passage.region,
            }
            for hit in result.hits
        ],
        "notes": list(result.notes),
    }
