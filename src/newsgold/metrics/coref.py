r"""Coreference metrics from sparse contingency tables: MUC, B-cubed, CEAF-e, CEAF-m, BLANC, LEA, CoNLL F1.

A *key* (the gold) and a *response* (a system) each partition their own set of mentions into clusters. Every
metric here depends only on their contingency table, ``n[k, r] = |K_k ∩ R_r|``, together with the mentions
that only one side has. :class:`Table` stores it sparsely, one cell per non-empty intersection, with cluster
``-1`` for "absent from that side"; so ``|K_k| = Σ_r n[k, r]`` counts the key mentions the response lacks
too. Tables add up cell by cell over any partition of the mentions (articles, shards), which is what lets a
large evaluation be scored in pieces and bootstrapped by summing. Nothing compares every cluster with every
other: each metric is a sum over the non-empty cells, and CEAF's assignment runs on the sparse graph of
clusters that share a mention.

With ``C(n) = n (n - 1) / 2`` the number of links among ``n`` mentions, and sums over non-empty cells
(``k, r ≥ 0`` unless said otherwise):

- **MUC** (Vilain et al., 1995): ``R = Σ_k (|K_k| - p(K_k)) / Σ_k (|K_k| - 1)`` where ``p(K_k)`` is the
  number of parts the response cuts ``K_k`` into (the response clusters it meets, plus one per mention the
  response lacks); ``P`` is the same with key and response swapped. When every key cluster or every response
  cluster is a singleton (or there is none), ``R = P = F = 0``, as in the CoNLL reference scorer.
- **B-cubed** (Bagga and Baldwin, 1998): ``R = Σ n[k, r]² / |K_k| / Σ_k |K_k|``,
  ``P = Σ n[k, r]² / |R_r| / Σ_r |R_r|``; mentions one side lacks count in that side's denominator only
  (Pradhan et al., 2014).
- **CEAF** (Luo, 2005): ``A`` is the one-to-one alignment of key to response clusters that maximises
  ``Σ φ(K, A(K))``; ``R = Σ φ(K, A(K)) / Σ_k φ(K_k, K_k)``, ``P = Σ φ(K, A(K)) / Σ_r φ(R_r, R_r)``.
  CEAF-m: ``φ3(K, R) = |K ∩ R|``. CEAF-e: ``φ4(K, R) = 2 |K ∩ R| / (|K| + |R|)``. Both are 0 when either side
  has no cluster.
- **BLANC** (Recasens and Hovy, 2011; Luo et al., 2014): coreference links ``C_k, C_r`` (pairs in one
  cluster) and non-coreference links ``N_k, N_r`` (pairs of mentions of that side in different clusters);
  ``R_c = |C_k ∩ C_r| / |C_k|``, ``P_c = |C_k ∩ C_r| / |C_r|``, ``F_c = 2 |C_k ∩ C_r| / (|C_k| + |C_r|)``, the
  same for ``N``, and BLANC is the mean of the two (each of ``R, P, F``). Edge cases follow scorch and the
  reference scorer: no links on either side scores 1, links on one side only scores 0, and when the key has
  no coreference (or no non-coreference) link BLANC is the non-coreference (or coreference) part alone; one
  single-mention cluster on each side scores 1 if it is the same mention, else 0. Here
  ``|C_k ∩ C_r| = Σ C(n[k, r])`` and, with ``a_k = Σ_{r≥0} n[k, r]``, ``b_r = Σ_{k≥0} n[k, r]`` and ``M`` the
  mentions both sides have, ``|N_k ∩ N_r| = C(M) - Σ_k C(a_k) - Σ_r C(b_r) + |C_k ∩ C_r|``.
- **LEA** (Moosavi and Strube, 2016): ``R = Σ_k |K_k| · Σ_r C(n[k, r]) / C(|K_k|) / Σ_k |K_k|`` and ``P`` the
  same with the sides swapped; a singleton cluster has one self-link, resolved when its mention is a
  singleton on the other side too.
- **CoNLL F1**: the mean of the MUC, B-cubed and CEAF-e F1.

Every F1 in the package is :func:`f1`, ``F = 2 P R / (P + R)`` (0 when ``P + R = 0``), computed exactly and
rounded once. MUC, B-cubed, CEAF-m and BLANC precision and recall, and BLANC's F, are bit for bit those of
scorch 0.2. CEAF-e precision and recall can differ from it in the last bit (scorch adds the aligned
similarities in floating point, this module with the exactly rounded ``math.fsum``), and so can the other F1s
(scorch takes ``statistics.harmonic_mean`` of the rounded P and R).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]

METRICS = ("muc", "b3", "ceafe", "ceafm", "blanc", "lea")

# A component of the cluster graph is aligned with a dense assignment up to this many cells (a x b);
# above it the sparse solver is used, so that one tangled component never allocates a dense square.
_DENSE_LIMIT = 250_000


class PRF(NamedTuple):
    precision: float
    recall: float
    f1: float


Rate = float | Fraction


def f1(precision: Rate, recall: Rate) -> float:
    """The F1 of every scorer: ``2 P R / (P + R)``, and 0 when ``P + R = 0``.

    It is computed exactly from ``P`` and ``R`` (exact fractions of counts where the caller has them, else the
    floats given) and rounded once, so that ``P = R = 0.4`` gives 0.4, not the 0.4000000000000001 that the
    formula evaluated in floating point gives.
    """
    p, r = Fraction(precision), Fraction(recall)
    return float(2 * p * r / (p + r)) if p + r else 0.0


def _prf(precision: Rate, recall: Rate) -> PRF:
    return PRF(float(precision), float(recall), f1(precision, recall))


def _links(n: IntArray) -> IntArray:
    return n * (n - 1) // 2


@dataclass(frozen=True)
class Table:
    """A sparse contingency table of a key and a response clustering.

    One cell per non-empty intersection: ``key[i]`` and ``response[i]`` are cluster indices (``-1``: the
    mentions are absent from that side) and ``count[i] > 0`` the number of mentions. Clusters are numbered
    densely from 0; build tables with :meth:`from_cells`, :meth:`from_mentions` or :meth:`from_clusters`.
    """

    key: IntArray
    response: IntArray
    count: IntArray

    @classmethod
    def from_cells(cls, key: ArrayLike, response: ArrayLike, count: ArrayLike) -> Table:
        """Sum repeated cells, drop empty ones and renumber the clusters that remain from 0."""
        k = np.asarray(key, dtype=np.int64)
        r = np.asarray(response, dtype=np.int64)
        n = np.asarray(count, dtype=np.int64)
        keep = (n > 0) & ((k >= 0) | (r >= 0))
        k, r, n = k[keep], r[keep], n[keep]
        k, r = _dense(k), _dense(r)
        if len(n) == 0:
            return cls(k, r, n)
        # One int64 per cell (clusters are dense, so this cannot overflow for any table that fits in memory),
        # because a one-dimensional np.unique is many times faster than one over pairs.
        width = int(r.max()) + 2
        cells, inverse = np.unique((k + 1) * width + (r + 1), return_inverse=True)
        totals = np.bincount(inverse.reshape(-1), weights=n, minlength=len(cells)).astype(np.int64)
        return cls(cells // width - 1, cells % width - 1, totals)

    @classmethod
    def from_mentions(cls, key: ArrayLike, response: ArrayLike) -> Table:
        """The table of mentions labelled by their key and response cluster (any integers; -1: absent)."""
        k = np.asarray(key, dtype=np.int64)
        return cls.from_cells(k, response, np.ones(len(k), dtype=np.int64))

    @classmethod
    def from_clusters(cls, key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Table:
        """The table of two clusterings given as collections of mentions (each mention in one cluster a side)."""
        mentions: dict[Hashable, int] = {}
        sides = []
        for clusters in (key, response):
            label: dict[int, int] = {}
            for number, cluster in enumerate(clusters):
                for mention in cluster:
                    index = mentions.setdefault(mention, len(mentions))
                    if index in label:
                        raise ValueError(f"mention {mention!r} is in two clusters of one side")
                    label[index] = number
            sides.append(label)
        key_of = np.array([sides[0].get(i, -1) for i in range(len(mentions))], dtype=np.int64)
        response_of = np.array([sides[1].get(i, -1) for i in range(len(mentions))], dtype=np.int64)
        return cls.from_mentions(key_of, response_of)

    @property
    def key_sizes(self) -> IntArray:
        """``|K_k|`` for every key cluster, mentions the response lacks included."""
        return _sizes(self.key, self.count)

    @property
    def response_sizes(self) -> IntArray:
        return _sizes(self.response, self.count)

    def transposed(self) -> Table:
        """The same table with key and response swapped (precision of one is recall of the other)."""
        return Table(self.response, self.key, self.count)

    def without_singletons(self) -> Table:
        """Drop single-mention clusters from both sides; their mentions become absent from that side."""
        return Table.from_cells(_drop_single(self.key, self.key_sizes),
                                _drop_single(self.response, self.response_sizes), self.count)


def _drop_single(labels: IntArray, sizes: IntArray) -> IntArray:
    present = labels >= 0
    single = np.zeros(len(labels), dtype=bool)
    single[present] = sizes[labels[present]] == 1
    return np.where(single, -1, labels)


def _dense(labels: IntArray) -> IntArray:
    """The labels renumbered 0, 1, ... in the order of their values; -1 stays -1."""
    present = labels >= 0
    out = np.full(len(labels), -1, dtype=np.int64)
    if present.any():
        values = labels[present]
        if values.max() < 4 * len(values) + 1024:
            # Small labels (the usual case): a counting pass instead of a sort.
            used = np.bincount(values) > 0
            out[present] = (np.cumsum(used) - 1)[values]
        else:
            out[present] = np.unique(values, return_inverse=True)[1].reshape(-1)
    return out


def _sizes(labels: IntArray, count: IntArray) -> IntArray:
    present = labels >= 0
    if not present.any():
        return np.zeros(0, dtype=np.int64)
    return np.bincount(labels[present], weights=count[present]).astype(np.int64)


def _common(table: Table) -> tuple[IntArray, IntArray, IntArray]:
    both = (table.key >= 0) & (table.response >= 0)
    return table.key[both], table.response[both], table.count[both]


def muc(table: Table) -> PRF:
    """MUC precision, recall and F1 (formula in the module docstring)."""
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    if not len(key_sizes) or not len(response_sizes) or (key_sizes == 1).all() or (response_sizes == 1).all():
        return PRF(0.0, 0.0, 0.0)
    recall = _muc_recall(table, key_sizes)
    precision = _muc_recall(table.transposed(), response_sizes)
    return _prf(precision, recall)


def _muc_recall(table: Table, key_sizes: IntArray) -> Fraction:
    common = (table.key >= 0) & (table.response >= 0)
    alone = (table.key >= 0) & (table.response < 0)
    # p(K): one part per response cluster met, and one per mention the response lacks.
    parts = int(common.sum()) + int(table.count[alone].sum())
    total = int(key_sizes.sum())
    return Fraction(total - parts, total - len(key_sizes))


def b_cubed(table: Table) -> PRF:
    """B-cubed precision, recall and F1 (formula in the module docstring)."""
    k, r, n = _common(table)
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    squares = (n * n).astype(np.float64)
    # math.fsum is exactly rounded, so the sum does not depend on the order of the cells.
    recall = math.fsum((squares / key_sizes[k]).tolist()) / int(key_sizes.sum()) if key_sizes.sum() else 0.0
    precision = (math.fsum((squares / response_sizes[r]).tolist()) / int(response_sizes.sum())
                 if response_sizes.sum() else 0.0)
    return _prf(precision, recall)


def ceaf_m(table: Table) -> PRF:
    """Mention-based CEAF, ``φ3(K, R) = |K ∩ R|``."""
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    if not len(key_sizes) or not len(response_sizes):
        return PRF(0.0, 0.0, 0.0)
    k, r, n = _common(table)
    a, b = key_sizes[k] - n, response_sizes[r] - n
    # Any other partner of K shares at most a = |K| - n mentions with it, and of R at most b.
    safe = n >= a + b
    total = _best_alignment(k, r, n.astype(np.float64), safe, len(key_sizes), len(response_sizes))
    # φ3 is a count, so the aligned total is an integer and both rates are exact fractions.
    return _prf(Fraction(round(total), int(response_sizes.sum())), Fraction(round(total), int(key_sizes.sum())))


def ceaf_e(table: Table) -> PRF:
    """Entity-based CEAF, ``φ4(K, R) = 2 |K ∩ R| / (|K| + |R|)``."""
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    if not len(key_sizes) or not len(response_sizes):
        return PRF(0.0, 0.0, 0.0)
    k, r, n = _common(table)
    size_k, size_r = key_sizes[k], response_sizes[r]
    similarity = 2 * n / (size_k + size_r)
    # Another partner R' of K has φ4(K, R') <= 2a / (|K| + a) with a = |K| - n, and likewise for R; the pair is
    # safe when φ4(K, R) is at least the sum of the two bounds: n (|K| + a) (|R| + b) >= (|K| + |R|) (a (|R| + b)
    # + b (|K| + a)). Evaluated in floating point with a margin, so that rounding can only make a pair unsafe.
    a, b = (size_k - n).astype(np.float64), (size_r - n).astype(np.float64)
    fk, fr = size_k.astype(np.float64), size_r.astype(np.float64)
    safe = n * (fk + a) * (fr + b) >= (fk + fr) * (a * (fr + b) + b * (fk + a)) * (1 + 1e-9)
    total = _best_alignment(k, r, similarity, safe, len(key_sizes), len(response_sizes))
    # φ4(K, K) = 1, so the denominators are the numbers of clusters.
    return _prf(total / len(response_sizes), total / len(key_sizes))


def _best_alignment(k: IntArray, r: IntArray, weight: NDArray[np.float64], safe: NDArray[np.bool_], n_key: int,
                    n_response: int) -> float:
    """The largest total weight of a one-to-one alignment of key to response clusters.

    Two reductions keep this fast on large tables without changing the optimum. A *safe* pair ``(K, R)`` is
    one whose weight is at least the most that K could gain from another partner plus the most that R could:
    exchanging any optimal alignment's partners of K and R for the pair ``(K, R)`` (and pairing their two old
    partners) loses nothing, so some optimal alignment contains it, and safe pairs with no node in common are
    fixed at once. The rest splits into the connected components of the graph of clusters that share a
    mention (only they have a positive weight); each is solved on its own, most are a single cell.
    """
    if len(k) == 0:
        return 0.0
    # scipy is imported here, not at the top: it takes half a second, and most commands never align clusters.
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    # Safe pairs that share a node can only arise from ties; those are left to the solver.
    key_safe = np.bincount(k[safe], minlength=n_key)
    response_safe = np.bincount(r[safe], minlength=n_response)
    fixed = safe & (key_safe[k] == 1) & (response_safe[r] == 1)
    key_taken = np.bincount(k[fixed], minlength=n_key) > 0
    response_taken = np.bincount(r[fixed], minlength=n_response) > 0
    rest = ~key_taken[k] & ~response_taken[r]
    chosen = [weight[fixed]]
    k, r, weight = k[rest], r[rest], weight[rest]
    if len(k):
        graph = coo_array((np.ones(len(k)), (k, n_key + r)), shape=(n_key + n_response,) * 2).tocsr()
        _, component = connected_components(graph, directed=False)
        cell_component = component[k]
        sizes = np.bincount(cell_component)
        single = sizes[cell_component] == 1
        chosen.append(weight[single])
        # Number each cluster within its component once, for all components, rather than once per component.
        key_local, response_local = _rank_within(component[:n_key]), _rank_within(component[n_key:])
        key_count = np.bincount(component[:n_key], minlength=len(sizes))
        response_count = np.bincount(component[n_key:], minlength=len(sizes))
        order = np.flatnonzero(~single)
        order = order[np.argsort(cell_component[order], kind="stable")]
        bounds = np.flatnonzero(np.diff(cell_component[order])) + 1
        for cells in np.split(order, bounds) if len(order) else []:
            c = cell_component[cells[0]]
            chosen.append(_assign(key_local[k[cells]], response_local[r[cells]], weight[cells],
                                  int(key_count[c]), int(response_count[c])))
    return math.fsum(np.concatenate(chosen).tolist())


def _rank_within(groups: IntArray) -> IntArray:
    """For each item, its index among the items of the same group (in item order)."""
    order = np.argsort(groups, kind="stable")
    ranks = np.empty(len(groups), dtype=np.int64)
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    ranks[order] = np.arange(len(groups)) - first
    return ranks


def _assign(k_local: IntArray, r_local: IntArray, weight: NDArray[np.float64], rows: int,
            cols: int) -> NDArray[np.float64]:
    """The weights of a maximum-weight one-to-one alignment of one connected component of rows x cols clusters."""
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    if rows * cols <= _DENSE_LIMIT:
        dense = np.zeros((rows, cols))
        dense[k_local, r_local] = weight
        row_index, col_index = linear_sum_assignment(dense, maximize=True)
        return dense[row_index, col_index]
    if rows > cols:
        k_local, r_local, rows, cols = r_local, k_local, cols, rows
    # The sparse solver needs a full matching of the smaller side and non-zero weights: give every row a
    # private dummy column of cost c and every real cell cost c - w; the cheapest full matching is then the
    # heaviest alignment (a fixed number of rows each pays c once).
    c = float(weight.max()) + 1.0
    data = np.concatenate([c - weight, np.full(rows, c)])
    row_ids = np.concatenate([k_local, np.arange(rows)])
    col_ids = np.concatenate([r_local, cols + np.arange(rows)])
    biadjacency = coo_array((data, (row_ids, col_ids)), shape=(rows, cols + rows)).tocsr()
    row_index, col_index = min_weight_full_bipartite_matching(biadjacency)
    real = col_index < cols
    lookup = {(a, b): w for a, b, w in zip(k_local.tolist(), r_local.tolist(), weight.tolist(), strict=True)}
    return np.array([lookup[(a, b)] for a, b in zip(row_index[real].tolist(), col_index[real].tolist(), strict=True)])


def blanc(table: Table) -> PRF:
    """BLANC precision, recall and F1, with the edge cases of the reference scorer (module docstring)."""
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    k, r, n = _common(table)
    if len(key_sizes) == len(response_sizes) == 1 and key_sizes[0] == response_sizes[0] == 1:
        same = bool(len(n))
        return PRF(*((1.0,) * 3 if same else (0.0,) * 3))
    coref_both, coref_key, coref_response = coreference_links(table)
    key_mentions, response_mentions = int(key_sizes.sum()), int(response_sizes.sum())
    non_key = key_mentions * (key_mentions - 1) // 2 - coref_key
    non_response = response_mentions * (response_mentions - 1) // 2 - coref_response
    shared = int(n.sum())
    a = np.bincount(k, weights=n).astype(np.int64) if len(k) else np.zeros(0, dtype=np.int64)
    b = np.bincount(r, weights=n).astype(np.int64) if len(r) else np.zeros(0, dtype=np.int64)
    non_both = shared * (shared - 1) // 2 - int(_links(a).sum()) - int(_links(b).sum()) + coref_both
    c_part = _blanc_part(coref_both, coref_key, coref_response)
    n_part = _blanc_part(non_both, non_key, non_response)
    if not coref_key:
        return n_part
    if not non_key:
        return c_part
    return PRF(*((x + y) / 2 for x, y in zip(c_part, n_part, strict=True)))


def coreference_links(table: Table) -> tuple[int, int, int]:
    """Coreference links (pairs of mentions in one cluster): ``(shared by both sides, of the key, of the response)``.

    ``|C_k ∩ C_r| = Σ C(n[k, r])``, ``|C_k| = Σ_k C(|K_k|)``, ``|C_r| = Σ_r C(|R_r|)``.
    """
    _, _, n = _common(table)
    return int(_links(n).sum()), int(_links(table.key_sizes).sum()), int(_links(table.response_sizes).sum())


def _blanc_part(both: int, key: int, response: int) -> PRF:
    if not key and not response:
        return PRF(1.0, 1.0, 1.0)
    if not key or not response:
        return PRF(0.0, 0.0, 0.0)
    return PRF(both / response, both / key, 2 * both / (key + response))


def lea(table: Table) -> PRF:
    """LEA precision, recall and F1 (Moosavi and Strube, 2016; formula in the module docstring)."""
    return _prf(_lea_recall(table.transposed()), _lea_recall(table))


def _lea_recall(table: Table) -> float:
    key_sizes, response_sizes = table.key_sizes, table.response_sizes
    total = int(key_sizes.sum())
    if not total:
        return 0.0
    k, r, n = _common(table)
    resolved = np.bincount(k, weights=_links(n), minlength=len(key_sizes)) if len(k) else np.zeros(len(key_sizes))
    links = _links(key_sizes).astype(np.float64)
    # A singleton's one self-link is resolved when its mention is a singleton of the response as well.
    single = key_sizes == 1
    resolved[single] = 0.0
    lone = single[k] & (response_sizes[r] == 1)
    resolved[k[lone]] = 1.0
    links[single] = 1.0
    return math.fsum((key_sizes * resolved / links).tolist()) / total


def conll_f1(table: Table) -> float:
    """The CoNLL-2012 score: the mean of the MUC, B-cubed and CEAF-e F1."""
    return statistics.mean([muc(table).f1, b_cubed(table).f1, ceaf_e(table).f1])


def scores(table: Table, *, singletons: bool = True) -> dict[str, PRF | float]:
    """Every metric of the module on one table; ``singletons=False`` drops single-mention clusters first."""
    if not singletons:
        table = table.without_singletons()
    out: dict[str, PRF | float] = {
        "muc": muc(table), "b3": b_cubed(table), "ceafe": ceaf_e(table), "ceafm": ceaf_m(table),
        "blanc": blanc(table), "lea": lea(table),
    }
    out["conll_f1"] = statistics.mean([out["muc"].f1, out["b3"].f1, out["ceafe"].f1])  # type: ignore[union-attr]
    return out
