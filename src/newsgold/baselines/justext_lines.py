"""jusText, line form: the lines of the paragraphs it keeps are content, every other line boilerplate."""

from __future__ import annotations

from ..corpus import Article
from ..dataset import Release
from . import Predictions
from .justext_text import good_paragraphs
from .paragraphs import kept_lines, line_predictions


def keep(article: Article) -> set[int]:
    return kept_lines(article, good_paragraphs(article))


def predict(release: Release) -> Predictions:
    return line_predictions(release, keep)
