"""Rasa's LogisticRegressionClassifier, stored as plain arrays (Rasa 3.6 custom component).

Rasa stores the fitted scikit-learn model with skops 0.9, whose import walks every loaded module
for each of ~765 trusted type names: with TensorFlow loaded that takes 7–13 s of the server's
start-up, for a file that holds three arrays. This subclass trains and predicts exactly as Rasa's
component does and stores the coefficients, intercepts and intent names in a NumPy ``.npz`` file
(no pickle: ``allow_pickle=False``), which loads in milliseconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

WEIGHTS = "weights.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ArrayLogisticRegressionClassifier(LogisticRegressionClassifier):
    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / WEIGHTS,
                coef=self.clf.coef_,
                intercept=self.clf.intercept_,
                classes=np.asarray(self.clf.classes_, dtype=str),
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ArrayLogisticRegressionClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir, np.load(model_dir / WEIGHTS, allow_pickle=False) as w:
            component.clf.coef_ = w["coef"]
            component.clf.intercept_ = w["intercept"]
            component.clf.classes_ = np.array([str(name) for name in w["classes"]], dtype=object)
        return component
