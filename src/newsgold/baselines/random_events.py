"""The chance floor of events: each word is a trigger with probability 1/50, of a random type; all the
mentions of one type are one event (across articles).

Words are runs of letters and digits in every line. Each article draws from its own seeded generator
(:func:`.random_lines.rng`).
"""

from __future__ import annotations

import re

from ..records import EVENT_TYPES
from . import Articles, Predictions
from .random_lines import rng

RATE = 1 / 50
WORD = re.compile(r"\w+")


def predict(articles: Articles) -> Predictions:
    records = []
    for article_id in sorted(articles):
        draw = rng(article_id)
        for word in WORD.finditer(articles[article_id].text):
            if draw.random() < RATE:
                event_type = draw.choice(EVENT_TYPES)
                records.append({"article_id": article_id, "start": word.start(), "end": word.end(),
                                "event": f"random-{event_type.replace('_', '-')}", "type": event_type})
    return records
