"""The floor of the extracted-text form: the whole article, boilerplate and all, is its main text."""

from __future__ import annotations

from . import Articles, Predictions
from .paragraphs import text_predictions


def predict(articles: Articles) -> Predictions:
    return text_predictions(articles, lambda article: article.text)
