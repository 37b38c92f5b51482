"""The floor of the line form: every line is content (what a system that removes nothing scores)."""

from __future__ import annotations

from . import Articles, Predictions
from .paragraphs import line_predictions


def predict(articles: Articles) -> Predictions:
    return line_predictions(articles, lambda article: {line.line_no for line in article.content_lines})
