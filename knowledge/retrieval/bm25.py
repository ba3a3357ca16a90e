"""bm25s's saved index, read and scored without importing bm25s.

bm25s imports scipy.sparse at start-up (≈ 0.15 s of a cold ``incentives ask`` on this machine), which
only its index *building* needs. Scoring a question against a saved ("eager") index is a sum of
precomputed per-term scores, read from the three CSC arrays bm25s saves: ``get_scores`` below does
what ``bm25s.BM25.get_scores`` (0.3.x) does, step for step (the same ``np.add.at`` per term, in the
same order and dtype), so the scores are equal bit for bit (tested against bm25s on every question).
Building still uses bm25s (``index.build``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_NEEDS_NONOCCURRENCE = ("bm25l", "bm25+")  # bm25s's methods_requiring_nonoccurrence


@dataclass(frozen=True)
class Bm25Scores:
    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    num_docs: int
    dtype: np.dtype
    int_dtype: np.dtype
    nonoccurrence: np.ndarray | None = None

    @classmethod
    def load(cls, folder: Path) -> Bm25Scores:
        """The folder ``bm25s.BM25.save`` wrote (its default file names)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        nonoccurrence = None
        if params.get("method", "lucene") in _NEEDS_NONOCCURRENCE:
            path = folder / "nonoccurrence_array.index.npy"
            if not path.exists():
                raise FileNotFoundError(f"Non-occurrence array not found at {path}")
            nonoccurrence = np.load(path, allow_pickle=False)
        return cls(
            vocab={str(token): int(i) for token, i in vocab.items()},
            data=np.load(folder / "data.csc.index.npy", allow_pickle=False),
            indices=np.load(folder / "indices.csc.index.npy", allow_pickle=False),
            indptr=np.load(folder / "indptr.csc.index.npy", allow_pickle=False),
            num_docs=int(params["num_docs"]),
            dtype=np.dtype(params.get("dtype", "float32")),
            int_dtype=np.dtype(params.get("int_dtype", "int32")),
            nonoccurrence=nonoccurrence,
        )

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        """The BM25 score of every document for ``query_tokens`` (terms not in the index are skipped)."""
        ids = np.asarray([self.vocab[t] for t in query_tokens if t in self.vocab], dtype=self.int_dtype)
        if int(ids.max(initial=0)) >= len(self.indptr) - 1:
            raise ValueError("a query token id is beyond the index's vocabulary")
        starts, ends = self.indptr[ids], self.indptr[ids + 1]
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for i in range(len(ids)):
            start, end = starts[i], ends[i]
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        if self.nonoccurrence is not None:
            scores += self.nonoccurrence[ids].sum()
        return scores
