"""The persisted hybrid index: faiss (dense) + bm25s (lexical) + the passages, with a manifest.

The manifest records the model id, the dimension, the hash of every policy file and of
the lexicon; anything stale or missing is rebuilt automatically. A build writes into a
temporary folder and renames it into place, so a reader never sees half an index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from knowledge.base import POLICY_DIR, REGIONS_FILE, KnowledgeBase
from knowledge.retrieval.config import RetrievalConfig
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.lexical import LEXICON_DIR, tokens
from knowledge.retrieval.passages import Passage, build_passages

log = logging.getLogger(__name__)
INDEX_FORMAT = 1


@dataclass
class HybridIndex:
    passages: list[Passage]
    dense: faiss.Index
    lexical: bm25s.BM25
    manifest: dict[str, Any]


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_manifest(embedder: Embedder) -> dict[str, Any]:
    files = sorted(POLICY_DIR.glob("*/*.yaml")) + sorted(LEXICON_DIR.iterdir()) + [REGIONS_FILE]
    return {
        "format": INDEX_FORMAT,
        "model": embedder.name,
        "files": {f"{p.parent.name}/{p.name}": _hash(p) for p in files if p.is_file()},
    }


def index_dir(config: RetrievalConfig, embedder: Embedder) -> Path:
    slug = hashlib.sha256(embedder.name.encode()).hexdigest()[:12]
    return config.cache_dir / "index" / slug


def _is_current(folder: Path, want: dict[str, Any]) -> bool:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return False
    try:
        have = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(have.get(key) == value for key, value in want.items())


def build(kb: KnowledgeBase, embedder: Embedder, config: RetrievalConfig, *, progress: bool | None = None) -> Path:
    """Embed every passage and write the index; returns its folder."""
    show = sys.stderr.isatty() if progress is None else progress
    passages = build_passages(kb, embedder.count_tokens)
    vectors = embedder.passages([p.context for p in passages], progress=show)
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    lexical = bm25s.BM25()
    lexical.index([tokens(p.context) for p in passages], show_progress=False)

    target = index_dir(config, embedder)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    faiss.write_index(dense, str(work / "dense.faiss"))
    lexical.save(str(work / "bm25"))
    (work / "passages.json").write_text(
        json.dumps([p.to_dict() for p in passages], ensure_ascii=False), encoding="utf-8"
    )
    manifest = {**expected_manifest(embedder), "dimension": int(vectors.shape[1]), "passages": len(passages)}
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if target.exists():
        shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return target


def load(kb: KnowledgeBase, embedder: Embedder, config: RetrievalConfig) -> HybridIndex:
    """Load the index, building or rebuilding it first when missing or stale."""
    folder = index_dir(config, embedder)
    if not _is_current(folder, expected_manifest(embedder)):
        log.info("building the retrieval index in %s", folder)
        print("正在建立政策条款检索索引（首次使用或政策文件已更新）…", file=sys.stderr)
        build(kb, embedder, config)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    raw = json.loads((folder / "passages.json").read_text(encoding="utf-8"))
    passages = [Passage(**{**item, "headings": tuple(item["headings"])}) for item in raw]
    dense = faiss.read_index(str(folder / "dense.faiss"))
    lexical = bm25s.BM25.load(str(folder / "bm25"))
    if dense.ntotal != len(passages):
        raise RuntimeError(f"retrieval index in {folder} is inconsistent; delete the folder to rebuild it")
    return HybridIndex(passages, dense, lexical, manifest)


def dense_scores(index: HybridIndex, query_vector: np.ndarray) -> np.ndarray:
    scores, ids = index.dense.search(query_vector, index.dense.ntotal)
    out = np.full(index.dense.ntotal, -1.0, dtype=np.float32)
    out[ids[0]] = scores[0]
    return out
