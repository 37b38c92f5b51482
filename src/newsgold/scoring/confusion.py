"""Classification metrics of a summed confusion matrix: scikit-learn's numbers without scikit-learn.

A scorer that labels items (document pairs, lines) sums per-article confusion matrices; every rate it reports
is a function of the summed matrix ``M`` (rows: gold label, columns: predicted label; there may be more
columns than rows, for "no prediction"). These functions compute them from ``M`` with the same floating-point
operations, in the same order, as scikit-learn does from the labelled samples with ``sample_weight`` (which is
what ``tests/test_scoring_confusion.py`` checks, to the last bit, on random matrices). A bootstrap replicate is
then one small matrix and a handful of divisions, instead of a call into scikit-learn.

For a label ``l``: ``tp = M[l, l]``, ``true = sum_j M[l, j]`` (gold ``l``), ``predicted = sum_i M[i, l]``
(predicted ``l``). Counts are integers, summed exactly; every rate is one correctly rounded division of two
of them, so it is the same on every machine.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

IntMatrix = NDArray[np.int64]


def _counts(matrix: IntMatrix, label: int) -> tuple[int, int, int]:
    """``(tp, true, predicted)`` of ``label``: its diagonal cell, its row sum and its column sum."""
    if not 0 <= label < min(matrix.shape):
        raise ValueError(f"label {label} is outside the {matrix.shape[0]}x{matrix.shape[1]} matrix")
    return int(matrix[label, label]), int(matrix[label].sum()), int(matrix[:, label].sum())


def divide(numerator: int, denominator: int, undefined: float) -> float:
    """``numerator / denominator`` (correctly rounded), and ``undefined`` when the denominator is 0.

    This is scikit-learn's ``_prf_divide`` with ``zero_division=undefined``.
    """
    return numerator / denominator if denominator else undefined


def accuracy(matrix: IntMatrix, undefined: float = 0.0) -> float:
    """``sum_l M[l, l] / sum M``: ``accuracy_score`` (a prediction outside the gold labels is never right)."""
    rows = min(matrix.shape)
    return divide(int(np.trace(matrix[:rows, :rows])), int(matrix.sum()), undefined)


def precision_recall_f1(matrix: IntMatrix, label: int, undefined: float = 0.0) -> tuple[float, float, float]:
    """Precision ``tp / predicted``, recall ``tp / true`` and F1 ``2 tp / (true + predicted)`` of ``label``.

    ``precision_recall_fscore_support(..., labels=[..., label, ...], zero_division=undefined)``: scikit-learn
    computes F1 from the counts too (not from the two rounded rates), so this is its number exactly.
    """
    tp, true, predicted = _counts(matrix, label)
    return (divide(tp, predicted, undefined), divide(tp, true, undefined),
            divide(2 * tp, true + predicted, undefined))


def macro_f1(matrix: IntMatrix, labels: list[int], undefined: float = 0.0) -> float:
    """The unweighted mean of the F1 of each of ``labels``: ``f1_score(..., labels=labels, average="macro")``.

    Labels whose F1 is undefined (NaN) are left out of the mean, as ``numpy.nanmean`` does in scikit-learn;
    the mean is NaN when every one is. The sum is numpy's over the F1 values in label order, the one
    scikit-learn takes, so that the last bit agrees with it.
    """
    if not labels:
        return math.nan
    scores = np.array([precision_recall_f1(matrix, label, undefined)[2] for label in labels], dtype=np.float64)
    kept = scores[~np.isnan(scores)]
    return float(np.sum(kept) / len(kept)) if len(kept) else math.nan


def cohen_kappa(matrix: IntMatrix) -> float:
    """Cohen's kappa of a square matrix: ``cohen_kappa_score`` with unit weights off the diagonal.

    With ``p`` the column sums, ``q`` the row sums and ``n`` the total, the expected matrix is
    ``E[i, j] = p[i] q[j] / n`` and kappa is ``1 - sum_{i != j} M[i, j] / sum_{i != j} E[i, j]``; NaN when
    ``n`` or the expected disagreement is 0 (scikit-learn's ``replace_undefined_by=np.nan``).
    """
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError("Cohen's kappa needs a square matrix")
    confusion = matrix.astype(np.float64)
    columns, rows = confusion.sum(axis=0), confusion.sum(axis=1)
    total = columns.sum()
    if total == 0:
        return math.nan
    off_diagonal = 1.0 - np.eye(len(confusion))
    # The operations of scikit-learn, in its order: np.outer(columns, rows) / total, then elementwise
    # products with the weights summed by numpy.
    expected = np.multiply.outer(columns, rows) / total
    disagreement = np.sum(off_diagonal * confusion)
    chance = np.sum(off_diagonal * expected)
    if chance == 0:
        return math.nan
    return float(1 - disagreement / chance)


def present_labels(matrix: IntMatrix, *, exclude: int | None = None) -> list[int]:
    """The labels with any count as gold or as prediction (sorted), ``exclude`` left out."""
    rows, columns = np.nonzero(matrix)
    return sorted((set(rows.tolist()) | set(columns.tolist())) - ({exclude} if exclude is not None else set()))
