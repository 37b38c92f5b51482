"""The span-matching core: which spans of two sides overlap, and which of them are paired one to one.

Quotes, event mentions and passage members are all matched here, in two steps.

**Overlap (sort and sweep).** Two spans ``[s1, e1)`` and ``[s2, e2)`` of the same article overlap when they
share a code point, ``max(s1, s2) < min(e1, e2)``, and their overlap is ``min(e1, e2) - max(s1, s2)``. Every
overlapping pair falls in exactly one of two cases: the span of side B starts inside A (``s1 <= s2 < e1``), or
the span of side A starts strictly inside B (``s2 < s1 < e2``). With each side sorted by ``(article, start)``,
the partners of a span in each case are one contiguous run of the other side, found by binary search. So all
``k`` overlapping pairs of ``n`` and ``m`` spans are listed in ``O((n + m) log(n + m) + k)`` time, never by
comparing every span with every other.

**One-to-one matching (largest overlap first).** Callers keep the overlapping pairs their rule accepts
(quotes and event mentions: nervaluate's minimum overlap; passages: half of the shorter span), then
:func:`one_to_one` pairs each span with at most one span of the other side: candidate pairs are taken in
order of the caller's priority keys (largest overlap first, then the caller's tie-breakers, such as an
exact boundary match and then the same type), and a pair is kept when neither of its spans is taken yet.
A pair whose two spans have no other candidate is always kept, so on inputs where each span overlaps at most
one span of the other side the matching is forced and agrees with any greedy matcher, nervaluate's included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# Positions and article indices are packed into one sortable int64: article * 2**32 + position.
_SHIFT = np.int64(1 << 32)


def _as_int(values: ArrayLike) -> IntArray:
    return np.ascontiguousarray(values, dtype=np.int64)


def _packed(article: IntArray, position: IntArray) -> IntArray:
    return article * _SHIFT + position


def _expand(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """For ranges ``[lo[i], hi[i])``, the pairs ``(i, j)`` for every ``j`` in range ``i``, in order."""
    counts = hi - lo
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    # Position of each output inside its own range: a running index minus the start of its range.
    starts = np.cumsum(counts) - counts
    inner = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)
    return owner, np.repeat(lo, counts) + inner


def overlapping_pairs(
    a_article: ArrayLike, a_start: ArrayLike, a_end: ArrayLike,
    b_article: ArrayLike, b_start: ArrayLike, b_end: ArrayLike,
) -> tuple[IntArray, IntArray, IntArray]:
    """Every pair of overlapping spans of sides A and B, with its overlap, by sort and sweep.

    Spans are given as parallel arrays: the article (an integer index), ``start`` and ``end`` (``[start,
    end)`` in code points, ``start < end``, positions below 2**32). Returns ``(a_index, b_index, overlap)``,
    one entry per pair of spans of the same article with ``overlap = min(end) - max(start) > 0``.
    """
    a_art, a_s, a_e = _as_int(a_article), _as_int(a_start), _as_int(a_end)
    b_art, b_s, b_e = _as_int(b_article), _as_int(b_start), _as_int(b_end)
    if len(a_s) == 0 or len(b_s) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    a_key, b_key = _packed(a_art, a_s), _packed(b_art, b_s)
    a_order, b_order = np.argsort(a_key, kind="stable"), np.argsort(b_key, kind="stable")
    a_sorted, b_sorted = a_key[a_order], b_key[b_order]
    # The queries go in sorted order too: binary searches for ascending keys stay in cache.
    # Case 1: B starts inside A, s_a <= s_b < e_a.
    lo = np.searchsorted(b_sorted, a_sorted, side="left")
    hi = np.searchsorted(b_sorted, _packed(a_art, a_e)[a_order], side="left")
    i1, j1 = _expand(lo, hi)
    a1, b1 = a_order[i1], b_order[j1]
    # Case 2: A starts strictly inside B, s_b < s_a < e_b.
    lo = np.searchsorted(a_sorted, b_sorted, side="right")
    hi = np.searchsorted(a_sorted, _packed(b_art, b_e)[b_order], side="left")
    i2, j2 = _expand(lo, hi)
    b2, a2 = b_order[i2], a_order[j2]
    a_index, b_index = np.concatenate([a1, a2]), np.concatenate([b1, b2])
    overlap = np.minimum(a_e[a_index], b_e[b_index]) - np.maximum(a_s[a_index], b_s[b_index])
    return a_index, b_index, overlap


def one_to_one(a_index: ArrayLike, b_index: ArrayLike, priority: Sequence[ArrayLike]) -> BoolArray:
    """Which candidate pairs to keep so that every span is in at most one kept pair.

    ``priority`` holds one array per sort key, most important first, each ascending (pass ``-overlap`` first
    for largest overlap first). Pairs are taken in that order and kept when neither span is taken; ties that
    remain are broken by the order of the candidates, so callers that want a result independent of input order
    end the keys with the spans' own boundaries. Returns a boolean mask over the candidates.
    """
    a, b = _as_int(a_index), _as_int(b_index)
    keep = np.zeros(len(a), dtype=bool)
    if len(a) == 0:
        return keep
    a_degree = np.bincount(a)
    b_degree = np.bincount(b)
    alone = (a_degree[a] == 1) & (b_degree[b] == 1)
    keep[alone] = True  # no other candidate competes for either span
    rest = np.flatnonzero(~alone)
    if len(rest) == 0:
        return keep
    keys = [np.asarray(key)[rest] for key in priority]
    order = rest[np.lexsort([rest, *reversed(keys)])] if keys else rest
    # The greedy pass is sequential by nature; it only visits spans that compete for a partner.
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for pair, left, right in zip(order.tolist(), a[order].tolist(), b[order].tolist(), strict=True):
        if left not in taken_a and right not in taken_b:
            taken_a.add(left)
            taken_b.add(right)
            keep[pair] = True
    return keep


def align_clusters(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Predicted cluster -> gold cluster, one to one, most shared paired mentions first (then by ids)."""
    counts = Counter(pairs)
    if not counts:
        return {}
    keys = sorted(counts)
    gold_ids = {g: n for n, g in enumerate(sorted({g for g, _ in keys}))}
    pred_ids = {p: n for n, p in enumerate(sorted({p for _, p in keys}))}
    g = np.array([gold_ids[k[0]] for k in keys], dtype=np.int64)
    p = np.array([pred_ids[k[1]] for k in keys], dtype=np.int64)
    count = np.array([counts[k] for k in keys], dtype=np.int64)
    keep = one_to_one(g, p, [-count, g, p])
    return {keys[n][1]: keys[n][0] for n in np.flatnonzero(keep).tolist()}
