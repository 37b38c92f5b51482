"""The chance floor of quotes: each sentence is a quote with probability 1/4, of a random type, by ``unknown``.

Sentences are the units of :func:`newsgold.sentences.units_of` in every non-empty line. Each article draws
from its own seeded generator (:func:`.random_lines.rng`).
"""

from __future__ import annotations

from ..records import QUOTE_TYPES, UNKNOWN_SPEAKER
from ..sentences import units_of
from . import Articles, Predictions
from .random_lines import rng

RATE = 0.25


def predict(articles: Articles) -> Predictions:
    records = []
    for article_id in sorted(articles):
        draw = rng(article_id)
        for line in articles[article_id].content_lines:
            for start, end, _, _ in units_of(line.text):
                if draw.random() < RATE:
                    records.append({"article_id": article_id, "start": line.start + start, "end": line.start + end,
                                    "type": draw.choice(QUOTE_TYPES), "speaker": UNKNOWN_SPEAKER})
    return records
