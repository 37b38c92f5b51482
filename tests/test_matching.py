"""The span-matching core: every overlap found by sort and sweep, and the one-to-one rule."""

from __future__ import annotations

from random import Random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.metrics.matching import one_to_one, overlapping_pairs
from newsgold.scoring.spans import SpanArrays, match

span = st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(1, 12)).map(lambda t: (t[0], t[1], t[1] + t[2]))


def brute_force(a: list[tuple[int, int, int]], b: list[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    return {(i, j, min(ea, eb) - max(sa, sb))
            for i, (da, sa, ea) in enumerate(a) for j, (db, sb, eb) in enumerate(b)
            if da == db and max(sa, sb) < min(ea, eb)}


@given(st.lists(span, max_size=25), st.lists(span, max_size=25))
@settings(max_examples=300, deadline=None)
def test_overlapping_pairs_are_exactly_the_overlaps(a: list, b: list) -> None:
    columns_a = np.array(a, dtype=np.int64).reshape(-1, 3).T
    columns_b = np.array(b, dtype=np.int64).reshape(-1, 3).T
    i, j, overlap = overlapping_pairs(*columns_a, *columns_b)
    found = list(zip(i.tolist(), j.tolist(), overlap.tolist(), strict=True))
    assert len(found) == len(set(found))  # each pair once
    assert set(found) == brute_force(a, b)


def test_no_spans_no_pairs() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert all(len(x) == 0 for x in overlapping_pairs(empty, empty, empty, [0], [0], [3]))


def test_largest_overlap_first() -> None:
    # Gold [0, 10) and [10, 20); a prediction [5, 18) overlaps the first by 5 and the second by 8.
    gold = SpanArrays.of([0, 0], [0, 10], [10, 20], [0, 0])
    pred = SpanArrays.of([0, 0], [5, 0], [18, 3], [0, 0])
    g, p = match(gold, pred)
    # [5, 18) takes the second gold span (overlap 8); [0, 3) then takes the first.
    assert sorted(zip(g.tolist(), p.tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_ties_prefer_exact_boundaries_then_the_same_type() -> None:
    gold = SpanArrays.of([0, 0], [0, 0], [4, 4], [1, 2])  # the same span twice, types 1 and 2
    pred = SpanArrays.of([0], [0], [4], [2])
    g, p = match(gold, pred)
    assert (g.tolist(), p.tolist()) == ([1], [0])
    gold = SpanArrays.of([0], [0], [10], [0])
    pred = SpanArrays.of([0, 0], [0, 1], [10, 11], [1, 0])  # exact but wrong type, vs. shifted
    g, p = match(gold, pred)
    assert (g.tolist(), p.tolist()) == ([0], [0])


def test_a_prediction_overlapping_one_percent_of_the_gold_span_or_less_is_no_candidate() -> None:
    gold = SpanArrays.of([0, 0], [0, 300], [200, 500], [0, 0])
    pred = SpanArrays.of([0, 0], [198, 499], [200, 520], [0, 0])
    # [198, 200) overlaps gold 0 by 2 of 200 code points (1%): a candidate; [499, 520) overlaps gold 1 by 1 of
    # 200 (0.5%): not one.
    g, p = match(gold, pred)
    assert (g.tolist(), p.tolist()) == ([0], [0])


@given(st.lists(span, max_size=15), st.lists(span, max_size=15), st.randoms())
@settings(max_examples=200, deadline=None)
def test_matching_is_one_to_one_and_does_not_depend_on_order(a: list, b: list, random: Random) -> None:
    def run(gold: list, pred: list) -> set:
        g_arrays = SpanArrays.of(*np.array(gold, dtype=np.int64).reshape(-1, 3).T, np.zeros(len(gold)))
        p_arrays = SpanArrays.of(*np.array(pred, dtype=np.int64).reshape(-1, 3).T, np.zeros(len(pred)))
        g, p = match(g_arrays, p_arrays)
        assert len(set(g.tolist())) == len(g) and len(set(p.tolist())) == len(p)
        return {(gold[i], pred[j]) for i, j in zip(g.tolist(), p.tolist(), strict=True)}

    a, b = list(dict.fromkeys(a)), list(dict.fromkeys(b))  # spans are unique on each side
    first = run(a, b)
    random.shuffle(a)
    random.shuffle(b)
    assert run(a, b) == first


def test_one_to_one_keeps_uncontested_pairs_and_resolves_the_rest_greedily() -> None:
    a = np.array([0, 0, 1, 2])
    b = np.array([0, 1, 1, 2])
    overlap = np.array([3, 5, 4, 1])
    keep = one_to_one(a, b, [-overlap])
    # (0, 1) has the largest overlap; (0, 0) and (1, 1) then conflict with it; (2, 2) is uncontested.
    assert keep.tolist() == [False, True, False, True]
