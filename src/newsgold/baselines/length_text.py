"""The fixed length rule, extracted-text form: the lines of 70 characters or more, joined by newlines."""

from __future__ import annotations

from ..corpus import Article
from . import Articles, Predictions
from .length_lines import keep
from .paragraphs import kept_text, text_predictions


def extract(article: Article) -> str:
    return kept_text(article, keep(article))


def predict(articles: Articles) -> Predictions:
    return text_predictions(articles, extract)
