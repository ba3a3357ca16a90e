"""Export the converted e5 encoder to ONNX, once, at set-up (``make warm`` or the first query).

sentence-transformers remains the reference: this module loads the converted folder with
torch/transformers, traces the ``BertModel`` with ``torch.onnx.export`` (TorchScript exporter,
opset 17, dynamic batch and sequence axes: optimum's exporter pins transformers < 5), optionally
quantises the weights to int8 with ``onnxruntime.quantization.quantize_dynamic`` (per channel:
per-tensor scales cost cosine 0.95 on some queries, per channel ≥ 0.99), writes the tokenizer
files ``onnx_encoder`` reads, and checks the result against sentence-transformers on a set of
texts before anything is installed. Only this module imports torch; the query path never does.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.retrieval.onnx_encoder import (
    META_FILE,
    MODEL_FILE,
    SHELL_FILE,
    VOCAB_FILE,
    OnnxEncoder,
    write_binary_vocab,
)

log = logging.getLogger(__name__)

# Written into the folder's name and marker: a change to the export (or to what it checks) rebuilds it.
EXPORT_VERSION = 1
VARIANTS = ("int8", "float")
MARKER = "EXPORTED"
OPSET = 17
# The export is refused when any check text's embedding drifts further than this from sentence-transformers
# (int8: ≥ 0.99 on ordinary texts; the 512-token repetition below measured 0.977).
MIN_COSINE = {"float": 0.9999, "int8": 0.97}
CHECK_TEXTS = (
    "专利质押贷款有贴息吗？",
    "对每件国内授权发明专利一次性给予2000元资助",
    "12330是什么热线",
    "5～10万元的资金支持",
    "Madrid 马德里商标国际注册",
    "  前后的空格、全角ＡＢＣ和繁體字  ",
    "<s>特殊记号</s> 与 <mask>",
    "知识产权" * 200,  # longer than 512 tokens: truncated exactly as sentence-transformers does
)


def _trace(model_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden: torch.Tensor = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return hidden

    ids = torch.tensor([[0, 100, 200, 300, 2], [0, 5, 6, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    axes = {0: "batch", 1: "sequence"}
    # The tracer warns that it records Python-side shape checks as constants and that advanced
    # indexing becomes Gather; both are covered by checking the result on other batch and
    # sequence sizes (``check``), so these warnings are expected here and only here.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(bert),
            (ids, mask),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            dynamo=False,
            external_data=False,
        )


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs a line per tensor and a "consider pre-processing" note on root
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def _tokenizer_files(model_dir: Path, work: Path) -> dict[str, Any]:
    """The shell tokenizer (normaliser + pre-tokenizer), the vocabulary, and the ids the encoder needs."""
    data = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    model = data["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{model_dir}: only a Unigram tokenizer without byte fallback can be exported")
    vocab = model["vocab"]
    (work / VOCAB_FILE).write_text(
        json.dumps({"pieces": [p for p, _ in vocab], "scores": [s for _, s in vocab]}, ensure_ascii=False),
        encoding="utf-8",
    )
    write_binary_vocab(work, [p for p, _ in vocab], [float(s) for _, s in vocab])
    data["model"] = {**model, "vocab": vocab[: model["unk_id"] + 1]}
    (work / SHELL_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    config = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    ids = {piece: i for i, (piece, _) in enumerate(vocab)}
    names = ("bos_token", "eos_token", "unk_token", "pad_token", "cls_token", "sep_token", "mask_token")
    specials = {config[name]: ids[config[name]] for name in names if config.get(name) in ids}
    return {
        "bos_id": ids[config["bos_token"]],
        "eos_id": ids[config["eos_token"]],
        "pad_id": ids[config["pad_token"]],
        "unk_id": int(model["unk_id"]),
        "special_tokens": specials,
    }


def _reference(model_dir: Path) -> dict[str, np.ndarray]:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu")
    texts = list(CHECK_TEXTS)
    return {
        kind: np.asarray(st.encode(texts, prompt_name=kind, normalize_embeddings=True), dtype=np.float32)
        for kind in ("query", "passage")
    }


def export(model_dir: Path, target: Path, *, variant: str = "int8") -> Path:
    """Write an export folder for the sentence-transformers folder ``model_dir`` into ``target``.

    Written into a scratch folder beside ``target`` and renamed into place once checked, so a
    reader never sees half an export.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}; one of {VARIANTS}")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        _export_into(model_dir, work, variant)
        if (target / MARKER).exists():  # another process finished the same export meanwhile
            return target
        if target.exists():  # a damaged folder of the same version (no marker)
            shutil.rmtree(target)
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


def _export_into(model_dir: Path, work: Path, variant: str) -> None:
    with tempfile.TemporaryDirectory(dir=work.parent, prefix=".trace-") as scratch:
        traced = Path(scratch) / MODEL_FILE
        _trace(model_dir, traced)
        if variant == "int8":
            _quantize(traced, work / MODEL_FILE)
        else:
            shutil.move(str(traced), work / MODEL_FILE)
    ids = _tokenizer_files(model_dir, work)
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    bert_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    hidden = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["hidden_size"]
    meta = {
        "dimension": int(hidden),
        "max_length": int(bert_config["max_seq_length"]),
        "prompts": st_config.get("prompts") or {},
        **ids,
        "variant": variant,
        "export_version": EXPORT_VERSION,
        "source": model_dir.name,
    }
    (work / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    cosines = check(model_dir, work)
    if min(cosines) < MIN_COSINE[variant]:
        raise RuntimeError(
            f"ONNX export ({variant}) drifts from sentence-transformers: min cosine {min(cosines):.4f} "
            f"< {MIN_COSINE[variant]}"
        )
    (work / MARKER).write_text(
        json.dumps({**meta, "min_cosine": round(min(cosines), 5)}, ensure_ascii=False), encoding="utf-8"
    )
    log.info("ONNX export (%s) checked: min cosine %.5f", variant, min(cosines))


def check(model_dir: Path, folder: Path) -> list[float]:
    """Cosines between sentence-transformers and the export on ``CHECK_TEXTS``, queries then passages."""
    reference = _reference(model_dir)
    encoder = OnnxEncoder(folder)
    out: list[float] = []
    for kind, vectors in reference.items():
        ours = encoder.encode(list(CHECK_TEXTS), kind)
        out += [float(c) for c in (ours * vectors).sum(axis=1)]
    return out
