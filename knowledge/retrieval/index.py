"""The persisted hybrid index: dense vectors (numpy + faiss) + BM25 (lexical) + the passages, with a manifest.

The manifest records the model id, the dimension, the hash of every policy file and of the
lexicon, a content hash of every policy, and the dense index type; anything stale or missing is
rebuilt automatically. A build writes into a temporary folder and renames it into place, so a
reader never sees half an index.

Rebuilds are incremental, and cost what changed plus a few vectorised passes over the corpus.
Every passage is keyed by the SHA-256 of the text the encoder sees (``Passage.context``); the
previous index's ``vectors.npy`` + ``keys.npy`` are that store (passage hash → vector), so a
rebuild embeds only new or changed passages. A policy whose content hash is unchanged also keeps
its rows as they are: its line of ``passages.tsv`` (copied as bytes, not parsed), its vectors and
its term counts (``terms.npz``: what BM25 needs of the jieba tokens), so only changed policies are
chunked and tokenised; the BM25 scores are recomputed from the counts (``bm25.TermCounts``). Nothing
is reused from a folder whose manifest is missing, unreadable or written for another model or
format; after a lexicon change only the vectors are (every passage is tokenised again), and a
damaged file loses only what it holds.

The dense side is exact (inner product over all vectors) below ``ANN_MIN_PASSAGES`` passages and
an inverted-file index (faiss ``IndexIVFFlat``) from there on; the threshold and the IVF settings
were chosen by measurement (``benchmarks/bench_scale.py``, ``benchmarks/results/scale.md``) and the
choice is written in the manifest under ``dense``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.base import POLICY_DIR, REGIONS_FILE, KnowledgeBase
from knowledge.model import Policy
from knowledge.retrieval.bm25 import Bm25Scores, TermCounts, join_counts
from knowledge.retrieval.config import RetrievalConfig
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.lexical import LEXICON_DIR, tokens
from knowledge.retrieval.passages import MAX_TOKENS, Passage, clause_passages

if TYPE_CHECKING:
    import faiss

# faiss is imported where an ANN index is built or read: a question against an exact index does
# without it (≈ 0.2 s of a cold ``incentives ask``).

log = logging.getLogger(__name__)
INDEX_FORMAT = 3

# Dense index choice (measured in benchmarks/results/scale.md): exact search costs ~0.1 ms per
# 1,000 passages on one core, so it stays exact below this count; IVF pays above it.
ANN_MIN_PASSAGES = 50_000
IVF_LISTS_PER_SQRT = 4  # nlist = 4·√n (faiss's rule of thumb is 4–16·√n)
IVF_NPROBE_SHARE = 0.06  # probe ~6% of the lists: recall@10 ≥ 0.95 against exact search (measured)
IVF_TRAIN_PER_LIST = 40  # k-means on at most 40 vectors per list (faiss warns below 39)
CANDIDATES = 200  # ANN mode: dense candidates per query (the fusion's pool, with BM25's top)


@dataclass(frozen=True)
class DenseChoice:
    """Which faiss index the dense side uses for ``n`` passages, and its settings."""

    kind: str  # "flat" (exact) | "ivf"
    nlist: int = 0
    nprobe: int = 0

    @classmethod
    def for_count(cls, n: int, *, ann_min: int = ANN_MIN_PASSAGES) -> DenseChoice:
        if n < ann_min:
            return cls("flat")
        nlist = max(1, int(IVF_LISTS_PER_SQRT * math.sqrt(n)))
        return cls("ivf", nlist, max(1, math.ceil(nlist * IVF_NPROBE_SHARE)))

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "nlist": self.nlist, "nprobe": self.nprobe}


def dense_rule() -> dict[str, Any]:
    """The settings that decide the dense index; a change invalidates every index."""
    return {
        "ann_min_passages": ANN_MIN_PASSAGES,
        "ivf_lists_per_sqrt": IVF_LISTS_PER_SQRT,
        "ivf_nprobe_share": IVF_NPROBE_SHARE,
    }


@dataclass
class HybridIndex:
    passages: list[Passage]
    vectors: np.ndarray  # (n, d) float32, normalised; row i is passages[i]
    ann: faiss.Index | None  # None: exact search over ``vectors``
    lexical: Bm25Scores
    manifest: dict[str, Any]
    policy_ids: tuple[str, ...] = ()
    policy_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # ANN mode only: exact mean and second moment of the scores' inputs, so the fusion can
    # standardise dense scores over all passages while computing only the candidates' scores.
    mean_vector: np.ndarray | None = None
    second_moment: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not self.policy_ids:
            order = {pid: None for pid in (p.policy_id for p in self.passages)}
            self.policy_ids = tuple(order)
        position = {pid: i for i, pid in enumerate(self.policy_ids)}
        self.policy_of = np.fromiter((position[p.policy_id] for p in self.passages), np.int32, len(self.passages))

    def mask(self, policies: set[str] | None) -> np.ndarray:
        """Boolean mask of the passages of ``policies`` (None: all)."""
        if policies is None:
            return np.ones(len(self.passages), dtype=bool)
        wanted = [i for i, pid in enumerate(self.policy_ids) if pid in policies]
        return np.isin(self.policy_of, np.asarray(wanted, dtype=np.int32))


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def passage_key(context: str) -> bytes:
    """The store's key of a passage: SHA-256 of exactly what the encoder sees."""
    return hashlib.sha256(context.encode("utf-8")).digest()


def policy_hash(policy: Policy) -> str:
    return hashlib.sha256(policy.model_dump_json().encode("utf-8")).hexdigest()


def lexicon_hash() -> str:
    files = sorted(p for p in LEXICON_DIR.iterdir() if p.is_file())
    return hashlib.sha256("".join(_hash(p) for p in files).encode()).hexdigest()


def expected_manifest(
    embedder: Embedder, kb: KnowledgeBase | None = None, *, policy_hashes: dict[str, str] | None = None
) -> dict[str, Any]:
    """What a current index's manifest must hold; with ``kb``, also each policy's content hash
    (for a knowledge base loaded from elsewhere than the packaged policies; ``policy_hashes``:
    those hashes when already computed)."""
    want: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "model": embedder.name,
        "dense_rule": dense_rule(),
        "max_tokens": MAX_TOKENS,
    }
    if kb is None:
        files = sorted(POLICY_DIR.glob("*/*.yaml")) + sorted(LEXICON_DIR.iterdir()) + [REGIONS_FILE]
        want["files"] = {f"{p.parent.name}/{p.name}": _hash(p) for p in files if p.is_file()}
    else:
        want["lexicon"] = lexicon_hash()
        want["policies"] = policy_hashes or {p.id: policy_hash(p) for p in kb.policies}
    return want


def index_dir(config: RetrievalConfig, embedder: Embedder) -> Path:
    slug = hashlib.sha256(embedder.name.encode()).hexdigest()[:12]
    return config.cache_dir / "index" / slug


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        value = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _is_current(folder: Path, want: dict[str, Any]) -> bool:
    have = _read_manifest(folder)
    return have is not None and all(have.get(key) == value for key, value in want.items())


@dataclass(frozen=True)
class _Segment:
    """One policy's rows in a built index: ``passages.tsv`` line, content hash, row range."""

    policy_hash: str
    start: int
    stop: int
    line: bytes


@dataclass
class _Previous:
    """What a rebuild may reuse from the index it replaces."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 32), np.uint8))  # row → passage hash
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    segments: dict[str, _Segment] = field(default_factory=dict)  # policy id → its rows (same lexicon only)
    counts: TermCounts = field(default_factory=TermCounts.empty)
    dense: dict[str, Any] = field(default_factory=dict)  # the previous manifest's dense choice

    def vector_rows(self) -> dict[bytes, int]:
        """Passage hash → row (built only when something must be looked up by hash)."""
        return {key.tobytes(): row for row, key in enumerate(self.keys)}


def _passage_line(policy: Policy, digest: str, passages: Sequence[Passage]) -> bytes:
    """The policy's fields once, then per passage what differs (rows, not dicts: half the load time)."""
    rows = [[p.id, p.clause_id, p.path, p.headings, p.text] for p in passages]
    shared = [policy.id, policy.title, policy.doc_no, policy.jurisdiction.name]
    return f"{policy.id}\t{digest}\t{len(passages)}\t{json.dumps([shared, rows], ensure_ascii=False)}\n".encode()


def _segments(folder: Path) -> dict[str, _Segment]:
    """``passages.tsv``: one line per policy, in index order (id, content hash, passage count, passages as JSON)."""
    segments: dict[str, _Segment] = {}
    start = 0
    for line in (folder / "passages.tsv").read_bytes().split(b"\n")[:-1]:
        line += b"\n"
        policy_id, digest, count, _ = line.split(b"\t", 3)
        stop = start + int(count)
        segments[policy_id.decode()] = _Segment(digest.decode(), start, stop, line)
        start = stop
    return segments


def _previous(folder: Path, embedder: Embedder) -> _Previous:
    have = _read_manifest(folder)
    if have is None or have.get("format") != INDEX_FORMAT or have.get("model") != embedder.name:
        return _Previous()
    # Whatever is damaged (a truncated .npz, a torn line) only loses what it holds: the vectors and
    # the per-policy rows are read apart, so a bad term file does not cost re-embedding everything.
    try:
        keys = np.load(folder / "keys.npy")
        vectors = np.load(folder / "vectors.npy")
        if keys.ndim != 2 or keys.shape[1] != 32 or len(keys) != len(vectors):
            return _Previous()
        previous = _Previous(keys, vectors)
    except Exception as exc:  # a cache: anything unreadable is rebuilt
        log.warning("the vectors in %s cannot be reused (%s); embedding everything", folder, exc)
        return _Previous()
    try:
        if have.get("lexicon") == lexicon_hash() and have.get("max_tokens") == MAX_TOKENS:
            segments = _segments(folder)
            counts = TermCounts.load(folder / "terms.npz")
            rows = max((s.stop for s in segments.values()), default=0)
            if rows == len(vectors) == counts.rows:
                previous.segments, previous.counts = segments, counts
    except Exception as exc:  # a cache: the passages are chunked and tokenised again
        log.warning("the passages and term counts in %s cannot be reused (%s)", folder, exc)
    dense = have.get("dense")
    previous.dense = dense if isinstance(dense, dict) else {}
    return previous


def _read_passages(folder: Path) -> list[Passage]:
    passages = []
    for line in (folder / "passages.tsv").read_text(encoding="utf-8").split("\n")[:-1]:  # not splitlines: U+2028
        (policy_id, title, doc_number, region), rows = json.loads(line.split("\t", 3)[3])
        for pid, clause_id, path, headings, text in rows:
            passages.append(Passage(pid, policy_id, title, doc_number, region, clause_id, path, tuple(headings), text))
    return passages


def build_dense(
    vectors: np.ndarray, choice: DenseChoice, *, seed: int = 0, trained: Path | None = None
) -> faiss.Index | None:
    """The ANN index for ``choice`` (None for exact search, which reads ``vectors`` directly).

    ``trained``: a previous IVF index file with the same number of lists, whose coarse centroids
    are kept (its lists emptied, every vector added again) instead of training new ones. At
    100,000 passages training took 7 of a one-document rebuild's 20 s; the centroids of a corpus
    that changed by one document partition it as well (a new knowledge base is trained afresh:
    see ``build_report``).
    """
    if choice.kind == "flat":
        return None
    if choice.kind != "ivf":
        raise ValueError(f"unknown dense index type {choice.kind!r}")
    import faiss

    if trained is not None:
        try:
            index = faiss.read_index(str(trained))
            ivf = faiss.extract_index_ivf(index)
            if ivf.nlist == choice.nlist and ivf.d == vectors.shape[1] and ivf.is_trained:
                index.reset()
                index.add(vectors)
                return index
        except RuntimeError:  # an unreadable file: train afresh
            pass
    dim = vectors.shape[1]
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFFlat(quantizer, dim, choice.nlist, faiss.METRIC_INNER_PRODUCT)
    sample = min(len(vectors), choice.nlist * IVF_TRAIN_PER_LIST)
    rows = np.random.default_rng(seed).choice(len(vectors), sample, replace=False) if sample < len(vectors) else None
    ivf.train(vectors if rows is None else vectors[np.sort(rows)])
    ivf.add(vectors)
    ivf.nprobe = choice.nprobe
    return ivf


@dataclass(frozen=True)
class BuildReport:
    """What a build did: how many passages it had and how many it had to embed."""

    folder: Path
    passages: int
    embedded: int
    reused_policies: int
    dense: DenseChoice


def build(
    kb: KnowledgeBase,
    embedder: Embedder,
    config: RetrievalConfig,
    *,
    progress: bool | None = None,
    packaged: bool = True,
    ann_min: int = ANN_MIN_PASSAGES,
) -> Path:
    """Write the index of ``kb`` (embedding only passages not in the previous index); returns its folder.

    ``packaged``: ``kb`` is the packaged knowledge base (the manifest records the files' hashes,
    as ``load`` expects); otherwise it records each policy's content hash.
    """
    return build_report(kb, embedder, config, progress=progress, packaged=packaged, ann_min=ann_min).folder


def build_report(
    kb: KnowledgeBase,
    embedder: Embedder,
    config: RetrievalConfig,
    *,
    progress: bool | None = None,
    packaged: bool = True,
    ann_min: int = ANN_MIN_PASSAGES,
) -> BuildReport:
    """``build``, returning what was embedded and reused."""
    target = index_dir(config, embedder)
    with _build_lock(target):
        return _build_locked(kb, embedder, target, progress=progress, packaged=packaged, ann_min=ann_min)


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """One builder at a time per index folder (the website and the action server may start together):
    a second waits, then reads the first one's index as its previous one and reuses all of it."""
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(f"{target.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_locked(
    kb: KnowledgeBase, embedder: Embedder, target: Path, *, progress: bool | None, packaged: bool, ann_min: int
) -> BuildReport:
    show = sys.stderr.isatty() if progress is None else progress
    previous = _previous(target, embedder)

    # Per policy, in order: its previous rows (unchanged content) or its passages chunked afresh.
    parts: list[_Segment | list[Passage]] = []
    hashes: dict[str, str] = {}
    digests: list[str] = []  # each policy's own (two policies may share an id; each line keeps its own)
    for policy in kb.policies:
        digest = hashes[policy.id] = policy_hash(policy)
        digests.append(digest)
        kept = previous.segments.get(policy.id)
        if kept is not None and kept.policy_hash == digest:
            parts.append(kept)
        else:
            parts.append(
                [p for clause in policy.clauses for p in clause_passages(policy, clause, embedder.count_tokens)]
            )
    total = sum(p.stop - p.start if isinstance(p, _Segment) else len(p) for p in parts)
    if not total:
        raise ValueError("the knowledge base has no passages to index")

    fresh = [passage for part in parts if isinstance(part, list) for passage in part]
    fresh_keys = [passage_key(p.context) for p in fresh]
    known = previous.vector_rows() if fresh else {}
    todo: dict[bytes, str] = {}  # passage hash → text, each new text once
    for key, passage in zip(fresh_keys, fresh, strict=True):
        if key not in known:
            todo.setdefault(key, passage.context)
    embedded: dict[bytes, np.ndarray] = {}
    if todo:
        vectors_of_todo = embedder.passages(list(todo.values()), progress=show)
        embedded = dict(zip(todo, np.asarray(vectors_of_todo, dtype=np.float32), strict=True))

    vector_parts: list[np.ndarray] = []
    key_parts: list[np.ndarray] = []
    count_parts: list[TermCounts | list[list[str]]] = []
    lines: list[bytes] = []
    at = 0  # position in ``fresh``
    for policy, digest, part in zip(kb.policies, digests, parts, strict=True):
        if isinstance(part, _Segment):
            vector_parts.append(previous.vectors[part.start : part.stop])
            key_parts.append(previous.keys[part.start : part.stop])
            count_parts.append(previous.counts.slice(part.start, part.stop))
            lines.append(part.line)
            continue
        keys = fresh_keys[at : at + len(part)]
        at += len(part)
        if part:
            rows = [embedded[k] if k in embedded else previous.vectors[known[k]] for k in keys]
            vector_parts.append(np.stack(rows).astype(np.float32))
            key_parts.append(np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 32))
        count_parts.append([tokens(p.context) for p in part])
        lines.append(_passage_line(policy, digest, part))
    vectors = np.concatenate(vector_parts)
    counts = join_counts(count_parts)
    lexical = Bm25Scores.from_counts(counts)

    choice = DenseChoice.for_count(total, ann_min=ann_min)
    # The previous centroids are kept while the lists' count is unchanged and most vectors are old
    # (a rebuild after some documents changed); otherwise k-means runs again.
    keep = previous.dense.get("type") == "ivf" and previous.dense.get("nlist") == choice.nlist
    trained = target / "dense.faiss" if keep and len(todo) <= total // 10 else None
    ann = build_dense(vectors, choice, trained=trained)

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    np.save(work / "vectors.npy", vectors)
    # uint8 rows, not numpy bytes ("S32" drops a digest's trailing NUL bytes: 1 key in 256 lost)
    np.save(work / "keys.npy", np.concatenate(key_parts))
    if ann is not None:
        import faiss

        faiss.write_index(ann, str(work / "dense.faiss"))
        mean, second = _moments(vectors)
        np.savez(work / "moments.npz", mean=mean, second=second)
    counts.save(work / "terms.npz")
    lexical.save(work / "bm25.npz")
    (work / "passages.tsv").write_bytes(b"".join(lines))
    manifest = {
        **expected_manifest(embedder, None if packaged else kb, policy_hashes=hashes),
        "lexicon": lexicon_hash(),
        "policy_hashes": hashes,
        "dimension": int(vectors.shape[1]),
        "passages": total,
        "dense": {**choice.to_dict(), "threshold_passages": ann_min},
        "embedded_in_this_build": len(embedded),
    }
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if target.exists():
        shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    reused = sum(isinstance(p, _Segment) for p in parts)
    return BuildReport(target, total, len(embedded), reused, choice)


def load(kb: KnowledgeBase, embedder: Embedder, config: RetrievalConfig) -> HybridIndex:
    """Load the index, building or rebuilding it first when missing or stale."""
    folder = index_dir(config, embedder)
    if not _is_current(folder, expected_manifest(embedder)):
        log.info("building the retrieval index in %s", folder)
        print("正在建立政策条款检索索引（首次使用或政策文件已更新）…", file=sys.stderr)
        build(kb, embedder, config)
    try:
        return load_folder(folder)
    except Exception as exc:  # a damaged file behind a current manifest (a crash mid-write): rebuild once
        log.warning("the retrieval index in %s cannot be read (%s); rebuilding it", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        build(kb, embedder, config)
        return load_folder(folder)


def single_threaded_blas() -> None:
    """One BLAS thread for this process's numpy, as for torch (``INCENTIVES_TORCH_THREADS``).

    Measured on the busy 2-core machine: the exact scores of 3,200 passages (a 3,200×384
    matrix-vector product) took 24 ms p50 with OpenBLAS's default two threads, 0.07 ms with one.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def load_folder(folder: Path) -> HybridIndex:
    """Read a built index (no staleness check: ``load`` does that)."""
    single_threaded_blas()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    passages = _read_passages(folder)
    vectors = np.load(folder / "vectors.npy")
    dense = manifest.get("dense", {})
    ann = None
    if dense.get("type", "flat") != "flat":
        import faiss

        ann = faiss.read_index(str(folder / "dense.faiss"))
        faiss.extract_index_ivf(ann).nprobe = int(dense["nprobe"])
    terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
    lexical = Bm25Scores.load(folder / "bm25.npz", terms)
    if (
        len(vectors) != len(passages)
        or lexical.num_docs != len(passages)
        or (ann is not None and ann.ntotal != len(passages))
    ):
        raise RuntimeError(f"retrieval index in {folder} is inconsistent; delete the folder to rebuild it")
    index = HybridIndex(passages, vectors, ann, lexical, manifest)
    if ann is not None:
        with (folder / "moments.npz").open("rb") as handle, np.load(handle, allow_pickle=False) as moments:
            index.mean_vector, index.second_moment = moments["mean"], moments["second"]
    return index


def _moments(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and second moment of the passage vectors (ANN mode's exact score statistics; see ``dense_stats``)."""
    wide = vectors.astype(np.float64)
    return wide.mean(axis=0), (wide.T @ wide) / len(vectors)


def dense_scores(index: HybridIndex, query_vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Exact inner products: for every passage, or for ``rows`` only (the rest are -1)."""
    query = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    if rows is None:
        return np.asarray(index.vectors @ query, dtype=np.float32)
    out = np.full(len(index.passages), -1.0, dtype=np.float32)
    out[rows] = index.vectors[rows] @ query
    return out


def dense_candidates(index: HybridIndex, query_vector: np.ndarray, extra: Sequence[int] = ()) -> np.ndarray:
    """ANN mode: the ``CANDIDATES`` nearest passages plus ``extra`` (e.g. BM25's best), sorted ids."""
    assert index.ann is not None
    _, ids = index.ann.search(np.asarray(query_vector, dtype=np.float32).reshape(1, -1), CANDIDATES)
    found = ids[0][ids[0] >= 0]
    return np.unique(np.concatenate([found, np.asarray(extra, dtype=np.int64)]))


def dense_stats(index: HybridIndex, query_vector: np.ndarray) -> tuple[float, float]:
    """ANN mode: exact mean and standard deviation of the query's scores over all passages."""
    assert index.mean_vector is not None and index.second_moment is not None
    query = np.asarray(query_vector, dtype=np.float64).reshape(-1)
    mean = float(index.mean_vector @ query)
    variance = float(query @ index.second_moment @ query) - mean * mean
    return mean, math.sqrt(max(variance, 0.0))
