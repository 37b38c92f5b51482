"""rapidfuzz, document pairs: the normalised Indel similarity (``fuzz.ratio``) of the texts.

The score is that similarity (0 to 1); the relation comes from it, the passages :mod:`.rapidfuzz_passages`
finds, and ``fuzz.token_set_ratio`` (how much of the smaller vocabulary the larger holds) for ``same_event``
(:func:`.copies.pair_predictions`).
"""

from __future__ import annotations

from rapidfuzz import fuzz, utils

from . import Articles, Predictions
from .copies import Thresholds, pair_predictions
from .rapidfuzz_passages import predict as predict_passages

# 0.8: at most a fifth of the text edited; 0.5: more than half of the word sets in common.
THRESHOLDS = Thresholds(near_duplicate=0.8, same_event=0.5)


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b, processor=utils.default_process) / 100


def vocabulary(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100


def predict(articles: Articles) -> Predictions:
    return pair_predictions(articles, predict_passages(articles), similarity, vocabulary, THRESHOLDS)
