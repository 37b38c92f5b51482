"""Span detection scores shared by the quote and event-mention scorers: the four modes of SemEval-2013 Task 9.1.

Gold and predicted spans are paired one to one by :mod:`newsgold.metrics.matching`: a predicted span is a candidate for
a gold span of the same article when they overlap by at least ``MIN_OVERLAP_PERCENT`` percent of the gold
span's length (``100 * overlap >= len(gold)``: nervaluate 1.2's default ``min_overlap_percentage``, so that a
one-character graze of a long quote is no match), and candidates are taken largest overlap first, then exact
boundaries, then the same type, then by position. Each matched pair, unmatched gold span and unmatched
prediction then counts, per mode:

========  ==================================  ====================================
mode      matched pair is ``correct`` when    otherwise it is
========  ==================================  ====================================
strict    same boundaries and same type       ``incorrect``
exact     same boundaries                     ``incorrect``
partial   same boundaries                     ``partial``
type      same type                           ``incorrect``
========  ==================================  ====================================

An unmatched gold span is ``missed`` and an unmatched prediction ``spurious``. A prediction without a type
has the wrong type in ``strict`` and ``type`` (and belongs to no type in ``by_type``). Then

    possible = correct + incorrect + partial + missed      (the gold spans)
    actual   = correct + incorrect + partial + spurious    (the predicted spans)
    precision = (correct + partial / 2) / actual,  recall = (correct + partial / 2) / possible,
    f1 = 2 precision recall / (precision + recall)

(``partial`` is 0 outside partial mode), each 0 when its denominator is 0. ``by_type.<type>`` scores the gold
and predicted spans of that type only, against each other, as nervaluate does.

On every input where each span overlaps at most one span of the other side the matching is forced, and the
counts, precision and recall are exactly nervaluate 1.2's (``Evaluator(..., loader="dict")`` with inclusive
ends ``end - 1``; its ``ent_type`` is ``type``); F1 is rounded once from exact fractions and can differ from
nervaluate's floating-point formula in the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..metrics.matching import one_to_one, overlapping_pairs
from .core import Options, no_gold, prf

REPORT = Options()

IntArray = NDArray[np.int64]

MODES = ("strict", "exact", "partial", "type")
OUTCOMES = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENT = 1
NO_TYPE = -1


@dataclass(frozen=True)
class SpanArrays:
    """Spans as parallel arrays: article index, ``[start, end)`` and a type code (``NO_TYPE``: none)."""

    article: IntArray
    start: IntArray
    end: IntArray
    label: IntArray

    @classmethod
    def of(cls, article: ArrayLike, start: ArrayLike, end: ArrayLike, label: ArrayLike) -> SpanArrays:
        return cls(*(np.asarray(a, dtype=np.int64).reshape(-1) for a in (article, start, end, label)))

    def __len__(self) -> int:
        return len(self.start)

    def select(self, mask: NDArray[np.bool_]) -> SpanArrays:
        return SpanArrays(self.article[mask], self.start[mask], self.end[mask], self.label[mask])


Pairs = tuple[IntArray, IntArray, IntArray]  # gold index, predicted index, overlap


def candidates(gold: SpanArrays, pred: SpanArrays) -> Pairs:
    """Every (gold, predicted) pair that may be matched: same article, overlap of at least 1% of the gold span."""
    g, p, overlap = overlapping_pairs(gold.article, gold.start, gold.end, pred.article, pred.start, pred.end)
    enough = overlap * 100 >= MIN_OVERLAP_PERCENT * (gold.end[g] - gold.start[g])
    return g[enough], p[enough], overlap[enough]


def match(gold: SpanArrays, pred: SpanArrays, pairs: Pairs | None = None) -> tuple[IntArray, IntArray]:
    """The one-to-one matching of gold and predicted spans: ``(gold_index, pred_index)`` of each pair."""
    g, p, overlap = candidates(gold, pred) if pairs is None else pairs
    exact = (gold.start[g] == pred.start[p]) & (gold.end[g] == pred.end[p])
    keep = one_to_one(g, p, [-overlap, ~exact, ~_same_type(gold, pred, g, p),
                             gold.start[g], gold.end[g], gold.label[g], pred.start[p], pred.end[p], pred.label[p]])
    return g[keep], p[keep]


def _same_type(gold: SpanArrays, pred: SpanArrays, g: IntArray, p: IntArray) -> NDArray[np.bool_]:
    return (gold.label[g] == pred.label[p]) & (pred.label[p] != NO_TYPE)


def outcomes(gold: SpanArrays, pred: SpanArrays, n_articles: int,
             matched: tuple[IntArray, IntArray] | None = None) -> IntArray:
    """Counts per article, mode and outcome: an array ``[n_articles, len(MODES), len(OUTCOMES)]``."""
    g, p = match(gold, pred) if matched is None else matched
    return _tally(gold, pred, g, p, gold.article, pred.article, n_articles)


def _tally(gold: SpanArrays, pred: SpanArrays, g: IntArray, p: IntArray, gold_articles: IntArray,
           pred_articles: IntArray, n_articles: int) -> IntArray:
    """Outcome counts of matched pairs ``(g, p)`` among the gold and predicted spans of the given articles."""
    exact = (gold.start[g] == pred.start[p]) & (gold.end[g] == pred.end[p])
    same = _same_type(gold, pred, g, p)
    article = gold.article[g]

    def per_article(mask: NDArray[np.bool_] | None = None, where: IntArray = article) -> IntArray:
        return np.bincount(where if mask is None else where[mask], minlength=n_articles).astype(np.int64)

    counts = np.zeros((n_articles, len(MODES), len(OUTCOMES)), dtype=np.int64)
    missed = per_article(where=gold_articles) - per_article()
    spurious = per_article(where=pred_articles) - per_article()
    rules = {"strict": (exact & same, "incorrect"), "exact": (exact, "incorrect"),
             "partial": (exact, "partial"), "type": (same, "incorrect")}
    for m, mode in enumerate(MODES):
        correct, otherwise = rules[mode]
        counts[:, m, OUTCOMES.index("correct")] = per_article(correct)
        counts[:, m, OUTCOMES.index(otherwise)] = per_article(~correct)
        counts[:, m, OUTCOMES.index("missed")] = missed
        counts[:, m, OUTCOMES.index("spurious")] = spurious
    return counts


def outcomes_by_type(gold: SpanArrays, pred: SpanArrays, n_articles: int, n_types: int,
                     pairs: Pairs | None = None) -> IntArray:
    """Counts per article and type, each type scored on its own spans: ``[n_articles, n_types, modes, outcomes]``.

    The candidates of a type are the overall candidates whose two spans both have it, so the overlaps are
    found once (pass ``pairs`` from :func:`candidates` to reuse them).
    """
    g, p, overlap = candidates(gold, pred) if pairs is None else pairs
    out = np.zeros((n_articles, n_types, len(MODES), len(OUTCOMES)), dtype=np.int64)
    for t in range(n_types):
        mine = (gold.label[g] == t) & (pred.label[p] == t)
        g_t, p_t = match(gold, pred, (g[mine], p[mine], overlap[mine]))
        out[:, t] = _tally(gold, pred, g_t, p_t, gold.article[gold.label == t], pred.article[pred.label == t],
                           n_articles)
    return out


def evaluate(gold: SpanArrays, pred: SpanArrays, n_articles: int,
             n_types: int) -> tuple[IntArray, IntArray, tuple[IntArray, IntArray]]:
    """Overall counts, counts by type and the overall matching, finding the overlaps once."""
    pairs = candidates(gold, pred)
    matched = match(gold, pred, pairs)
    return outcomes(gold, pred, n_articles, matched), outcomes_by_type(gold, pred, n_articles, n_types, pairs), matched


def mode_metrics(counts: ArrayLike, options: Options = REPORT) -> dict[str, Any]:
    """The counts of one mode (in ``OUTCOMES`` order) with possible, actual, precision, recall and F1."""
    correct, incorrect, partial, missed, spurious = (int(c) for c in np.asarray(counts).reshape(-1))
    possible = correct + incorrect + partial + missed
    actual = correct + incorrect + partial + spurious
    credit = Fraction(2 * correct + partial, 2)
    return {"correct": correct, "incorrect": incorrect, "partial": partial, "missed": missed,
            "spurious": spurious, "possible": possible, "actual": actual,
            **prf(credit / actual if actual else None, credit / possible if possible else None, options)}


def sections(counts: ArrayLike, by_type: ArrayLike, types: Sequence[str], options: Options = REPORT,
             what: str = "span") -> dict[str, Any]:
    """The ``spans`` and ``by_type`` report sections from summed counts; the rates of a mode or type with no
    gold span (``possible = 0``) are undefined (see :mod:`newsgold.scoring.core`)."""
    counts, by_type = np.asarray(counts), np.asarray(by_type)
    return {
        "spans": {mode: _section(counts[m], options, what) for m, mode in enumerate(MODES)},
        "by_type": {name: {mode: _section(by_type[t, m], options, f"{name} {what}") for m, mode in enumerate(MODES)}
                    for t, name in enumerate(types)},
    }


def _section(counts: ArrayLike, options: Options, what: str) -> dict[str, Any]:
    metrics = mode_metrics(counts, options)
    return {**metrics, **no_gold(what)} if not metrics["possible"] else metrics


HEADLINE = tuple(f"spans.{mode}.{metric}" for mode in MODES for metric in ("precision", "recall", "f1"))
