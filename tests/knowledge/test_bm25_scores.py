"""The saved BM25 index scored without bm25s gives bm25s's own scores, bit for bit."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from knowledge import load_knowledge_base
from knowledge.retrieval.bm25 import Bm25Scores
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.lexical import expand, tokens


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = load_knowledge_base()
    corpus = [tokens(clause.text) for policy in kb.policies for clause in policy.clauses]
    folder = tmp_path_factory.mktemp("bm25")
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    model.save(str(folder))
    return folder


def test_same_scores_as_bm25s(saved: Path) -> None:
    reference = bm25s.BM25.load(str(saved))
    ours = Bm25Scores.load(saved)
    queries = [tokens(expand(q.q)) for q in load_questions()] + [["不在词表里的词"], ["专利", "专利", "不在词表里的词"]]
    for words in queries:
        if not words:
            continue
        expected = reference.get_scores(words)
        got = ours.get_scores(words)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected), words


def test_bm25s_and_faiss_stay_off_the_question_path() -> None:
    import subprocess
    import sys

    code = (
        "import sys, knowledge.retrieval, knowledge.retrieval.index;"
        "print(sorted(m for m in ('bm25s', 'scipy', 'faiss') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
