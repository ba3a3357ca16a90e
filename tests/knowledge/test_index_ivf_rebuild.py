"""A rebuild in IVF mode keeps the previous coarse centroids (no k-means) and indexes every vector again."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from knowledge.retrieval import RetrievalConfig
from knowledge.retrieval.index import build_report, load_folder
from tests.knowledge.test_index_incremental import KB, CountingEmbedder, _edited


def _centroids(folder: Path) -> np.ndarray:
    index = faiss.read_index(str(folder / "dense.faiss"))  # kept alive: the views below point into it
    quantizer = faiss.downcast_index(faiss.extract_index_ivf(index).quantizer)
    return np.array(quantizer.reconstruct_n(0, quantizer.ntotal))


def test_one_document_rebuild_keeps_the_centroids(tmp_path: Path) -> None:
    config = RetrievalConfig(cache_dir=tmp_path)
    embedder = CountingEmbedder(config)
    first = build_report(KB, embedder, config, ann_min=1)
    assert first.dense.kind == "ivf"
    before = _centroids(first.folder)

    policy = KB.policies[0]
    second = build_report(_edited(KB, policy.id, policy.clauses[0].id, "（修订）"), embedder, config, ann_min=1)
    assert second.embedded >= 1 and second.dense.nlist == first.dense.nlist
    assert np.array_equal(_centroids(second.folder), before)
    index = load_folder(second.folder)
    assert index.ann is not None and index.ann.ntotal == len(index.passages)
    # Every passage is in the lists: probing all of them, each vector's best match is itself (or a twin).
    faiss.extract_index_ivf(index.ann).nprobe = second.dense.nlist
    _, ids = index.ann.search(index.vectors, 1)
    assert np.allclose(index.vectors[ids[:, 0]], index.vectors)


def test_a_new_knowledge_base_trains_afresh(tmp_path: Path) -> None:
    config = RetrievalConfig(cache_dir=tmp_path)
    embedder = CountingEmbedder(config)
    build_report(KB.__class__(KB.policies[:2], KB.gazetteer), embedder, config, ann_min=1)
    full = build_report(KB, embedder, config, ann_min=1)  # most passages new: k-means runs again
    index = load_folder(full.folder)
    assert index.ann is not None and index.ann.ntotal == len(index.passages)
