"""The document-pair scorer: the relation of every pair of articles, as a label or a similarity score.

Predictions (schema ``doc_pairs``): ``{a, b, relation?, score?}``, one per unordered pair of articles of a
cluster, with a relation label, a similarity score (higher: more alike), or both. A gold pair without a
prediction has no relation (it counts as wrong) and the lowest score (below every given score). Only the order
of the scores counts: any increasing rescaling of them changes no metric.

Sections, decided by the predictions of the gold pairs scored: ``relations`` and ``duplicate`` appear
together when any prediction gives a relation or none gives a score (so a file of relations only, or an empty
file, has both); ``scores`` appears when any prediction gives a score (a file of scores only has it alone).

- ``relations``: ``accuracy`` over the gold pairs, ``macro_f1`` (the unweighted mean of each relation's F1,
  over the relations in the gold or the predictions) and ``confusion`` (rows: gold relation, columns:
  predicted relation or ``none``).
- ``duplicate``: precision, recall and F1 of "is a duplicate" (from the relations), where ``exact`` and
  ``near_duplicate`` are duplicates.
- ``scores``: ``roc_auc`` and ``average_precision`` of the score for "is a duplicate", and ``spearman``,
  Spearman's rho between the score and the relation's order ``exact (4) > near_duplicate (3) >
  partial_overlap (2) > same_event (1) > unrelated (0)``; ``null`` where undefined (one class only, or a
  constant).

All are scikit-learn's and scipy's: ``accuracy_score``, ``f1_score``, ``confusion_matrix`` and
``precision_recall_fscore_support`` computed from the summed relation matrix by :mod:`.confusion` (equal to
scikit-learn's to the last bit), and ``roc_auc_score``, ``average_precision_score`` and ``scipy.stats.spearmanr``
computed from the ranks of the scores by :func:`roc_auc`, :func:`average_precision` and :func:`spearman` below
(equal to theirs to the last bit, without importing either).
For the bootstrap, a pair belongs to its first article (``a < b``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from ..records import RELATIONS
from ..release.arrays import numbers, strings
from ..release.dataset import ArticleIndex, Release
from .confusion import accuracy, macro_f1, precision_recall_f1, present_labels
from .core import (
    Options,
    Rows,
    Scorer,
    Source,
    Statistics,
    Totals,
    Undefined,
    defined,
    no_gold,
    scope,
)
from .tables import RecordTable, load_table

NAME = "doc_pairs"
NONE = len(RELATIONS)  # the relation code of a pair predicted without a relation
DUPLICATES = ("exact", "near_duplicate")
GOLD_SLICE = 1 << 20  # gold pairs matched at a time
HEADLINE = ("relations.accuracy", "relations.macro_f1", "duplicate.precision", "duplicate.recall", "duplicate.f1",
            "scores.roc_auc", "scores.average_precision", "scores.spearman")


def order(relation: str) -> int:
    """The relation's rank: exact 4, near_duplicate 3, partial_overlap 2, same_event 1, unrelated 0."""
    return len(RELATIONS) - 1 - RELATIONS.index(relation)


def read_predictions(source: Source, gold: Release) -> tuple[RecordTable, list[Problem]]:
    """The checked predictions, as columns; a problem for each record that breaks the schema, names an unknown
    article or one article twice, pairs articles of two clusters, or repeats a pair."""
    records, problems = load_table(source, NAME)
    # The schema says "a relation or a score" with anyOf, whose own message names neither; say it plainly.
    problems = [Problem(p.path, p.line, "relation", "give a relation, a score, or both")
                if p.message == "give relation, or score"
                or p.message.endswith("is not valid under any of the given schemas")
                else p for p in problems]
    index = gold.article_index
    a, b = index.codes(records.column("a")), index.codes(records.column("b"))
    # Each record's first problem, in this order: unknown a, unknown b, one article twice, two clusters.
    checks = [(a < 0, "a", lambda i: f"unknown article id {records.value(i, 'a')!r}"),
              (b < 0, "b", lambda i: f"unknown article id {records.value(i, 'b')!r}"),
              (a == b, "b", lambda i: "a pair names one article twice"),
              (_cluster(index, a) != _cluster(index, b), "b",
               lambda i: f"pairs are within a cluster; {records.value(i, 'a')} and {records.value(i, 'b')} are not")]
    bad = np.zeros(len(records), dtype=bool)
    for failed, field, message in checks:
        for i in np.flatnonzero(failed & ~bad).tolist():
            problems.append(records.problem(i, field, message(i)))
        bad |= failed
    # A pair predicted twice: each later record of a pair is a problem that names the first.
    key = np.where(bad, -1, np.minimum(a, b) * len(index.clusters) + np.maximum(a, b))
    ordered = np.argsort(key, kind="stable")
    repeated = np.flatnonzero((key[ordered][1:] == key[ordered][:-1]) & (key[ordered][1:] >= 0)) + 1
    first = np.maximum.accumulate(np.where(np.r_[True, key[ordered][1:] != key[ordered][:-1]],
                                           np.arange(len(ordered)), 0))
    for position in repeated.tolist():
        i, earlier = int(ordered[position]), int(ordered[first[position]])
        problems.append(records.problem(i, "b", f"duplicate prediction for pair {records.value(i, 'a')} / "
                                                f"{records.value(i, 'b')} (first at {records.path}:"
                                                f"{records.lines[earlier]})"))
        bad[i] = True
    return records.where(~bad), problems


def statistics(records: Sequence[Mapping[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    """Per article (a pair belongs to its first article): the relation matrix (gold x predicted or none),
    the counts of predictions given with a relation and with a score, and each gold pair's relation order and
    predicted score (NaN where none)."""
    articles = scope(gold, article_ids)
    index = gold.article_index
    table = records if isinstance(records, RecordTable) else load_table(records, NAME)[0]
    position = np.full(len(index.clusters) + 1, -1, dtype=np.int64)  # the last entry: not an article
    position[index.codes(strings(articles))] = np.arange(len(articles))
    predicted = _keys(index, table.column("a"), table.column("b"))
    by_key = np.argsort(predicted, kind="stable")
    predicted = predicted[by_key]
    relation = _relation_codes(table.column("relation"))[by_key].astype(np.int8)
    score = numbers(table.column("score"), np.float64, null=np.nan)[by_key]
    del by_key
    pairs = gold.table("doc_pairs", ["a", "b", "relation"], dictionary=("a", "b", "relation"))
    n, cells = len(articles), len(RELATIONS) * (len(RELATIONS) + 1)
    relations = np.zeros(n * cells, dtype=np.int64)
    given = np.zeros((n, 3), dtype=np.int64)
    rows = []
    # The gold pairs in slices, so that no temporary is as long as the gold (sums of integer counts: the
    # same totals in any slicing).
    for start in range(0, pairs.num_rows, GOLD_SLICE):
        part = pairs.slice(start, GOLD_SLICE)
        wanted = _keys(index, part.column("a"), part.column("b"))
        first = np.minimum(index.codes(part.column("a")), index.codes(part.column("b")))
        article = position[np.where(first < 0, len(index.clusters), first)]
        scored = article >= 0
        article, wanted = article[scored], wanted[scored]
        truth = _relation_codes(part.column("relation"))[scored]
        found = np.minimum(np.searchsorted(predicted, wanted), max(len(predicted) - 1, 0))
        matched = predicted[found] == wanted if len(predicted) else np.zeros(len(wanted), dtype=bool)
        guessed = np.where(matched, relation[found] if len(relation) else NONE, NONE)
        guessed_score = np.where(matched, score[found] if len(score) else np.nan, np.nan)
        relations += np.bincount(article * cells + truth * (len(RELATIONS) + 1) + guessed, minlength=n * cells)
        for column, counted in enumerate((matched, matched & (guessed != NONE), matched & ~np.isnan(guessed_score))):
            given[:, column] += np.bincount(article[counted], minlength=n)
        rows.append(Rows(article.astype(np.int64),
                         np.stack([len(RELATIONS) - 1 - truth, guessed_score], axis=1).astype(np.float64)))
    scores = Rows(np.concatenate([r.article for r in rows]) if rows else np.zeros(0, dtype=np.int64),
                  np.concatenate([r.values for r in rows]) if rows else np.zeros((0, 2), dtype=np.float64))
    return Statistics(articles, counts={"relations": relations.reshape(n, len(RELATIONS), len(RELATIONS) + 1),
                                        "given": given},
                      rows={"scores": scores})


def _cluster(index: ArticleIndex, codes: np.ndarray) -> np.ndarray:
    """The cluster code of each article code (-1 for -1)."""
    return np.where(codes < 0, -1, index.clusters[np.maximum(codes, 0)] if len(index.clusters) else -1)


def _keys(index: ArticleIndex, a: pa.ChunkedArray, b: pa.ChunkedArray) -> np.ndarray:
    """One number per unordered pair of article ids (-1 where either is not an article)."""
    first, second = index.codes(a), index.codes(b)
    unknown = (first < 0) | (second < 0)
    return np.where(unknown, -1, np.minimum(first, second) * len(index.clusters) + np.maximum(first, second))


def _relation_codes(column: pa.ChunkedArray) -> np.ndarray:
    """Each relation's index in RELATIONS, NONE where there is none."""
    return numbers(pc.index_in(column, value_set=strings(RELATIONS)), np.int64, null=NONE)


def report(totals: Totals, options: Options) -> dict[str, Any]:
    matrix = totals.counts["relations"]
    predictions, with_relation, with_score = (int(x) for x in totals.counts["given"])
    out: dict[str, Any] = {"counts": {"articles": totals.articles, "pairs": int(matrix.sum()),
                                      "duplicates": int(matrix[: len(DUPLICATES)].sum()), "predicted": predictions}}
    if with_relation or not with_score:
        out.update(_label_metrics(matrix, options))
    if with_score:
        out["scores"] = _score_metrics(totals.rows["scores"])
    return out


def _label_metrics(matrix: np.ndarray, options: Options) -> dict[str, Any]:
    """Accuracy, macro F1 and the duplicate rates of the summed relation matrix (gold x predicted or none)."""
    if not matrix.any():
        empty = [[0] * (len(RELATIONS) + 1) for _ in RELATIONS]
        return {"relations": {**no_gold("pair", ("accuracy", "macro_f1")), "confusion": _confusion(empty)},
                "duplicate": no_gold("pair")}
    duplicates = len(DUPLICATES)
    # "is a duplicate", gold x predicted: no prediction and any other relation are "not a duplicate".
    binary = np.array([[matrix[duplicates:, duplicates:].sum(), matrix[duplicates:, :duplicates].sum()],
                       [matrix[:duplicates, duplicates:].sum(), matrix[:duplicates, :duplicates].sum()]],
                      dtype=np.int64)
    precision, recall, f_score = precision_recall_f1(binary, 1, options.undefined)
    return {
        "relations": {"accuracy": accuracy(matrix, options.undefined),
                      "macro_f1": macro_f1(matrix, present_labels(matrix, exclude=NONE), options.undefined),
                      "confusion": _confusion(matrix.tolist())},
        "duplicate": ({"precision": precision, "recall": recall, "f1": f_score} if matrix[:duplicates].any()
                      else no_gold("duplicate pair")),
    }


def _confusion(matrix: list[list[int]]) -> dict[str, Any]:
    return {"gold": list(RELATIONS), "predicted": [*RELATIONS, "none"], "matrix": matrix}


def _score_metrics(rows: np.ndarray) -> dict[str, Any]:
    relation_order, score = rows[:, 0], rows[:, 1].copy()
    missing = np.isnan(score)
    if missing.all():
        return dict.fromkeys(("roc_auc", "average_precision", "spearman"),
                             Undefined("no gold pair" if not len(score) else "no gold pair has a score"))
    # Every metric here depends on the order of the scores only, so they are replaced by their dense ranks
    # (1, 2, ...) and an unscored pair by 0, below every scored one. ``min - 1`` would tie with the minimum for
    # large scores (1e17 - 1 == 1e17); ranks make any increasing rescaling of the scores change no metric.
    ranks = np.zeros(len(score), dtype=np.int64)
    ranks[~missing] = np.unique(score[~missing], return_inverse=True)[1].reshape(-1) + 1
    relation_order = relation_order.astype(np.int64)
    duplicate = relation_order >= order(DUPLICATES[-1])
    positives, negatives = ranked_counts(ranks, duplicate)
    one_class = Undefined("the gold pairs have one class only: " + ("all are duplicates" if duplicate.any()
                                                                     else "no duplicate"))
    return {
        "roc_auc": roc_auc(positives, negatives) if positives.any() and negatives.any() else one_class,
        "average_precision": (average_precision(positives, negatives) if positives.any()
                              else Undefined("no gold duplicate pair")),
        "spearman": defined(spearman(relation_order, ranks),
                            "Spearman's rho of a constant: every gold relation, or every score, is the same"),
    }


# Ranking metrics, from integer counts. Each is scikit-learn's or scipy's to the last bit (tests/
# test_scoring_properties.py checks it on random inputs with ties): the same float operations on the same
# values, with every sum that could depend on the order of the items (or on a BLAS kernel) done exactly in
# integers first. They take microseconds where scikit-learn's take milliseconds, which matters in a bootstrap.


def ranked_counts(codes: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The number of positive and of negative items at each distinct score, from the highest score down;
    ``codes`` are the scores as non-negative integers in the same order (ties equal), such as dense ranks."""
    codes, positive = np.asarray(codes, dtype=np.int64), np.asarray(positive, dtype=bool)
    size = int(codes.max()) + 1 if len(codes) else 0
    positives = np.bincount(codes[positive], minlength=size)[::-1]
    negatives = np.bincount(codes[~positive], minlength=size)[::-1]
    present = (positives + negatives) > 0  # a code no item has is no threshold
    return positives[present].astype(np.int64), negatives[present].astype(np.int64)


def roc_auc(positives: np.ndarray, negatives: np.ndarray) -> float:
    """``sklearn.metrics.roc_auc_score``: the trapezoidal area under the ROC curve, whose points are the
    cumulative true and false positive rates ``(tp_k / P, fp_k / N)`` at each distinct score from the highest
    down (from :func:`ranked_counts`), after the collinear points are dropped as scikit-learn drops them."""
    tps = np.cumsum(positives, dtype=np.int64).astype(np.float64)
    fps = np.cumsum(negatives, dtype=np.int64).astype(np.float64)
    if not tps[-1] or not fps[-1]:
        raise ValueError("ROC AUC needs both classes")
    if len(fps) > 2:
        kept = np.concatenate(([True], np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), [True]))
        tps, fps = tps[kept], fps[kept]
    tpr, fpr = np.concatenate(([0.0], tps)) / tps[-1], np.concatenate(([0.0], fps)) / fps[-1]
    # scipy.integrate.trapezoid: numpy's sum in its fixed (pairwise) order, no BLAS.
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2.0))


def average_precision(positives: np.ndarray, negatives: np.ndarray) -> float:
    """``sklearn.metrics.average_precision_score``: ``sum_k (R_k - R_{k-1}) P_k`` over the distinct scores from
    the highest down (from :func:`ranked_counts`), with ``P_k = tp_k / (tp_k + fp_k)`` and ``R_k = tp_k / P``."""
    tps = np.cumsum(positives, dtype=np.int64).astype(np.float64)
    fps = np.cumsum(negatives, dtype=np.int64).astype(np.float64)
    if not tps[-1]:
        raise ValueError("average precision needs a positive item")
    precision = np.concatenate(((tps / (tps + fps))[::-1], [1.0]))
    recall = np.concatenate(((tps / tps[-1])[::-1], [0.0]))
    return float(max(0.0, -np.sum((recall[1:] - recall[:-1]) * precision[:-1])))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """``scipy.stats.spearmanr(x, y).statistic`` of two variables given as non-negative integer codes in the
    order of their values (ties equal), such as dense ranks: Pearson's r of the average ranks (ties share the
    mean of their ranks), ``sum(dx dy) / sqrt(sum(dx^2) sum(dy^2))`` with ``d`` the rank minus the mean rank; NaN for
    fewer than two items or a constant input.

    Twice a centred average rank is an integer, so the three sums are exact integers (Python integers beyond
    2 * 10^6 items, where int64 could overflow), rounded once to floats; the rest are numpy's ``corrcoef``
    float operations, in its order. scipy sums through BLAS, whose result could change with the CPU only where
    the sums pass 2^53 (beyond about 3 * 10^5 items); here it never does.
    """
    n = len(x)
    if len(y) != n:
        raise ValueError("x and y must have the same length")
    if n < 2:
        return math.nan
    dx, dy = _centred_ranks(x), _centred_ranks(y)
    if not dx.any() or not dy.any():
        return math.nan  # a constant input
    if n > 2_000_000:
        dx, dy = dx.astype(object), dy.astype(object)
    sxy, sxx, syy = (float(int((u * v).sum())) / 4.0 for u, v in ((dy, dx), (dx, dx), (dy, dy)))
    factor = 1.0 / (n - 1)
    rho = (sxy * factor / math.sqrt(syy * factor)) / math.sqrt(sxx * factor)
    return min(1.0, max(-1.0, rho))


def _centred_ranks(codes: np.ndarray) -> np.ndarray:
    """Twice each item's average rank minus the mean rank (an integer): ``2 * below + equal - n``."""
    codes = np.asarray(codes, dtype=np.int64)
    counts = np.bincount(codes)
    below = np.cumsum(counts) - counts
    return (2 * below + counts - len(codes))[codes]


SCORER = Scorer(NAME, "doc_pairs", HEADLINE, read_predictions, statistics, report)
