"""The index's bookkeeping at scale: incremental rebuilds keyed by passage hash, the automatic
dense-index choice, and manifest invalidation (a fake embedder: this tests the index, not the model)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from knowledge import load_knowledge_base
from knowledge.base import KnowledgeBase
from knowledge.retrieval import RetrievalConfig, Retriever
from knowledge.retrieval import index as index_module
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.index import DenseChoice, build_dense, build_report, expected_manifest, load_folder

KB = load_knowledge_base()


class CountingEmbedder(Embedder):
    """Bag-of-characters vectors; counts every passage text it is asked to embed."""

    dim = 64

    def __init__(self, config: RetrievalConfig) -> None:
        super().__init__(config)
        self.name = "counting-embedder"
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for char in text:
            vector[int(hashlib.md5(char.encode()).hexdigest(), 16) % self.dim] += 1
        return vector / (np.linalg.norm(vector) or 1)

    def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)[None, :]

    def count_tokens(self, text: str) -> int:
        return len(text)


def _edited(kb: KnowledgeBase, policy_id: str, clause_id: str, suffix: str) -> KnowledgeBase:
    policy = kb.policy(policy_id)
    clauses = tuple(c.model_copy(update={"text": c.text + suffix}) if c.id == clause_id else c for c in policy.clauses)
    changed = policy.model_copy(update={"clauses": clauses})
    return KnowledgeBase(tuple(changed if p.id == policy_id else p for p in kb.policies), kb.gazetteer)


@pytest.fixture
def config(tmp_path: Path) -> RetrievalConfig:
    return RetrievalConfig(cache_dir=tmp_path)


def test_rebuild_embeds_only_changed_passages(config: RetrievalConfig) -> None:
    embedder = CountingEmbedder(config)
    first = build_report(KB, embedder, config)
    assert first.embedded == first.passages == len(embedder.embedded)
    embedder.embedded.clear()

    kb = _edited(KB, "zzbf-2021-16", "s3.1.3", "（修订）")
    second = build_report(kb, embedder, config)
    assert second.embedded == 1 and len(embedder.embedded) == 1
    assert embedder.embedded[0].endswith("（修订）")
    assert second.reused_policies == len(KB.policies) - 1  # the other documents keep their rows and term counts

    index = load_folder(second.folder)
    edited = next(i for i, p in enumerate(index.passages) if p.clause_id == "s3.1.3" and p.policy_id == "zzbf-2021-16")
    np.testing.assert_allclose(index.vectors[edited], embedder._vector(embedder.embedded[0]), rtol=1e-6)
    assert Retriever(config, kb, embedder, index).search("修订", region="泽州县").hits[0].passage.clause_id == "s3.1.3"

    embedder.embedded.clear()
    third = build_report(kb, embedder, config)  # nothing changed
    assert third.embedded == 0 and embedder.embedded == []


def test_reverting_a_change_reembeds_only_that_passage(config: RetrievalConfig) -> None:
    embedder = CountingEmbedder(config)
    build_report(KB, embedder, config)
    build_report(_edited(KB, "shanghang-2017", "s2.3.8", "甲"), embedder, config)
    embedder.embedded.clear()
    back = build_report(KB, embedder, config)
    assert back.embedded == 1  # the store holds the current index's passages only


def test_nothing_is_reused_without_a_manifest_or_with_another_model(config: RetrievalConfig) -> None:
    embedder = CountingEmbedder(config)
    report = build_report(KB, embedder, config)
    (report.folder / "manifest.json").unlink()
    assert build_report(KB, embedder, config).embedded == report.passages

    manifest_path = report.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["model"] = "some-other-model"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert build_report(KB, embedder, config).embedded == report.passages


def test_manifest_invalidates_on_policy_lexicon_and_rule_changes(
    config: RetrievalConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = CountingEmbedder(config)
    folder = build_report(KB, embedder, config, packaged=False).folder
    current = expected_manifest(embedder, KB)
    assert index_module._is_current(folder, current)
    edited = _edited(KB, "hzz-2022-73", next(iter(KB.policy("hzz-2022-73").clauses)).id, "乙")
    assert not index_module._is_current(folder, expected_manifest(embedder, edited))
    monkeypatch.setattr(index_module, "lexicon_hash", lambda: "0" * 64)
    assert not index_module._is_current(folder, expected_manifest(embedder, KB))
    monkeypatch.undo()
    monkeypatch.setattr(index_module, "ANN_MIN_PASSAGES", 10)  # a new dense rule: every index is stale
    assert not index_module._is_current(folder, expected_manifest(embedder, KB))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dense"]["type"] == "flat" and manifest["dense"]["threshold_passages"] > manifest["passages"]


def test_dense_choice_switches_at_the_threshold() -> None:
    below = DenseChoice.for_count(index_module.ANN_MIN_PASSAGES - 1)
    above = DenseChoice.for_count(index_module.ANN_MIN_PASSAGES)
    assert below.kind == "flat" and above.kind == "ivf"
    assert above.nlist >= 4 and 1 <= above.nprobe < above.nlist


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Vectors shaped like the synthetic knowledge base: a few hundred clause templates, each
    repeated at many places with small noise, normalised."""
    rng = np.random.default_rng(seed)
    templates = rng.normal(size=(300, dim)).astype(np.float32)
    vectors = templates[rng.integers(0, len(templates), n)] + rng.normal(0, 0.35, (n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_automatic_choice_keeps_recall_at_10(monkeypatch: pytest.MonkeyPatch) -> None:
    n, dim = 12_000, 64
    vectors = _clustered(n, dim, seed=1)
    queries = _clustered(200, dim, seed=2)
    choice = DenseChoice.for_count(n, ann_min=1_000)
    assert choice.kind == "ivf"
    ann = build_dense(vectors, choice)
    assert ann is not None
    _, found = ann.search(queries, 10)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact, strict=True)])
    assert recall >= 0.95


def test_search_through_an_ivf_index_matches_exact_search(
    config: RetrievalConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "IVF_NPROBE_SHARE", 1.0)  # every list probed: all 160 passages are candidates
    embedder = CountingEmbedder(config)
    flat = Retriever(config, KB, embedder, load_folder(build_report(KB, embedder, config).folder))
    other = RetrievalConfig(cache_dir=config.cache_dir / "ivf")
    report = build_report(KB, embedder, other, ann_min=1)
    assert report.dense.kind == "ivf"
    ivf = Retriever(other, KB, embedder, load_folder(report.folder))
    assert ivf.index.ann is not None and flat.index.ann is None
    for question in ("专利质押贷款有贴息吗", "地理标志商标奖励多少", "贯标"):
        a = [(h.passage.id, round(h.score, 4)) for h in flat.search(question, top_k=5).hits]
        b = [(h.passage.id, round(h.score, 4)) for h in ivf.search(question, top_k=5).hits]
        assert a == b  # 160 passages: the candidates are all of them; the exact moments give the same z-scores


def test_store_keys_survive_trailing_nul_bytes(config: RetrievalConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest ending in NUL bytes must still be found (numpy's bytes dtype would strip them)."""
    monkeypatch.setattr(
        index_module, "passage_key", lambda context: hashlib.sha256(context.encode()).digest()[:30] + b"\0\0"
    )
    embedder = CountingEmbedder(config)
    build_report(KB, embedder, config)
    assert build_report(KB, embedder, config).embedded == 0


def test_a_rebuild_gives_the_index_a_build_from_nothing_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reused rows (passages, vectors, term counts) + one changed policy = the edited knowledge base built afresh."""
    kb = _edited(
        KB, "hzz-2022-73", next(iter(KB.policy("hzz-2022-73").clauses)).id, "（新增一句：专利导航项目另行奖励。）"
    )
    incremental = RetrievalConfig(cache_dir=tmp_path / "incremental")
    embedder = CountingEmbedder(incremental)
    build_report(KB, embedder, incremental)
    tokenised: list[str] = []
    real_tokens = index_module.tokens
    monkeypatch.setattr(index_module, "tokens", lambda text: tokenised.append(text) or real_tokens(text))
    rebuilt = load_folder(build_report(kb, embedder, incremental).folder)
    changed = [p.context for p in rebuilt.passages if p.policy_id == "hzz-2022-73"]
    assert tokenised == changed  # only the changed policy's passages were tokenised again
    monkeypatch.undo()

    afresh_config = RetrievalConfig(cache_dir=tmp_path / "afresh")
    afresh = load_folder(build_report(kb, CountingEmbedder(afresh_config), afresh_config).folder)
    assert rebuilt.passages == afresh.passages
    assert np.array_equal(rebuilt.vectors, afresh.vectors)
    assert set(rebuilt.lexical.vocab) == set(afresh.lexical.vocab)
    from knowledge.retrieval.evaluate import load_questions
    from knowledge.retrieval.lexical import expand

    for question in [q.q for q in load_questions()] + ["专利导航项目另行奖励"]:
        words = real_tokens(expand(question))
        assert np.array_equal(rebuilt.lexical.get_scores(words), afresh.lexical.get_scores(words)), question


def test_passage_text_with_line_separators_survives(config: RetrievalConfig) -> None:
    """The passages file is one line per policy: a clause holding U+2028 or a carriage return stays one passage."""
    kb = _edited(KB, "zzbf-2021-16", "s3.1.3", "\u2028第二行\r\n第三行\u0085")
    index = load_folder(build_report(kb, CountingEmbedder(config), config).folder)
    edited = next(p for p in index.passages if p.policy_id == "zzbf-2021-16" and p.clause_id == "s3.1.3")
    assert edited.text.endswith("\u2028第二行\r\n第三行\u0085")
    assert [p.id for p in index.passages] == [
        p.id for p in load_folder(build_report(KB, CountingEmbedder(config), config).folder).passages
    ]


def test_a_damaged_term_file_costs_the_counts_not_the_vectors(config: RetrievalConfig) -> None:
    embedder = CountingEmbedder(config)
    report = build_report(KB, embedder, config)
    (report.folder / "terms.npz").write_bytes((report.folder / "terms.npz").read_bytes()[:100])  # torn write
    embedder.embedded.clear()
    again = build_report(_edited(KB, "zzbf-2021-16", "s3.1.3", "（修订）"), embedder, config)
    assert again.embedded == 1 and again.reused_policies == 0  # re-tokenised, not re-embedded


@pytest.mark.parametrize("damaged", ["bm25.npz", "terms.json", "passages.tsv"])
def test_a_damaged_file_behind_a_current_manifest_is_rebuilt_on_load(
    config: RetrievalConfig, monkeypatch: pytest.MonkeyPatch, damaged: str
) -> None:
    embedder = CountingEmbedder(config)
    folder = build_report(KB, embedder, config).folder
    monkeypatch.setattr(
        index_module, "expected_manifest", lambda e, kb=None, **k: {"format": index_module.INDEX_FORMAT}
    )
    path = folder / damaged
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    index = index_module.load(KB, embedder, config)
    assert len(index.passages) == len(index.vectors) == index.lexical.num_docs > 0


def test_copies_of_policies_do_not_keep_the_original_s_cached_clauses() -> None:
    policy = KB.policy("zzbf-2021-16")
    clause = policy.clause("s3.1.3")
    assert clause is not None and not clause.contains("（修订）")  # fills the caches
    edited = _edited(KB, "zzbf-2021-16", "s3.1.3", "（修订）").policy("zzbf-2021-16")
    copy = edited.clause("s3.1.3")
    assert copy is not None and copy.contains("（修订）") and copy is not clause


def test_two_builders_at_once_embed_once(config: RetrievalConfig) -> None:
    """The website and the action server starting together: the second build waits and reuses the first."""
    import threading
    import time

    class Slow(CountingEmbedder):
        def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
            time.sleep(0.3)  # long enough for the other thread to arrive while this one builds
            return super().passages(texts, progress=progress)

    embedder = Slow(config)
    reports: list[index_module.BuildReport] = []
    threads = [threading.Thread(target=lambda: reports.append(build_report(KB, embedder, config))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.embedded for r in reports) == [0, reports[0].passages]
    assert len(embedder.embedded) == reports[0].passages
