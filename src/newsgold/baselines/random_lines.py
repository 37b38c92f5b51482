"""The chance floor of the line form: each line is boilerplate with probability 1/2 (seeded).

Each article draws from its own generator, seeded by the seed and the article id, so that an article's labels
do not depend on which other articles are in the folder.
"""

from __future__ import annotations

import random

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import line_predictions

SEED = 20230619


def rng(article_id: str, seed: int = SEED) -> random.Random:
    """The generator of one article: the same for the same id, whatever else is being predicted."""
    return random.Random(f"{seed}:{article_id}")


def keep(article: Article) -> set[int]:
    draw = rng(article.article_id)
    return {line.line_no for line in article.content_lines if draw.random() >= 0.5}


def predict(articles: Articles) -> Predictions:
    return line_predictions(articles, keep)
