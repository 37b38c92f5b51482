"""Supervised: a scikit-learn decision tree that labels each line from integer features of its text.

The features (:func:`features`) are the cues web-boilerplate detectors use, written down before training and
counted in integers: length, words, sentence punctuation, commas, the share of capitalised words, digits, the
share of function words (boilerplate is short on them), words of page furniture (share, subscribe, photo,
copyright, ...), separator symbols, quotation marks, and the line's position in the article. The tree's
hyper-parameters are fixed (``TREE``), not searched.

It learns from gold boilerplate labels, so it is never scored on an article it learned from: an article of the
training release is predicted by a tree trained on the other articles only (leave-one-article-out, which is how
the leaderboard scores it); articles the release does not hold are predicted by a tree trained on all of it.
A decision tree compares integer features with thresholds and counts labels, so its decisions do not depend on
BLAS or thread counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sklearn.tree import DecisionTreeClassifier

from ..corpus import Article, Line
from ..release.dataset import Release
from . import Articles, Predictions
from .paragraphs import line_predictions

TREE = {"max_depth": 5, "min_samples_leaf": 3, "random_state": 0}
WORD = re.compile(r"[^\W_]+")
# General English function words: running text is full of them, page furniture is not.
FUNCTION_WORDS = frozenset(("the", "a", "an", "of", "to", "in", "and", "that", "is", "was", "for", "on", "with",
                            "as", "at", "by", "he", "she", "it", "they", "his", "her", "from", "has", "have", "had",
                            "be", "been", "will", "would", "not", "but", "this", "which", "who", "their", "its"))
# The words of page furniture on news sites in general: sharing, subscribing, credits, navigation, dates.
FURNITURE_WORDS = frozenset(("click", "subscribe", "share", "advertisement", "sponsored", "related", "read", "more",
                             "follow", "sign", "login", "comment", "comments", "photo", "photos", "video", "image",
                             "credit", "copyright", "newsletter", "menu", "home", "search", "tags", "posted",
                             "updated", "published", "views", "cookie", "privacy", "terms", "ago", "min", "email",
                             "print", "facebook", "twitter", "whatsapp"))
SEPARATORS = "|•©»«/·–—-:"
QUOTES = "“”\"‘’"


def features(line: Line, index: int, count: int) -> list[int]:
    """The integer features of the ``index``-th of ``count`` non-empty lines of an article."""
    text = " ".join(line.text.split())
    words = WORD.findall(text)
    lower = [w.casefold() for w in words]
    n = max(1, len(words))
    return [
        len(text),
        len(words),
        sum(text.count(c) for c in ".!?"),
        int(text[-1:] in ".!?”\"’"),
        text.count(","),
        100 * sum(1 for w in words if w[:1].isupper()) // n,
        sum(c.isdigit() for c in text),
        100 * sum(1 for w in lower if w in FUNCTION_WORDS) // n,
        sum(1 for w in lower if w in FURNITURE_WORDS),
        sum(text.count(c) for c in SEPARATORS),
        sum(text.count(c) for c in QUOTES),
        index,
        count - 1 - index,
        100 * index // max(1, count - 1),
    ]


def article_features(article: Article) -> list[list[int]]:
    lines = article.content_lines
    return [features(line, index, len(lines)) for index, line in enumerate(lines)]


def training_data(release: Release, article_ids: Iterable[str]) -> tuple[list[list[int]], list[int]]:
    """Features and gold labels (1: boilerplate) of every non-empty line of the given articles of the release."""
    labels = {(r["article_id"], r["line_no"]): r["is_boilerplate"] for r in release.records.get("boilerplate", [])}
    rows, targets = [], []
    for article_id in sorted(article_ids):
        article = release.articles[article_id]
        for line, row in zip(article.content_lines, article_features(article), strict=True):
            label = labels.get((article_id, line.line_no))
            if label is not None:
                rows.append(row)
                targets.append(int(label))
    return rows, targets


def fit(release: Release, article_ids: Iterable[str]) -> DecisionTreeClassifier:
    rows, targets = training_data(release, article_ids)
    if not rows:
        raise ValueError("no gold boilerplate labels to learn from")
    return DecisionTreeClassifier(**TREE).fit(rows, targets)


def predict(articles: Articles, release: Release) -> Predictions:
    """Each article's lines, by a tree trained on the release's articles other than it."""
    trees: dict[str, DecisionTreeClassifier] = {}

    def keep(article: Article) -> set[int]:
        held_out = article.article_id if article.article_id in release.articles else ""
        if held_out not in trees:
            trees[held_out] = fit(release, (a for a in release.articles if a != held_out))
        lines = article.content_lines
        if not lines:
            return set()
        labels = trees[held_out].predict(article_features(article))
        return {line.line_no for line, label in zip(lines, labels.tolist(), strict=True) if label == 0}

    return line_predictions(articles, keep)
