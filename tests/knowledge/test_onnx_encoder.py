"""The ONNX query path against its reference: the Hugging Face tokenizer and sentence-transformers.

The exports come from the cache (``make warm`` builds the shipped int8 one; the float one is
built here on first use), the reference from the converted model folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge import load_knowledge_base
from knowledge.retrieval import RetrievalConfig
from knowledge.retrieval import embedder as embedder_module
from knowledge.retrieval.embedder import Embedder, converted_dir, ensure_model, ensure_onnx, model_id, onnx_dir
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.onnx_encoder import OnnxEncoder
from knowledge.retrieval.onnx_export import MARKER

ROOT = Path(__file__).resolve().parents[2]
CONFIG = RetrievalConfig.from_env()
HEAVY = ("torch", "transformers", "sentence_transformers")


def _random_texts(count: int, seed: int = 15) -> list[str]:
    """Printable and odd characters alike: CJK, full-width, combining marks, emoji, controls, spaces."""
    rng = random.Random(seed)
    pool = (
        [chr(c) for c in range(0x20, 0x3000)]
        + [chr(c) for c in range(0x3000, 0xA000, 7)]
        + [chr(c) for c in range(0xFF00, 0xFFF0)]
        + [chr(c) for c in range(0x1F300, 0x1F700)]
        + list(" \t\n\u3000\u00a0\u200b\ufeff\u0301")
    )
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(count)]


QUESTIONS = [q.q for q in load_questions()]
CLAUSES = [c.text for p in load_knowledge_base().policies for c in p.clauses]
EDGE = [
    "",
    " ",
    "  两端有空格  ",
    "<s>特殊</s> 记号 <mask> 与 <pad><unk>",
    "澤州縣 ＡＢＣ １２３ ｱｲｳ ㍿ ﬁ Ⅻ",
    "e\u0301 \u0301e",
    "专利" * 700,  # beyond 512 tokens
    "a" * 3000,
]


@pytest.fixture(scope="module")
def hf_tokenizer():  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(ensure_model(CONFIG)))


@pytest.fixture(scope="module")
def sentence_transformer():  # type: ignore[no-untyped-def]
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(ensure_model(CONFIG)), device="cpu")


@pytest.fixture(scope="module")
def int8() -> OnnxEncoder:
    return OnnxEncoder(ensure_onnx(dataclasses.replace(CONFIG, backend="onnx")))


@pytest.fixture(scope="module")
def float32() -> OnnxEncoder:
    return OnnxEncoder(ensure_onnx(dataclasses.replace(CONFIG, backend="onnx-float")))


def test_token_ids_match_the_hugging_face_tokenizer(hf_tokenizer, int8: OnnxEncoder) -> None:  # type: ignore[no-untyped-def]
    texts = QUESTIONS + CLAUSES + EDGE + _random_texts(3000)
    texts += ["query: " + t for t in QUESTIONS] + ["passage: " + t for t in CLAUSES]
    differing = [t for t in texts if int8.tokenizer.ids(t) != hf_tokenizer(t)["input_ids"]]
    assert differing == [], differing[:5]
    for text in EDGE:  # truncation as sentence-transformers asks for it (max_seq_length 512)
        want = hf_tokenizer(text, truncation=True, max_length=512)["input_ids"]
        assert int8.tokenizer.truncated(text) == want


def _cosines(ours: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return np.asarray((ours * reference).sum(axis=1))


@pytest.fixture(scope="module")
def reference(sentence_transformer) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    return {
        "query": sentence_transformer.encode(QUESTIONS + EDGE, prompt_name="query", normalize_embeddings=True),
        "passage": sentence_transformer.encode(CLAUSES, prompt_name="passage", normalize_embeddings=True),
    }


def test_float_export_equals_sentence_transformers(float32: OnnxEncoder, reference: dict[str, np.ndarray]) -> None:
    queries = _cosines(float32.encode(QUESTIONS + EDGE, "query"), reference["query"])
    passages = _cosines(float32.encode(CLAUSES, "passage"), reference["passage"])
    assert queries.min() > 0.9999 and passages.min() > 0.9999, (queries.min(), passages.min())


def test_int8_export_stays_close_to_sentence_transformers(int8: OnnxEncoder, reference: dict[str, np.ndarray]) -> None:
    queries = _cosines(int8.encode(QUESTIONS, "query"), reference["query"][: len(QUESTIONS)])
    passages = _cosines(int8.encode(CLAUSES, "passage"), reference["passage"])
    # Measured when written: queries min 0.994 / mean 0.997, passages min 0.995 / mean 0.997.
    assert queries.min() > 0.99 and passages.min() > 0.99, (queries.min(), passages.min())
    assert queries.mean() > 0.995 and passages.mean() > 0.995


def test_embedder_public_interface_on_onnx(int8: OnnxEncoder) -> None:
    embedder = Embedder(dataclasses.replace(CONFIG, backend="onnx"))
    vectors = embedder.passages(["对每件国内授权发明专利一次性给予2000元资助", "贯标"])
    query = embedder.query("发明专利奖励多少")
    assert vectors.dtype == np.float32 and vectors.shape == (2, embedder.dimension) == (2, 384)
    assert query.dtype == np.float32 and query.shape == (1, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert embedder.count_tokens("专利" * 700) > 512  # passages are split by the untruncated count
    assert embedder.passages([]).shape == (0, 384)
    # Each text gets the vector it gets alone, whatever it is embedded with.
    alone = np.vstack([embedder.passages([t]) for t in ("贯标", "对每件国内授权发明专利一次性给予2000元资助")])
    np.testing.assert_array_equal(alone[::-1], vectors)


def test_float_batches_mask_their_padding(float32: OnnxEncoder) -> None:
    texts = ["贯标", "对每件国内授权发明专利一次性给予2000元资助", "专利" * 700]
    together = float32.encode(texts, "passage")
    alone = np.vstack([float32.encode([t], "passage") for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_each_backend_keeps_its_own_index_name() -> None:
    names = {b: model_id(dataclasses.replace(CONFIG, backend=b)) for b in ("onnx", "onnx-float", "torch")}
    assert len(set(names.values())) == 3
    assert names["torch"].endswith("@converter-v2") and names["onnx"].endswith("-int8")
    other = dataclasses.replace(CONFIG, model="BAAI/bge-small-zh-v1.5")
    assert not other.runs_onnx and model_id(other) == "BAAI/bge-small-zh-v1.5"


def test_export_is_cached_and_rebuilt_when_incomplete(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = dataclasses.replace(CONFIG, cache_dir=tmp_path)
    calls: list[Path] = []

    def fake_export(source: Path, target: Path, *, variant: str) -> Path:
        calls.append(source)
        target.mkdir(parents=True, exist_ok=True)
        (target / MARKER).write_text("{}", encoding="utf-8")
        return target

    monkeypatch.setattr("knowledge.retrieval.onnx_export.export", fake_export)
    monkeypatch.setattr(embedder_module, "ensure_model", lambda c: converted_dir(c))
    assert ensure_onnx(config) == onnx_dir(config) and len(calls) == 1
    assert ensure_onnx(config) == onnx_dir(config) and len(calls) == 1  # cached: not exported again
    (onnx_dir(config) / MARKER).unlink()  # an interrupted or damaged export: no marker
    ensure_onnx(config)
    assert len(calls) == 2
    assert len(calls) == 2
    assert "-onnx-v" in onnx_dir(config).name and onnx_dir(config).name.endswith("-int8")


def _importtime(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "INCENTIVES_CACHE_DIR": str(CONFIG.cache_dir)}
    env.pop("INCENTIVES_EMBED_BACKEND", None)
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "incentives_cli.main", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False,
    )  # fmt: skip
    modules = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    return run, modules


def test_ask_runs_without_torch_transformers_or_sentence_transformers() -> None:
    ensure_onnx(CONFIG)  # the export exists (make warm); the command must not need torch to use it
    run, modules = _importtime("ask", "专利质押贷款有贴息吗？", "--json")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "onnxruntime" in modules and "knowledge.retrieval.onnx_encoder" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    first = json.loads(run.stdout)["passages"][0]
    assert "贴息" in first["text"]


@pytest.mark.parametrize(
    "command", [["check", "examples/zezhou.json"], ["explain", "examples/zezhou.json"], ["policies"]]
)
def test_rule_commands_do_not_import_the_retrieval_stack(command: list[str]) -> None:
    run, modules = _importtime(*command)
    assert run.returncode == 0, run.stderr[-2000:]
    stack = ("knowledge.retrieval", "onnxruntime", "faiss", "bm25s", "jieba", "tokenizers", *HEAVY)
    assert not {m for m in modules if any(m == s or m.startswith(s + ".") for s in stack)}
