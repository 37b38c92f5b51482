"""trafilatura, line form: the lines whose text it kept are content, every other line boilerplate."""

from __future__ import annotations

from ..corpus import Article
from ..dataset import Release
from . import Predictions
from .paragraphs import kept_lines, line_predictions
from .trafilatura_text import extract


def keep(article: Article) -> set[int]:
    return kept_lines(article, extract(article).split("\n"))


def predict(release: Release) -> Predictions:
    return line_predictions(release, keep)
