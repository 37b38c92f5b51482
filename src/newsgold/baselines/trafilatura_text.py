"""trafilatura (the extractor most web-corpus pipelines use), extracted-text form: its output as is."""

from __future__ import annotations

import trafilatura

from ..corpus import Article
from . import Articles, Predictions
from .paragraphs import html_document, text_predictions


def extract(article: Article) -> str:
    """trafilatura's main text of the article, paragraphs separated by ``\\n`` ("" when it finds none).

    Defaults otherwise, as people run it; comments and tables are off because a news article's main text is
    what the gold calls content.
    """
    text = trafilatura.extract(html_document(article), output_format="txt", include_comments=False,
                               include_tables=False, include_images=False, include_links=False,
                               deduplicate=False, with_metadata=False)
    return text or ""


def predict(articles: Articles) -> Predictions:
    return text_predictions(articles, extract)
