"""BM25 built from stored term counts and scored without bm25s gives bm25s's own scores, bit for bit."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from knowledge import load_knowledge_base
from knowledge.retrieval.bm25 import Bm25Scores, TermCounts, count_terms, join_counts
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.lexical import expand, tokens

KB = load_knowledge_base()
CORPUS = [tokens(clause.text) for policy in KB.policies for clause in policy.clauses]
QUERIES = [tokens(expand(q.q)) for q in load_questions()] + [["不在词表里的词"], ["专利", "专利", "不在词表里的词"]]


@pytest.fixture(scope="module")
def reference() -> bm25s.BM25:
    model = bm25s.BM25()
    model.index(CORPUS, show_progress=False)
    return model


def _assert_same(ours: Bm25Scores, reference: bm25s.BM25) -> None:
    for words in QUERIES:
        if not words:
            continue
        expected = reference.get_scores(words)
        got = ours.get_scores(words)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected), words


def test_same_scores_as_bm25s(reference: bm25s.BM25) -> None:
    ours = Bm25Scores.from_counts(count_terms(CORPUS))
    assert len(ours.data) == len(reference.scores["data"])
    _assert_same(ours, reference)


def test_saved_and_loaded_scores_are_the_same(reference: bm25s.BM25, tmp_path: Path) -> None:
    counts = count_terms(CORPUS)
    counts.save(tmp_path / "terms.npz")
    Bm25Scores.from_counts(counts).save(tmp_path / "bm25.npz")
    loaded = TermCounts.load(tmp_path / "terms.npz")
    assert loaded.terms == counts.terms and np.array_equal(loaded.ids, counts.ids)
    _assert_same(Bm25Scores.load(tmp_path / "bm25.npz", loaded.terms), reference)


def test_counts_joined_from_slices_and_new_tokens_equal_counting_afresh() -> None:
    """A rebuild's matrix: unchanged passages' stored rows, a changed passage counted again, old words dropped."""
    stored = count_terms([["只在旧版本里的词"], *CORPUS[1:]])
    middle = len(CORPUS) // 2
    joined = join_counts(
        [stored.slice(1, middle), [CORPUS[middle]], stored.slice(middle + 1, len(CORPUS)), [CORPUS[0]]]
    )
    order = [*CORPUS[1:middle], CORPUS[middle], *CORPUS[middle + 1 :], CORPUS[0]]
    afresh = count_terms(order)
    assert "只在旧版本里的词" not in joined.terms and set(joined.terms) == set(afresh.terms)
    for row in range(len(order)):
        mine = joined.slice(row, row + 1)
        theirs = afresh.slice(row, row + 1)
        assert {joined.terms[i]: c for i, c in zip(mine.ids, mine.counts, strict=True)} == {
            afresh.terms[i]: c for i, c in zip(theirs.ids, theirs.counts, strict=True)
        }
    model = bm25s.BM25()
    model.index(order, show_progress=False)
    _assert_same(Bm25Scores.from_counts(joined), model)


def test_bm25s_and_faiss_stay_off_the_question_path() -> None:
    import subprocess
    import sys

    code = (
        "import sys, knowledge.retrieval, knowledge.retrieval.index;"
        "print(sorted(m for m in ('bm25s', 'scipy', 'faiss') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
