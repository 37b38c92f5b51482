"""A fixed length rule, line form: a line shorter than 70 characters is boilerplate, every other line content.

70 is jusText's published default ``length_low`` (Pomikálek 2011), the length under which it calls a
paragraph short; it was not tuned on this release. Length is counted as jusText counts it, in characters of
the line with white space runs as one space and none at either end.
"""

from __future__ import annotations

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import line_predictions

LENGTH_LOW = 70  # jusText's default length_low


def keep(article: Article) -> set[int]:
    """The numbers of the lines at least ``LENGTH_LOW`` characters long."""
    return {line.line_no for line in article.content_lines if len(" ".join(line.text.split())) >= LENGTH_LOW}


def predict(articles: Articles) -> Predictions:
    return line_predictions(articles, keep)
