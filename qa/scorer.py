"""The sentence scorer: how likely each candidate is to be the one that holds
the answer, from the features in ``qa/features.py``.

A conditional logit (a softmax over one question's candidates): each
sentence gets ``z = w · standardised(features)`` and the probabilities of a
question's candidates sum to one.  The weights are fitted by
``python -m bench --condition scorer --size full`` on XQuAD-ar and
ARCD-train (a candidate is positive when it contains the normalised gold
answer) and written, with that command, to ``qa/models/sentence_scorer.json``;
``bench/results/scorer.json`` holds the fit's report.  Scoring is one
matrix product: no scikit-learn at question time.

    scorer = SentenceScorer.default()
    z, p = scorer.score(matrix)     # logits and per-question probabilities
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from .features import FEATURES

MODELS = Path(__file__).resolve().parent / "models"
DEFAULT_PATH = MODELS / "sentence_scorer.json"


class ScorerError(ValueError):
    pass


class SentenceScorer:
    def __init__(self, model: dict):
        if list(model["features"]) != list(FEATURES):
            missing = sorted(set(FEATURES) ^ set(model["features"]))
            raise ScorerError(f"the sentence scorer was fitted on other features ({', '.join(missing)}); "
                              f"refit it: {model.get('command', 'python -m bench --condition scorer')}")
        self.model = model
        self.mean = np.asarray(model["mean"], dtype=np.float64)
        self.scale = np.asarray(model["scale"], dtype=np.float64)
        self.weights = np.asarray(model["weights"], dtype=np.float64)
        # fitted with the cosine columns zeroed: for candidates without e5 vectors
        self.weights_without_vectors = np.asarray(model.get("weights_without_vectors", model["weights"]),
                                                  dtype=np.float64)
        self.select = dict(model.get("select") or {})

    @classmethod
    def load(cls, path: str | Path) -> "SentenceScorer":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    @functools.cache
    def default(cls) -> "SentenceScorer":
        return cls.load(DEFAULT_PATH)

    def logits(self, matrix: np.ndarray, with_vectors: bool = True) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0)
        weights = self.weights if with_vectors else self.weights_without_vectors
        return ((matrix - self.mean) / self.scale) @ weights

    def score(self, matrix: np.ndarray, with_vectors: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(logits, probabilities) of one question's candidates."""
        z = self.logits(matrix, with_vectors)
        if not len(z):
            return z, z
        e = np.exp(z - z.max())
        return z, e / e.sum()
