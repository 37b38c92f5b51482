"""Raw articles as HTML paragraphs for boilerplate extractors, and what they keep mapped back to lines.

Extractors such as trafilatura and jusText read HTML. The dataset has only the scraped text, so each non-empty
line becomes one ``<p>`` of a minimal document: the extractor then judges exactly the units the gold labels.
It answers with text, which is matched back to the lines it came from.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable

from ..corpus import Article
from . import Articles, Predictions


def html_document(article: Article) -> str:
    """A minimal HTML document with one ``<p>`` per non-empty line of the article, in order."""
    paragraphs = "\n".join(f"<p>{html.escape(line.text.strip())}</p>" for line in article.content_lines)
    return f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title></title></head>\n' \
           f"<body>\n{paragraphs}\n</body>\n</html>\n"


def normalise(text: str) -> str:
    """What an extractor leaves of a paragraph's text: compatibility form, white space runs as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def kept_lines(article: Article, kept: Iterable[str]) -> set[int]:
    """The numbers of the lines whose text the extractor kept.

    Paragraphs are matched in order, each to the first line at or after the previous match whose text is the
    same (after :func:`normalise`); a paragraph found nowhere ahead is looked for from the start, since an
    extractor may reorder; one found nowhere is dropped (an extractor adds no text of its own).
    """
    lines = [(line.line_no, normalise(line.text)) for line in article.content_lines]
    found: set[int] = set()
    cursor = 0
    for paragraph in kept:
        text = normalise(paragraph)
        if not text:
            continue
        order = list(range(cursor, len(lines))) + list(range(cursor))
        for index in order:
            line_no, line_text = lines[index]
            if line_text == text and line_no not in found:
                found.add(line_no)
                cursor = index + 1
                break
    return found


def line_predictions(articles: Articles, keep: Callable[[Article], set[int]]) -> Predictions:
    """One record per non-empty line of every article: boilerplate unless ``keep`` kept it."""
    records = []
    for article_id in sorted(articles):
        article = articles[article_id]
        kept = keep(article)
        records += [{"article_id": article_id, "line_no": line.line_no, "is_boilerplate": line.line_no not in kept}
                    for line in article.content_lines]
    return records


def text_predictions(articles: Articles, extract: Callable[[Article], str]) -> Predictions:
    """One ``{article_id, text}`` record per article, in id order."""
    return [{"article_id": article_id, "text": extract(articles[article_id])} for article_id in sorted(articles)]


def kept_text(article: Article, kept: set[int]) -> str:
    """The text of the kept lines (by number), in order, joined by newlines: the text form of a line labelling."""
    return "\n".join(line.text for line in article.content_lines if line.line_no in kept)
