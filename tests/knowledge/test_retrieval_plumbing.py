"""Index and search plumbing with a fake embedder (the real model is exercised in test_retrieval_quality)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from knowledge import load_knowledge_base
from knowledge.retrieval import QuestionError, RetrievalConfig, Retriever
from knowledge.retrieval import index as index_module
from knowledge.retrieval.embedder import Embedder
from knowledge.retrieval.lexical import expand, tokens
from knowledge.retrieval.passages import MAX_TOKENS, build_passages, split_sentences

KB = load_knowledge_base()


class FakeEmbedder(Embedder):
    """Bag-of-characters vectors: deterministic, instant, good enough to test the plumbing."""

    dim = 64

    def __init__(self, config: RetrievalConfig) -> None:
        super().__init__(config)
        self.name = "fake-embedder"
        self.passage_calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for char in text:
            vector[int(hashlib.md5(char.encode()).hexdigest(), 16) % self.dim] += 1
        return vector / (np.linalg.norm(vector) or 1)

    def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.passage_calls += 1
        return np.stack([self._vector(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)[None, :]

    def count_tokens(self, text: str) -> int:
        return len(text)


@pytest.fixture
def retriever(tmp_path: Path) -> Retriever:
    config = RetrievalConfig(cache_dir=tmp_path)
    return Retriever(config, KB, FakeEmbedder(config))


def test_index_is_built_once_and_reused(retriever: Retriever, tmp_path: Path) -> None:
    fake = retriever.embedder
    assert isinstance(fake, FakeEmbedder)
    retriever.search("专利质押贷款有贴息吗")
    assert fake.passage_calls == 1
    again = Retriever(retriever.config, KB, fake)
    again.search("贯标有补助吗")
    assert fake.passage_calls == 1  # loaded from disk, not rebuilt
    manifest = json.loads(next(tmp_path.glob("index/*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["model"] == "fake-embedder"
    assert manifest["passages"] == len(retriever.index.passages)
    assert any(name.startswith("policies/") or name.endswith(".yaml") for name in manifest["files"])


def test_stale_index_is_rebuilt(retriever: Retriever, tmp_path: Path) -> None:
    retriever.search("贯标")
    manifest_path = next(tmp_path.glob("index/*/manifest.json"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    first_file = next(iter(manifest["files"]))
    manifest["files"][first_file] = "0" * 64  # as if a policy file had changed
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    fresh = Retriever(retriever.config, KB, retriever.embedder)
    fresh.search("贯标")
    rebuilt = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert rebuilt["files"][first_file] != "0" * 64  # rebuilt and current again
    # ... without re-embedding: no passage changed (incremental rebuild, keyed by passage hash)
    assert rebuilt["embedded_in_this_build"] == 0
    assert retriever.embedder.passage_calls == 1  # type: ignore[attr-defined]


def test_missing_index_file_is_rebuilt(retriever: Retriever, tmp_path: Path) -> None:
    retriever.search("贯标")
    (next(tmp_path.glob("index/*/manifest.json"))).unlink()
    Retriever(retriever.config, KB, retriever.embedder).search("贯标")
    assert retriever.embedder.passage_calls == 2  # type: ignore[attr-defined]


def test_every_clause_is_indexed(retriever: Retriever) -> None:
    indexed = {(p.policy_id, p.clause_id) for p in retriever.index.passages}
    assert indexed == {(p.id, c.id) for p in KB.policies for c in p.clauses}


def test_long_clauses_are_chunked_at_sentence_ends() -> None:
    passages = build_passages(KB, len)  # count characters as tokens: several clauses exceed MAX_TOKENS
    long_ones = [p for p in passages if p.id.endswith("#1")]
    assert all(len(p.text) <= MAX_TOKENS or len(split_sentences(p.text)) == 1 for p in passages)
    for passage in passages:
        clause = KB.policy(passage.policy_id).clause(passage.clause_id)
        assert clause is not None and passage.text in clause.text
    assert len(long_ones) == 0 or all("#" in p.id for p in long_ones)


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question(retriever: Retriever, question: str) -> None:
    with pytest.raises(QuestionError, match="不能为空"):
        retriever.search(question)


def test_too_long_question_is_refused_not_truncated(retriever: Retriever) -> None:
    with pytest.raises(QuestionError, match="过长"):
        retriever.search("专利" * 251)
    assert retriever.search("专" * 500).question  # exactly 500 is fine


def test_region_filter(retriever: Retriever) -> None:
    result = retriever.search("地理标志商标奖励", region="上杭", top_k=5)
    assert result.region == "福建省龙岩市上杭县"
    assert {h.passage.policy_id for h in result.hits} == {"shanghang-2017"}


def test_city_policy_covers_its_counties(retriever: Retriever) -> None:
    result = retriever.search("马德里商标", region="长治县", top_k=5)
    assert {h.passage.policy_id for h in result.hits} == {"changzhi-2023-draft"}


@pytest.mark.parametrize("region", ["高平市", "北京市"])
def test_uncovered_region_says_so(retriever: Retriever, region: str) -> None:
    result = retriever.search("发明专利奖励", region=region)
    assert result.hits == ()
    assert "暂未收录" in result.notes[0] and "泽州县" in result.notes[0]


def test_a_place_named_in_the_question_narrows_the_search(retriever: Retriever) -> None:
    result = retriever.search("柞水县质押融资", top_k=5)
    assert {h.passage.policy_id for h in result.hits} == {"zzbh-2024-27"}
    spurious = retriever.search("如何提高平均发明专利拥有量", top_k=5)  # 提高平均 contains 高平
    assert len({h.passage.policy_id for h in spurious.hits}) >= 1 and spurious.notes == ()


def test_one_hit_per_clause(retriever: Retriever) -> None:
    result = retriever.search("知识产权", top_k=20)
    keys = [(h.passage.policy_id, h.passage.clause_id) for h in result.hits]
    assert len(keys) == len(set(keys)) == 20


def test_jieba_keeps_ip_terms_whole() -> None:
    words = tokens("集成电路布图设计和地理标志商标以及知识产权管理体系认证、马德里")
    for term in ("集成电路布图设计", "地理标志商标", "知识产权管理体系认证", "马德里"):
        assert term in words


@pytest.mark.parametrize(
    ("colloquial", "term"),
    [
        ("贯标", "知识产权管理体系认证"),
        ("芯片版图", "集成电路布图设计"),
        ("专利抵押", "专利权质押"),
        ("国外专利", "境外专利"),
    ],
)
def test_synonyms_expand(colloquial: str, term: str) -> None:
    assert term in expand(f"{colloquial}有补助吗")


def test_index_folder_depends_on_model(tmp_path: Path) -> None:
    config = RetrievalConfig(cache_dir=tmp_path)
    a, b = FakeEmbedder(config), FakeEmbedder(config)
    b.name = "another-model"
    assert index_module.index_dir(config, a) != index_module.index_dir(config, b)


def test_snippet_centres_on_the_question() -> None:
    from knowledge.retrieval import snippet

    clause = KB.policy("zzbf-2021-16").clause("s3.3.11")
    assert clause is not None
    text = snippet(clause.text, "专利质押贷款有贴息吗？", 120)
    assert "贴息" in text and text.startswith("……") and len(text) <= 124
    assert snippet("短条款", "任何问题") == "短条款"
