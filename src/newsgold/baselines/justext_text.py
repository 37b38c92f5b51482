"""jusText (paragraph classification by length, stop-word and link density), extracted-text form."""

from __future__ import annotations

import justext

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import html_document, text_predictions

STOPLIST = "English"


def good_paragraphs(article: Article) -> list[str]:
    """The text of the paragraphs jusText keeps, in order (default thresholds and English stoplist)."""
    document = html_document(article).encode("utf-8")
    paragraphs = justext.justext(document, justext.get_stoplist(STOPLIST), encoding="utf-8")
    return [paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate]


def extract(article: Article) -> str:
    return "\n".join(good_paragraphs(article))


def predict(articles: Articles) -> Predictions:
    return text_predictions(articles, extract)
