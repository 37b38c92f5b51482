"""The chance floor of the extracted-text form: the lines :mod:`.random_lines` keeps, joined by newlines."""

from __future__ import annotations

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import kept_text, text_predictions
from .random_lines import keep


def extract(article: Article) -> str:
    return kept_text(article, keep(article))


def predict(articles: Articles) -> Predictions:
    return text_predictions(articles, extract)
