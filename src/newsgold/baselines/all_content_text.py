"""The floor of the extracted-text form: the whole article, boilerplate and all, is its main text."""

from __future__ import annotations

from ..dataset import Release
from . import Predictions
from .paragraphs import text_predictions


def predict(release: Release) -> Predictions:
    return text_predictions(release, lambda article: article.text)
