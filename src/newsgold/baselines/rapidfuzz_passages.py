"""rapidfuzz, passages: sentences whose normalised Indel similarity (``fuzz.ratio``) is high enough are copies.

Every pair of sentences is compared (``process.cdist``), after rapidfuzz's own normalisation (lower case,
non-alphanumerics as spaces); runs of copied sentences then form the passages (:mod:`.copies`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process, utils

from . import Articles, Predictions
from .copies import Sentence, predict_passages

# 80 of 100: at most a fifth of the characters of the two sentences inserted or deleted, the usual
# "near-verbatim" reading of fuzz.ratio.
SENTENCE_THRESHOLD = 80


def copied_pairs(candidates: Sequence[Sentence]) -> Iterator[tuple[int, int]]:
    texts = [s.text for s in candidates]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, processor=utils.default_process,
                           score_cutoff=SENTENCE_THRESHOLD, dtype=np.uint8, workers=1)
    for row, column in zip(*np.nonzero(scores), strict=True):
        if row < column:
            yield candidates[row].index, candidates[column].index


def predict(articles: Articles) -> Predictions:
    return predict_passages(articles, copied_pairs)
