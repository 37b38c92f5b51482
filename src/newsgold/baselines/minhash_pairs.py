"""datasketch MinHash, document pairs: the estimated Jaccard similarity of the texts' word 5-shingles.

The score is that similarity; the relation comes from it, the passages :mod:`.minhash_passages` finds, and
the Jaccard similarity of the two vocabularies (:func:`.copies.pair_predictions`).
"""

from __future__ import annotations

from . import Articles, Predictions
from .copies import Thresholds, pair_predictions, words
from .minhash_passages import predict as predict_passages
from .minhash_passages import signature

DOCUMENT_SHINGLE = 5  # words, the usual size for near-duplicate detection of web documents
# 0.8: the near-duplicate cut-off common in web-corpus deduplication; 0.15: two English news texts share
# more of their vocabulary than function words alone give them when they tell the same story.
THRESHOLDS = Thresholds(near_duplicate=0.8, same_event=0.15)


def similarity(a: str, b: str) -> float:
    return float(signature(tuple(words(a)), DOCUMENT_SHINGLE).jaccard(signature(tuple(words(b)), DOCUMENT_SHINGLE)))


def vocabulary(a: str, b: str) -> float:
    return float(signature(tuple(sorted(set(words(a)))), 1).jaccard(signature(tuple(sorted(set(words(b)))), 1)))


def predict(articles: Articles) -> Predictions:
    return pair_predictions(articles, predict_passages(articles), similarity, vocabulary, THRESHOLDS)
