"""Hybrid clause search with citations: dense (faiss) and BM25 fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.retrieval.config import MAX_QUESTION_CHARS, RetrievalConfig
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.index import HybridIndex, dense_scores, load
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


def rank(scores: np.ndarray, allowed: np.ndarray) -> list[int]:
    order = np.argsort(-scores, kind="stable")
    return [int(i) for i in order if allowed[i]]


class Retriever:
    """Loads lazily: the model and index are read on the first search, not at import."""

    def __init__(self, config: RetrievalConfig | None = None, knowledge: KnowledgeBase | None = None) -> None:
        self.config = config or RetrievalConfig.from_env()
        self.kb = knowledge or load_knowledge_base()
        self.embedder = Embedder(self.config)
        self._index: HybridIndex | None = None

    @property
    def index(self) -> HybridIndex:
        if self._index is None:
            self._index = load(self.kb, self.embedder, self.config)
        return self._index

    def _allowed(self, region: str | None) -> tuple[np.ndarray, str | None, list[str]]:
        passages = self.index.passages
        if region is None:
            return np.ones(len(passages), dtype=bool), None, []
        resolution = self.kb.gazetteer.resolve(region)
        place = resolution.place
        covered = "、".join(self.kb.covered_names())
        if place is None:
            return np.zeros(len(passages), dtype=bool), None, [f"未能识别地区“{region}”。目前已收录：{covered}。"]
        policies = {p.id for p in self.kb.policies_covering(place)}
        if not policies:
            note = f"{place.full_name}的知识产权政策暂未收录。目前已收录：{covered}。"
            return np.zeros(len(passages), dtype=bool), place.full_name, [note]
        return np.array([p.policy_id in policies for p in passages]), place.full_name, []

    def search(self, question: str, *, region: str | None = None, top_k: int = 3, mode: str | None = None) -> SearchResult:
        text = check_question(question)
        mode = mode or self.config.fusion
        allowed, place, notes = self._allowed(region)
        if not allowed.any():
            return SearchResult(text, region, place, (), tuple(notes))
        index = self.index
        dense = dense_scores(index, self.embedder.query(text)) if mode != "bm25" else np.zeros(len(allowed))
        lexical = (
            np.asarray(index.lexical.get_scores(tokens(expand(text))), dtype=np.float32)
            if mode != "dense"
            else np.zeros(len(allowed))
        )
        if mode == "dense":
            fused = dense.copy()
        elif mode == "bm25":
            fused = lexical.copy()
        else:
            fused = np.zeros(len(allowed), dtype=np.float32)
            for scores in (dense, lexical):
                for position, i in enumerate(rank(scores, allowed)):
                    fused[i] += 1.0 / (RRF_K + position + 1)
        hits: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        for i in rank(fused, allowed):
            passage = index.passages[i]
            key = (passage.policy_id, passage.clause_id)
            if key in seen:  # several chunks of one clause: cite the clause once
                continue
            seen.add(key)
            hits.append(Hit(passage, float(fused[i]), float(dense[i]), float(lexical[i])))
            if len(hits) == top_k:
                break
        return SearchResult(text, region, place, tuple(hits), tuple(notes))
