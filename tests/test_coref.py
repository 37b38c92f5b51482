"""Coreference metrics: the published LEA example, equality with scorch, and the sparse alignment."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from newsgold.metrics import coref

scorch = pytest.importorskip("scorch.scores")
# scorch's harmonic mean of numpy zeros warns (and then fails, handled below) on CEAF with nothing aligned.
pytestmark = pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")


def clusterings(draw: st.DrawFn, mentions: int) -> tuple[list[set[int]], list[set[int]]]:
    """A key and a response over overlapping but different mention sets."""
    sides = []
    for _ in range(2):
        present = [m for m in range(mentions) if draw(st.booleans()) or draw(st.booleans())]
        labels = [draw(st.integers(0, max(0, len(present) // 2))) for _ in present]
        clusters: dict[int, set[int]] = {}
        for mention, label in zip(present, labels, strict=True):
            clusters.setdefault(label, set()).add(mention)
        sides.append(list(clusters.values()))
    return sides[0], sides[1]


@st.composite
def key_and_response(draw: st.DrawFn) -> tuple[list[set[int]], list[set[int]]]:
    return clusterings(draw, draw(st.integers(0, 14)))


def test_lea_on_the_worked_example_of_the_paper() -> None:
    # Moosavi and Strube (2016), section 4: key {a,b,c}, {d,e,f,g}; response {a,b}, {c,d}, {f,g,h,i}.
    table = coref.Table.from_clusters([set("abc"), set("defg")], [set("ab"), set("cd"), set("fghi")])
    result = coref.lea(table)
    recall = Fraction(3 * 1, 3 * 3) * 3 / 7 + Fraction(4 * 1, 4 * 6) * 4 / 7  # (3·1/3 + 4·1/6) / 7
    precision = (2 * Fraction(1, 1) + 2 * 0 + 4 * Fraction(1, 6)) / 8
    assert (result.recall, result.precision) == (float(recall), float(precision))
    assert (round(result.recall, 2), round(result.precision, 2), round(result.f1, 2)) == (0.24, 0.33, 0.28)


def test_lea_singletons_have_a_self_link() -> None:
    same = coref.Table.from_clusters([{1}, {2, 3}], [{1}, {2, 3}])
    assert coref.lea(same) == (1.0, 1.0, 1.0)
    merged = coref.Table.from_clusters([{1}, {2, 3}], [{1, 2, 3}])
    # Key {1} is not a singleton of the response: its self-link is lost. Recall = (0 + 2·1) / 3.
    assert coref.lea(merged).recall == 2 / 3


def test_f1_is_rounded_once() -> None:
    assert coref.f1(0.4, 0.4) == 0.4  # 2·0.4·0.4 / 0.8 in floating point is 0.4000000000000001
    assert coref.f1(Fraction(1, 3), Fraction(1, 7)) == float(Fraction(2, 10))
    assert coref.f1(0.0, 0.0) == 0.0


@given(key_and_response())
@settings(max_examples=400, deadline=None)
def test_equal_to_scorch(sides: tuple[list[set[int]], list[set[int]]]) -> None:
    key, response = sides
    ours = coref.scores(coref.Table.from_clusters(key, response))
    for name, reference in (("muc", scorch.muc), ("b3", scorch.b_cubed), ("ceafm", scorch.ceaf_m),
                            ("ceafe", scorch.ceaf_e), ("blanc", scorch.blanc)):
        mine = ours[name]
        try:
            recall, precision, f_score = reference(key, response)
        except statistics.StatisticsError:
            # scorch 0.2 fails on a CEAF whose aligned total is 0 (harmonic_mean of numpy zeros); that is 0.
            assert mine.f1 == 0.0
            continue
        if name == "ceafe":  # scorch adds the aligned similarities in floating point, in its own order
            assert math.isclose(mine.precision, precision, rel_tol=1e-12, abs_tol=1e-15)
            assert math.isclose(mine.recall, recall, rel_tol=1e-12, abs_tol=1e-15)
        else:
            assert (mine.precision, mine.recall) == (precision, recall), name
        if name == "blanc":
            assert mine.f1 == f_score
        assert math.isclose(mine.f1, f_score, rel_tol=1e-12, abs_tol=1e-15), name
    if all(r.f1 > 0 for r in (ours["muc"], ours["b3"], ours["ceafe"])):
        assert math.isclose(ours["conll_f1"], scorch.conll2012(key, response), rel_tol=1e-12)


def dense_alignment(key: list[set[int]], response: list[set[int]], phi: str) -> float:
    if not key or not response:
        return 0.0
    weight = np.array([[len(k & r) if phi == "m" else 2 * len(k & r) / (len(k) + len(r)) for r in response]
                       for k in key])
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return float(weight[rows, cols].sum())


@given(key_and_response(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_sparse_alignment_finds_the_optimum(sides: tuple[list[set[int]], list[set[int]]], sparse: bool) -> None:
    key, response = sides
    table = coref.Table.from_clusters(key, response)
    limit = coref._DENSE_LIMIT
    try:
        coref._DENSE_LIMIT = 0 if sparse else limit  # force the sparse solver on every component
        m, e = coref.ceaf_m(table), coref.ceaf_e(table)
    finally:
        coref._DENSE_LIMIT = limit
    mentions_key = sum(len(k) for k in key)
    if mentions_key:
        assert m.recall == pytest.approx(dense_alignment(key, response, "m") / mentions_key, abs=1e-12)
    if key:
        assert e.recall == pytest.approx(dense_alignment(key, response, "e") / len(key), abs=1e-12)


def test_tables_add_up_over_any_partition_of_the_mentions() -> None:
    rng = np.random.default_rng(5)
    key = rng.integers(-1, 30, 400)
    response = np.where(rng.random(400) < 0.7, key, rng.integers(-1, 30, 400))
    whole = coref.Table.from_mentions(key, response)
    parts = [coref.Table.from_mentions(key[i::3], response[i::3]) for i in range(3)]
    # Parts keep their own numbering; re-label them with the original ids to add them.
    summed = coref.Table.from_cells(np.concatenate([key[i::3] for i in range(3)]),
                                    np.concatenate([response[i::3] for i in range(3)]), np.ones(400, dtype=np.int64))
    assert coref.scores(summed) == coref.scores(whole)
    assert sum(int(p.count.sum()) for p in parts) == int(whole.count.sum())


def test_without_singletons() -> None:
    table = coref.Table.from_clusters([{1}, {2, 3}, {4}], [{1, 2}, {3}, {4}])
    dropped = table.without_singletons()
    # Key keeps {2, 3}; response keeps {1, 2}: mention 1 is now in the response only, 3 in the key only.
    assert coref.b_cubed(dropped) == coref.b_cubed(coref.Table.from_clusters([{2, 3}], [{1, 2}]))


def test_degenerate_tables() -> None:
    empty = coref.Table.from_clusters([], [])
    assert coref.scores(empty)["b3"] == (0.0, 0.0, 0.0)
    one = coref.Table.from_clusters([{1}], [{1}])
    assert coref.blanc(one) == (1.0, 1.0, 1.0)
    assert coref.blanc(coref.Table.from_clusters([{1}], [{2}])) == (0.0, 0.0, 0.0)
    assert coref.muc(one) == (0.0, 0.0, 0.0)  # MUC has no link to score among singletons
    with pytest.raises(ValueError, match="two clusters"):
        coref.Table.from_clusters([{1}, {1}], [])
