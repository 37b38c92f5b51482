"""The metrics of a summed confusion matrix are scikit-learn's, to the last bit, on random matrices."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score, precision_recall_fscore_support

from newsgold.scoring.confusion import accuracy, cohen_kappa, macro_f1, precision_recall_f1, present_labels


def matrices(rows: int, columns: int, high: int = 50) -> st.SearchStrategy[np.ndarray]:
    # Many zeros, as real matrices have (absent labels, no prediction), and now and then a large count.
    cell = st.one_of(st.just(0), st.integers(0, high), st.integers(0, 10**9))
    return st.lists(cell, min_size=rows * columns, max_size=rows * columns).map(
        lambda cells: np.array(cells, dtype=np.int64).reshape(rows, columns))


def samples(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gold, predicted = np.nonzero(matrix)
    return gold, predicted, matrix[gold, predicted]


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("undefined", [0.0, math.nan])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_equal_to_scikit_learn(data: st.DataObject, undefined: float) -> None:
    rows = data.draw(st.integers(1, 11))
    matrix = data.draw(matrices(rows, rows + data.draw(st.integers(0, 1))))
    if not matrix.any():
        return  # scikit-learn has no samples to score; the scorers report the undefined values themselves
    y_true, y_pred, weight = samples(matrix)
    assert accuracy(matrix, undefined) == float(accuracy_score(y_true, y_pred, sample_weight=weight))
    none = rows if matrix.shape[1] > rows else None
    labels = present_labels(matrix, exclude=none)
    assert labels == sorted((set(y_true.tolist()) | set(y_pred.tolist())) - {none})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = f1_score(y_true, y_pred, labels=labels, average="macro", sample_weight=weight,
                            zero_division=undefined)
        assert same(macro_f1(matrix, labels, undefined), float(expected))
        for label in range(rows):
            p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=[label], sample_weight=weight,
                                                         zero_division=undefined)
            ours = precision_recall_f1(matrix, label, undefined)
            assert all(same(a, float(b[0])) for a, b in zip(ours, (p, r, f), strict=True))


@settings(max_examples=500, deadline=None)
@given(matrix=matrices(2, 2))
def test_binary_rates_and_kappa_equal_scikit_learn(matrix: np.ndarray) -> None:
    if not matrix.any():
        assert math.isnan(cohen_kappa(matrix))
        return
    y_true, y_pred, weight = samples(matrix)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=[0, 1], sample_weight=weight,
                                                     zero_division=0.0)
        kappa = cohen_kappa_score(y_true, y_pred, labels=[0, 1], sample_weight=weight)
    assert precision_recall_f1(matrix, 1) == (float(p[1]), float(r[1]), float(f[1]))
    assert same(cohen_kappa(matrix), float(kappa))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="square"):
        cohen_kappa(np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="outside"):
        precision_recall_f1(np.zeros((2, 3), dtype=np.int64), 2)
    assert math.isnan(macro_f1(np.zeros((2, 2), dtype=np.int64), []))
