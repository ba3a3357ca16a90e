"""Clause retrieval: a Chinese hybrid index (dense + BM25) with citations."""

from __future__ import annotations

from knowledge.retrieval.config import RetrievalConfig
from knowledge.retrieval.passages import Passage
from knowledge.retrieval.search import Hit, QuestionError, Retriever, SearchResult, search_to_dict, snippet

__all__ = [
    "Hit",
    "Passage",
    "QuestionError",
    "RetrievalConfig",
    "Retriever",
    "SearchResult",
    "search_to_dict",
    "snippet",
]
