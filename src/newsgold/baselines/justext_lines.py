"""jusText, line form: the lines of the paragraphs it keeps are content, every other line boilerplate."""

from __future__ import annotations

from ..corpus import Article
from . import Articles, Predictions
from .justext_text import good_paragraphs
from .paragraphs import kept_lines, line_predictions


def keep(article: Article) -> set[int]:
    return kept_lines(article, good_paragraphs(article))


def predict(articles: Articles) -> Predictions:
    return line_predictions(articles, keep)
