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
from the scores themselves.
For the bootstrap, a pair belongs to its first article (``a < b``).
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from typing import Any

import numpy as np

from ..dataset import Release
from ..errors import Problem
from ..records import RELATIONS
from .confusion import accuracy, macro_f1, precision_recall_f1, present_labels
from .core import (
    Options,
    Rows,
    Scorer,
    Source,
    Statistics,
    Totals,
    article_problem,
    defined,
    first_seen,
    load_rows,
    scope,
)

NAME = "doc_pairs"
NONE = len(RELATIONS)  # the relation code of a pair predicted without a relation
DUPLICATES = ("exact", "near_duplicate")
HEADLINE = ("relations.accuracy", "relations.macro_f1", "duplicate.precision", "duplicate.recall", "duplicate.f1",
            "scores.roc_auc", "scores.average_precision", "scores.spearman")


def order(relation: str) -> int:
    """The relation's rank: exact 4, near_duplicate 3, partial_overlap 2, same_event 1, unrelated 0."""
    return len(RELATIONS) - 1 - RELATIONS.index(relation)


def read_predictions(source: Source, gold: Release) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, NAME)
    # The schema says "a relation or a score" with anyOf, whose own message names neither; say it plainly.
    problems = [Problem(p.path, p.line, "relation", "give a relation, a score, or both")
                if p.message.endswith("is not valid under any of the given schemas") else p for p in problems]
    records = []
    seen: dict[Any, Any] = {}
    for row in rows:
        a, b = row.data["a"], row.data["b"]
        problem = article_problem(row, "a", a, gold) or article_problem(row, "b", b, gold)
        if problem is None and a == b:
            problem = row.problem("b", "a pair names one article twice")
        if problem is None and gold.articles[a].cluster_id != gold.articles[b].cluster_id:
            problem = row.problem("b", f"pairs are within a cluster; {a} and {b} are not")
        if problem is None:
            earlier = first_seen(seen, (min(a, b), max(a, b)), row)
            if earlier is not None:
                problem = row.problem("b", f"duplicate prediction for pair {a} / {b} "
                                           f"(first at {earlier.path}:{earlier.line})")
        if problem is None:
            records.append(row.data)
        else:
            problems.append(problem)
    return records, problems


def statistics(records: list[dict[str, Any]], gold: Release, article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    index = {article: i for i, article in enumerate(articles)}
    predicted = {(min(r["a"], r["b"]), max(r["a"], r["b"])): r for r in records}
    relations = np.zeros((len(articles), len(RELATIONS), len(RELATIONS) + 1), dtype=np.int64)
    given = np.zeros((len(articles), 3), dtype=np.int64)  # predictions, with a relation, with a score
    score_article, score_values = [], []
    for pair in gold.records.get("doc_pairs", []):
        a, b = min(pair["a"], pair["b"]), max(pair["a"], pair["b"])
        i = index.get(a)
        if i is None:
            continue
        guess = predicted.get((a, b), {})
        relation = guess.get("relation")
        relations[i, RELATIONS.index(pair["relation"]), NONE if relation is None else RELATIONS.index(relation)] += 1
        given[i] += (bool(guess), relation is not None, "score" in guess)
        score_article.append(i)
        score_values.append((order(pair["relation"]), float(guess.get("score", np.nan))))
    rows = Rows(np.array(score_article, dtype=np.int64), np.array(score_values, dtype=np.float64).reshape(-1, 2))
    return Statistics(articles, counts={"relations": relations, "given": given}, rows={"scores": rows})


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
        undefined = options.undefined
        return {"relations": {"accuracy": undefined, "macro_f1": undefined, "confusion": _confusion(empty)},
                "duplicate": dict.fromkeys(("precision", "recall", "f1"), undefined)}
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
        "duplicate": {"precision": precision, "recall": recall, "f1": f_score},
    }


def _confusion(matrix: list[list[int]]) -> dict[str, Any]:
    return {"gold": list(RELATIONS), "predicted": [*RELATIONS, "none"], "matrix": matrix}


def _score_metrics(rows: np.ndarray) -> dict[str, Any]:
    # Sorted, so that no floating-point sum inside the metrics depends on the order of the pairs.
    from scipy.stats import rankdata, spearmanr  # imported when first needed: importing them takes a second
    from sklearn.metrics import average_precision_score, roc_auc_score

    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    relation_order, score = rows[:, 0], rows[:, 1].copy()
    missing = np.isnan(score)
    if missing.all():
        return {"roc_auc": None, "average_precision": None, "spearman": None}
    # Every metric here depends on the order of the scores only, so they are replaced by their dense ranks
    # (1, 2, ...) and an unscored pair by 0, below every scored one. ``min - 1`` would tie with the minimum for
    # large scores (1e17 - 1 == 1e17); ranks make any increasing rescaling of the scores change no metric.
    score[~missing] = rankdata(score[~missing], method="dense")
    score[missing] = 0
    duplicate = relation_order >= order(DUPLICATES[-1])
    both_classes = 0 < duplicate.sum() < len(duplicate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a constant input makes rho undefined: reported as null
        rho = spearmanr(relation_order, score).statistic if len(score) > 1 else np.nan
    return {
        "roc_auc": float(roc_auc_score(duplicate, score)) if both_classes else None,
        "average_precision": float(average_precision_score(duplicate, score)) if duplicate.any() else None,
        "spearman": defined(rho),
    }


SCORER = Scorer(NAME, "doc_pairs", HEADLINE, read_predictions, statistics, report)
