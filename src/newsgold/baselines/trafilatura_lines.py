"""trafilatura, line form: the lines whose text it kept are content, every other line boilerplate."""

from __future__ import annotations

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import kept_lines, line_predictions
from .trafilatura_text import extract


def keep(article: Article) -> set[int]:
    return kept_lines(article, extract(article).split("\n"))


def predict(articles: Articles) -> Predictions:
    return line_predictions(articles, keep)
