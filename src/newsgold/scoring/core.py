"""What every scorer shares: reading and checking prediction files, sufficient statistics, the report contract and
the bootstrap.

**Sufficient statistics.** A scorer reduces predictions and gold to :class:`Statistics`, indexed by article:
count arrays whose first axis is the article (``counts``), entries of sparse contingency tables tagged with
their article (``cells``), and scored rows tagged with their article (``rows``, for metrics such as ROC-AUC
that need every score). Everything a report needs is a sum over articles of these: the statistics of two sets
of articles are merged by concatenation (:func:`merge`), so a large prediction set can be scored in shards,
and a bootstrap replicate is the same sum over the drawn articles (:meth:`Statistics.total`), without
matching anything again.

**Bootstrap.** A replicate resamples the units whose copies are independent, and which unit that is depends on
the statistic a metric is computed from:

- Metrics of counts and rows (spans, labels, pairs, quotes): the **article**. Replicate ``b`` draws ``A``
  articles with replacement from ``numpy.random.default_rng(seed)``, and article ``i`` drawn ``w_i`` times
  counts ``w_i`` times in every sum.
- Metrics of contingency tables (the sections a scorer names in ``Scorer.clustered``: coreference, passage
  clusters): the **article cluster**, the articles that share a ``cluster_id`` (one story). A key or response
  cluster may span the articles of a story, so a copy of one article alone would either stay in its
  original's clusters (each mention linked to its own copy: a correct link for free, intervals biased
  upwards) or be cut from the other articles of its story (biased downwards). Replicate ``b`` draws ``C``
  article clusters of the ``C`` with replacement, from a second stream of the same seed (the first child of
  ``numpy.random.SeedSequence(seed)``, so that the article draws are those of a scorer without clusters).
  A story drawn ``c`` times enters the table as ``c`` copies, and in copy ``j = 0, ..., c - 1`` cluster
  label ``k`` of a side with ``K`` labels becomes ``k + j K`` (:func:`layered_table`): no copy shares a
  cluster with another copy of its story, and the copies numbered ``j`` of different stories keep whatever
  cluster a system gave both. A replicate that draws every story once is the table of the whole, and one
  that draws a story twice holds two independent stories like it. With fewer than two article clusters
  there is nothing to resample: such a metric's interval is ``null``, with its reason.

This is the cluster bootstrap of hierarchical data (Davison and Hinkley, 1997, section 3.8; Field and Welsh,
2007): resample the top-level units, keep what is inside each whole. Within-document coreference resamples
documents, whose chains never leave them; the gold's cross-document chains are annotated story by story, so
here the story is the document. A metric of counts keeps the article, the unit the release samples.

The 95% interval of a metric is the 2.5th and 97.5th percentile (numpy's linear interpolation) of its ``B``
replicate values, replicates where it is undefined left out. The paired bootstrap of
:func:`paired_bootstrap` makes the same draws for both systems; for a difference ``d = m(A) - m(B)`` with
replicate values ``d_b`` it reports the interval of ``d_b`` and the two-sided p-value
``min(1, 2 (1 + min(#{d_b <= 0}, #{d_b >= 0})) / (B + 1))``.

**Report contract.** Every report has ``task``, ``dataset: {version, manifest_sha256}`` and ``counts``, then
the task's metric sections; a metric is named by its dotted path (``spans.strict.f1``). With a bootstrap the
report adds ``bootstrap: {replicates, seed, unit, confidence}``, where ``unit`` names the resampled unit of
each bootstrapped section (``{"spans": "article", "coref": "article cluster"}``), and ``ci``, where
``ci.<path>`` is ``[low, high]``, or ``null`` with its reason at ``undefined.ci.<path>`` (one article
cluster; a metric undefined in every replicate).

**Undefined metrics.** A metric is undefined when the gold has nothing of what it measures in the articles
scored: the precision, recall and F1 of a class with no gold instance (a span mode or type with no gold span,
``duplicate`` with no gold duplicate pair, ``lines`` with no gold boilerplate line, ``links`` with no gold
passage cluster, ``speaker`` and ``end_to_end`` with no gold quote), an accuracy or a mean over no gold item,
the coreference metrics with no gold mention. Such a metric is ``null`` whatever the predictions, never 0:
every system would get the same number for nothing. A metric undefined for the data in another way is
``null`` too (Cohen's kappa when the chance agreement is 1, ROC-AUC with one class, Spearman's rho of a
constant). Every ``null`` metric has its reason at ``undefined.<path>``; the command line prints it as "—",
and the reason once below the metrics.

Otherwise a rate whose denominator is zero because of the predictions (the precision of a system that
predicted nothing) is 0, as nervaluate and scikit-learn have it: the functions that compute a metric from
counts follow them exactly, and the report applies the rule above on top. In a bootstrap replicate every
zero denominator is undefined instead, and that replicate is left out of the metric's interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import Problem, warn
from ..jsonl import Row, read_jsonl
from ..metrics.coref import Table, f1
from ..progress import LARGE, progress
from ..release.dataset import Release
from ..schemas import fits_schema, prediction_schemas, schema_problems
from ..spans import span_problem

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
Source = str | Path | Sequence[Mapping[str, Any]]
Report = dict[str, Any]

IN_MEMORY = "<predictions>"  # the path named in problems with predictions given as a list of records
CONFIDENCE = 0.95

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------------------
# Reading and checking predictions


def load_rows(source: Source, schema: str) -> tuple[list[Row], list[Problem]]:
    """Rows of a prediction file (or list of records) that match the schema, and every problem of the others.

    A missing file is a problem; an empty file has no rows and no problem.
    """
    if isinstance(source, (str, Path)):
        rows, problems = read_jsonl(source)
    else:
        rows, problems = [], []
        for number, record in enumerate(source, start=1):
            if isinstance(record, Mapping):
                rows.append(Row(dict(record), IN_MEMORY, number))
            else:
                problems.append(Problem(IN_MEMORY, number, "-", f"expected an object, got {type(record).__name__}"))
    if isinstance(source, (str, Path)) and not rows and not problems:
        warn_empty(source)
    valid, found = check_rows(rows, schema)
    return valid, problems + found


def warn_empty(path: str | Path) -> None:
    """The warning for a prediction file with no record: valid, and almost certainly a mistake."""
    warn(Problem(str(path), 0, "-", "the file is empty: no predictions, so every gold item counts as missed"))


def check_rows(rows: list[Row], schema: str) -> tuple[list[Row], list[Problem]]:
    """The rows that match prediction schema ``schema`` (and hold finite numbers), and the others' problems."""
    schema_id = f"urn:newsgold:predictions:{schema}"
    valid, problems = [], []
    for row in progress(rows, desc=f"checking {schema}", large=len(rows) >= LARGE):
        found = schema_problems(row, schema_id) + _non_finite(row, row.data, "")
        problems += found
        if not found:
            valid.append(row)
    if 2 * (len(rows) - len(valid)) > len(rows):
        _warn_if_another_schema(rows, schema)
    return valid, problems


SAMPLE = 1000  # rows tried against the other prediction schemas when most rows break their own


def _warn_if_another_schema(rows: list[Row], schema: str) -> None:
    """Warn when most rows fit the prediction schema of another task: the file was given to the wrong scorer."""
    sample = rows[:SAMPLE]
    fits = {name: sum(fits_schema(row, f"urn:newsgold:predictions:{name}") for row in sample)
            for name in prediction_schemas() if name != schema}
    name, count = max(sorted(fits.items()), key=lambda item: item[1], default=("", 0))
    if 2 * count > len(sample):
        checked = f"{count} of {len(sample)}" + (" rows checked" if len(rows) > len(sample) else " rows")
        warn(Problem(sample[0].path, 0, "-", f"{checked} fit the {name} prediction schema, not the {schema} one: "
                                             f"is this a {name} file? (score it with `newsgold score {name}`)"))


def _non_finite(row: Row, value: Any, path: str) -> list[Problem]:
    # Files cannot hold NaN (the reader refuses it), but records given in memory can, and JSON Schema's
    # "number" accepts it.
    if isinstance(value, float) and not math.isfinite(value):
        return [row.problem(path or "-", f"{value} is not a finite number")]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _non_finite(row, item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _non_finite(row, item, f"{path}[{index}]")]
    return []


def article_problem(row: Row, field: str, article_id: str, gold: Release) -> Problem | None:
    if article_id not in gold.articles:
        return row.problem(field, f"unknown article id {article_id!r}")
    return None


def offsets_problem(row: Row, field: str, gold: Release, article_id: str, start: int, end: int) -> Problem | None:
    """An offset outside the article or ``start >= end``, in the words of :func:`newsgold.spans.span_problem`."""
    text = gold.articles[article_id].text
    message = span_problem(text, start, end, text[start:end])
    return row.problem(field, message) if message else None


def first_seen(seen: dict[Any, Row], key: Any, row: Row) -> Row | None:
    """The row that already had ``key``, or None (and ``row`` is remembered)."""
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = row
    return earlier


def check_spans(rows: list[Row], gold: Release) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Span predictions ``{article_id, start, end, ...}``: known article, offsets inside it, no span twice."""
    records, problems = [], []
    seen: dict[Any, Row] = {}
    for row in rows:
        data = row.data
        article_id, start, end = data["article_id"], data["start"], data["end"]
        problem = (article_problem(row, "article_id", article_id, gold)
                   or offsets_problem(row, "end", gold, article_id, start, end))
        if problem is None:
            earlier = first_seen(seen, (article_id, start, end), row)
            if earlier is not None:
                problem = row.problem("start", f"duplicate prediction for {article_id} [{start}, {end}) "
                                               f"(first at {earlier.path}:{earlier.line})")
        if problem is None:
            records.append(data)
        else:
            problems.append(problem)
    return records, problems


def scope(gold: Release, article_ids: Collection[str] | None) -> tuple[str, ...]:
    """The articles to score, in order: all of the release, or the given ones (which must be in it)."""
    ids = gold.article_index.ids.to_pylist()  # sorted; read without the article texts
    if article_ids is None:
        return tuple(ids)
    unknown = sorted(set(article_ids) - set(ids))
    if unknown:
        raise ValueError(f"articles not in the release: {', '.join(unknown[:5])}")
    return tuple(sorted(set(article_ids)))


def codes(labels: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """A dense code for each distinct label, in sorted order, so that codes never depend on input order."""
    ordered = sorted(set(labels))
    return {label: code for code, label in enumerate(ordered)}, ordered


# ---------------------------------------------------------------------------------------------------------
# Sufficient statistics


@dataclass
class Cells:
    """Entries of a sparse contingency table, each from one article: ``count`` mentions of ``key`` x ``response``.

    ``key`` and ``response`` index ``key_labels`` and ``response_labels`` (the cluster ids); -1 means the
    mentions are absent from that side.
    """

    article: IntArray
    key: IntArray
    response: IntArray
    count: IntArray
    key_labels: list[str]
    response_labels: list[str]

    @classmethod
    def build(cls, article: Sequence[int], key: Sequence[str | None], response: Sequence[str | None]) -> Cells:
        """One entry per mention: its article index and its key and response cluster ids (None: absent)."""
        key_index, key_labels = codes(k for k in key if k is not None)
        response_index, response_labels = codes(r for r in response if r is not None)
        return cls(np.asarray(article, dtype=np.int64),
                   np.array([-1 if k is None else key_index[k] for k in key], dtype=np.int64),
                   np.array([-1 if r is None else response_index[r] for r in response], dtype=np.int64),
                   np.ones(len(key), dtype=np.int64), key_labels, response_labels)


@dataclass
class Rows:
    """Rows of values (one per scored item), each from one article."""

    article: IntArray
    values: FloatArray


class _RepeatedRows(Mapping[str, FloatArray]):
    """Each scored row repeated as often as its article was drawn, made when a report first asks for it (a
    report of labels only never does, and a replicate then costs no copy of every row)."""

    def __init__(self, rows: dict[str, Rows], weights: IntArray) -> None:
        self.rows, self.weights = rows, weights
        self.made: dict[str, FloatArray] = {}

    def __getitem__(self, name: str) -> FloatArray:
        if name not in self.made:
            found = self.rows[name]
            self.made[name] = np.repeat(found.values, self.weights[found.article], axis=0)
        return self.made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Totals:
    """Statistics summed over articles (weighted by how often each was drawn, in a bootstrap replicate)."""

    articles: int
    counts: dict[str, np.ndarray]
    tables: dict[str, Table]
    rows: Mapping[str, FloatArray]


@dataclass
class Statistics:
    """Per-article sufficient statistics of one scorer; see the module docstring."""

    articles: tuple[str, ...]
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    cells: dict[str, Cells] = field(default_factory=dict)
    rows: dict[str, Rows] = field(default_factory=dict)

    def total(self, weights: IntArray | None = None, copies: IntArray | None = None) -> Totals:
        """The sum over articles: counts and rows with article ``i`` counted ``weights[i]`` times (default:
        once), contingency tables with ``copies[i]`` copies of its cells (default: ``weights``), the ``j``-th
        copy of every article in clusters of their own (:func:`layered_table`)."""
        if weights is None:
            weights = np.ones(len(self.articles), dtype=np.int64)
        counts = {name: weighted_sum(weights, array) for name, array in self.counts.items()}
        tables = {name: layered_table(c, weights if copies is None else copies) for name, c in self.cells.items()}
        return Totals(int(weights.sum()), counts, tables, _RepeatedRows(self.rows, weights))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, to send statistics between processes or machines."""
        return {
            "articles": list(self.articles),
            "counts": {name: {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.reshape(-1).tolist()}
                       for name, a in self.counts.items()},
            "cells": {name: {"article": c.article.tolist(), "key": c.key.tolist(), "response": c.response.tolist(),
                             "count": c.count.tolist(), "key_labels": c.key_labels,
                             "response_labels": c.response_labels} for name, c in self.cells.items()},
            "rows": {name: {"article": r.article.tolist(), "width": r.values.shape[1],
                            "values": r.values.reshape(-1).tolist()} for name, r in self.rows.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Statistics:
        counts = {name: np.array(a["data"], dtype=a["dtype"]).reshape(a["shape"]) for name, a in data["counts"].items()}
        def ints(values: list[int]) -> IntArray:
            return np.array(values, dtype=np.int64)

        cells = {name: Cells(ints(c["article"]), ints(c["key"]), ints(c["response"]), ints(c["count"]),
                             list(c["key_labels"]), list(c["response_labels"])) for name, c in data["cells"].items()}
        rows = {name: Rows(np.array(r["article"], dtype=np.int64),
                           np.array(r["values"], dtype=np.float64).reshape(-1, r["width"]))
                for name, r in data["rows"].items()}
        return cls(tuple(data["articles"]), counts, cells, rows)


def layered_table(cells: Cells, copies: IntArray) -> Table:
    """The contingency table of ``copies[i]`` copies of article ``i``'s cells, copy ``j`` in layer ``j``.

    A layer is a copy of the clustering: in layer ``j`` a cluster label ``k`` becomes ``k + j * K`` (``K``
    labels on that side), so the copies of a mention are never in one cluster, while the articles of one
    layer keep every cluster they share. With every article's ``copies`` 1 (or its story's count of draws,
    the same for all its articles) this is the table of the whole (or of the drawn stories, each copy a
    story of its own); integer arithmetic throughout.
    """
    times = copies[cells.article].astype(np.int64)
    index = np.repeat(np.arange(len(cells.count)), times)
    # The copy number of each repeated cell: its position within its own run of repeats.
    layer = np.arange(len(index), dtype=np.int64) - np.repeat(np.cumsum(times) - times, times)

    def label(values: IntArray, count: int) -> IntArray:
        chosen = values[index]
        return np.where(chosen >= 0, chosen + layer * count, -1)

    return Table.from_cells(label(cells.key, len(cells.key_labels)), label(cells.response, len(cells.response_labels)),
                            cells.count[index])


def weighted_sum(weights: IntArray, array: np.ndarray) -> np.ndarray:
    """``sum_i weights[i] * array[i]`` over the first axis, the same to the last bit on every machine.

    Integers are summed exactly. Floats are multiplied element by element (IEEE-rounded, so the same
    everywhere) and each column is summed with :func:`math.fsum`, which is correctly rounded and so depends on
    neither the order of the terms nor the CPU. ``np.tensordot`` would send floats through BLAS, whose kernel
    (chosen per CPU) changes the order of the summation and with it the last digit.
    """
    column = weights.reshape((-1,) + (1,) * (array.ndim - 1))
    if np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_:
        return (column.astype(np.int64) * array.astype(np.int64, copy=False)).sum(axis=0)
    products = (column.astype(np.float64) * array).reshape(len(array), -1)
    sums = [math.fsum(products[:, column].tolist()) for column in range(products.shape[1])]
    return np.array(sums, dtype=np.float64).reshape(array.shape[1:])


def merge(parts: Iterable[Statistics]) -> Statistics:
    """The statistics of the union of disjoint sets of articles (shards scored separately).

    The result is in article order whatever the order of the parts, so that it equals the statistics of the
    whole to the last bit.
    """
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to merge")
    articles = [article for part in parts for article in part.articles]
    if len(set(articles)) != len(articles):
        raise ValueError("shards share articles; each article must be scored in exactly one shard")
    offsets = np.cumsum([0] + [len(part.articles) for part in parts])[:-1].tolist()
    order = np.argsort(np.array(articles, dtype=object), kind="stable")
    new_index = np.empty(len(articles), dtype=np.int64)
    new_index[order] = np.arange(len(articles))
    first = parts[0]
    counts = {name: np.concatenate([p.counts[name] for p in parts])[order] for name in first.counts}
    cells = {name: _merge_cells([p.cells[name] for p in parts], offsets, new_index) for name in first.cells}
    rows = {}
    for name in first.rows:
        article = new_index[np.concatenate([p.rows[name].article + o for p, o in zip(parts, offsets, strict=True)])]
        values = np.concatenate([p.rows[name].values for p in parts])
        by_article = np.argsort(article, kind="stable")
        rows[name] = Rows(article[by_article], values[by_article])
    return Statistics(tuple(articles[i] for i in order), counts, cells, rows)


def _merge_cells(parts: list[Cells], offsets: list[int], new_index: IntArray) -> Cells:
    key_index, key_labels = codes(label for part in parts for label in part.key_labels)
    response_index, response_labels = codes(label for part in parts for label in part.response_labels)

    def recode(values: IntArray, labels: list[str], index: dict[str, int]) -> IntArray:
        mapping = np.array([index[label] for label in labels] + [-1], dtype=np.int64)
        return mapping[values]  # -1 indexes the final -1

    return Cells(new_index[np.concatenate([p.article + o for p, o in zip(parts, offsets, strict=True)])],
                 np.concatenate([recode(p.key, p.key_labels, key_index) for p in parts]),
                 np.concatenate([recode(p.response, p.response_labels, response_index) for p in parts]),
                 np.concatenate([p.count for p in parts]), key_labels, response_labels)


# ---------------------------------------------------------------------------------------------------------
# Scorers and reports


@dataclass(frozen=True)
class Options:
    """Choices that change the numbers."""

    singletons: bool = True  # event coreference: keep single-mention clusters (recorded in ``settings``)
    # The value of a rate whose denominator is 0 because of the predictions (a metric with no gold item is
    # Undefined whatever this says): 0 in reports, as nervaluate and scikit-learn give it; NaN in bootstrap
    # replicates, so that a replicate in which a metric is undefined (say, drawn articles without a single
    # predicted quote) is left out of that metric's interval instead of pulling it towards 0.
    undefined: float = 0.0


@dataclass(frozen=True)
class Scorer:
    """One scored prediction format: how to read it, reduce it to statistics and report on them."""

    name: str  # the prediction schema and file name: <name>.jsonl
    task: str  # the entry of newsgold.tasks.TASKS whose gold it is scored against
    headline: tuple[str, ...]  # the metrics summarised, bootstrapped and compared
    # The checked records: a list, or (for flat records) a :class:`~.tables.RecordTable` of columns.
    read_predictions: Callable[[Source, Release], tuple[Sequence[dict[str, Any]], list[Problem]]]
    statistics: Callable[[Sequence[dict[str, Any]], Release, Collection[str] | None], Statistics]
    report: Callable[[Totals, Options], Report]
    settings: Callable[[Options], dict[str, Any]] = lambda options: {}
    # The report sections computed from contingency tables alone (every other section from counts and rows
    # alone): the bootstrap resamples article clusters for them (module docstring).
    clustered: tuple[str, ...] = ()


def dataset_info(gold: Release) -> dict[str, str]:
    return {"version": gold.version, "manifest_sha256": gold.manifest_sha256}


def fraction(numerator: int, denominator: int) -> Fraction | None:
    """``numerator / denominator`` exactly (so that F1 is rounded only once), None when the denominator is 0."""
    return Fraction(int(numerator), int(denominator)) if denominator else None


def rate(numerator: float, denominator: float, options: Options) -> float:
    """``numerator / denominator``, and ``options.undefined`` when the denominator is 0."""
    return float(numerator / denominator) if denominator else options.undefined


def prf(precision: Fraction | None, recall: Fraction | None, options: Options) -> dict[str, float]:
    """Precision, recall and their F1; a rate with a zero denominator is ``options.undefined``.

    Callers apply the rule of the module docstring first: with no gold item at all, the three are
    :func:`no_gold`, whatever the predictions.

    With ``undefined = 0`` (reports) F1 is then computed with that 0, as nervaluate and scikit-learn do; with
    NaN (bootstrap replicates) F1 is undefined too.
    """
    if options.undefined == 0:
        p, r = precision or Fraction(0), recall or Fraction(0)
        return {"precision": float(p), "recall": float(r), "f1": f1(p, r)}
    return {"precision": options.undefined if precision is None else float(precision),
            "recall": options.undefined if recall is None else float(recall),
            "f1": options.undefined if precision is None or recall is None else f1(precision, recall)}


@dataclass(frozen=True)
class Undefined:
    """The value of a metric that is undefined, and why. A scorer's report may hold it; the full report
    (:func:`build_report`) writes it as ``null`` and the reason under ``undefined.<path>``."""

    reason: str


def defined(value: float, reason: str) -> float | Undefined:
    """A metric value, or :class:`Undefined` with ``reason`` where it is NaN."""
    value = float(value)
    return Undefined(reason) if math.isnan(value) else value


def no_gold(what: str, names: Iterable[str] = ("precision", "recall", "f1")) -> dict[str, Undefined]:
    """The metrics ``names`` undefined because the gold has no ``what`` in the articles scored."""
    return dict.fromkeys(names, Undefined(f"no gold {what}"))


def resolve_undefined(body: Mapping[str, Any], prefix: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    """``body`` with each :class:`Undefined` as None, and the reason of each by its dotted path."""
    out: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for key, value in body.items():
        path = f"{prefix}{key}"
        if isinstance(value, Undefined):
            out[key], reasons[path] = None, value.reason
        elif isinstance(value, Mapping):
            out[key], more = resolve_undefined(value, path + ".")
            reasons.update(more)
        else:
            out[key] = value
    return out, reasons


def lookup(report: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path; KeyError if there is none."""
    value: Any = report
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def interval_of(report: Mapping[str, Any], path: str) -> list[float] | None:
    """The bootstrap interval ``ci.<path>`` of a metric, or None when the report has none for it."""
    try:
        found: list[float] | None = lookup(report, f"ci.{path}")
    except KeyError:
        return None
    return found


def metric_paths(report: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted path of every number in a report (bootstrap intervals and counts included)."""
    paths = []
    for key, value in report.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            paths += metric_paths(value, path + ".")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            paths.append(path)
    return paths


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


ARTICLE, ARTICLE_CLUSTER = "article", "article cluster"  # the units a bootstrap resamples (module docstring)
# Why a bootstrapped metric has no interval (``undefined.ci.<path>``).
ONE_CLUSTER = "only one article cluster to resample"
NO_REPLICATE = "undefined in every replicate"


def unit_of(scorer: Scorer, path: str) -> str:
    """The unit the bootstrap resamples for the metric at ``path``."""
    return ARTICLE_CLUSTER if path.split(".")[0] in scorer.clustered else ARTICLE


def units(scorer: Scorer, paths: Iterable[str]) -> dict[str, str]:
    """The unit of each section of ``paths``, in their order: the ``unit`` of a report's ``bootstrap``."""
    return {path.split(".")[0]: unit_of(scorer, path) for path in paths}


def article_clusters(gold: Release, articles: Sequence[str]) -> IntArray:
    """The article cluster of each article, numbered 0, 1, ... in the order of the release's cluster codes."""
    from ..release.arrays import strings  # not pa.array, which imports pandas

    index = gold.article_index
    positions = index.codes(strings(list(articles)))
    if (positions < 0).any():
        raise ValueError(f"articles not in the release: {articles[int(np.argmax(positions < 0))]}")
    return np.unique(index.clusters[positions], return_inverse=True)[1].reshape(-1).astype(np.int64)


def _bootstrap_section(scorer: Scorer, paths: list[str], replicates: int, seed: int) -> dict[str, Any]:
    return {"replicates": replicates, "seed": seed, "unit": units(scorer, paths), "confidence": CONFIDENCE}


def _no_interval(scorer: Scorer, path: str, stories: IntArray) -> str | None:
    """Why a metric can have no interval whatever its replicates: one article cluster for a metric of clusters."""
    return ONE_CLUSTER if unit_of(scorer, path) == ARTICLE_CLUSTER and _count(stories) < 2 else None


def _count(stories: IntArray) -> int:
    return int(stories.max()) + 1 if len(stories) else 0


def build_report(scorer: Scorer, stats: Statistics, gold: Release, options: Options, *,
                 bootstrap: int = 0, seed: int = 0) -> Report:
    """The full report: identity, counts, metrics and (with ``bootstrap`` replicates) intervals."""
    body, reasons = resolve_undefined(scorer.report(stats.total(), options))
    resampled: Report = {}
    if bootstrap:
        paths = [path for path in scorer.headline if _number(body, path) is not None]
        stories = article_clusters(gold, stats.articles)
        samples = _replicates([stats], scorer, options, paths, bootstrap, seed, stories)[0]
        found = {path: _or_reason(scorer, path, stories, partial(interval, samples[path])) for path in paths}
        intervals, more = resolve_undefined(_nest(found), "ci.")
        reasons.update(more)
        resampled = {"bootstrap": _bootstrap_section(scorer, paths, bootstrap, seed), "ci": intervals}
    report: Report = {"task": scorer.name, "dataset": dataset_info(gold), **body}
    if reasons:
        report["undefined"] = _nest(reasons)
    settings = scorer.settings(options)
    if settings:
        report["settings"] = settings
    return {**report, **resampled}


def _or_reason(scorer: Scorer, path: str, stories: IntArray, compute: Callable[[], T | None]) -> T | Undefined:
    """What ``compute`` gives from the replicates (an interval, a p-value), or Undefined with why there is none:
    one article cluster for a metric of clusters (then nothing is computed), or no replicate defining it."""
    why = _no_interval(scorer, path, stories)
    found = None if why else compute()
    return Undefined(why or NO_REPLICATE) if found is None else found


def _number(report: Mapping[str, Any], path: str) -> float | None:
    try:
        value = lookup(report, path)
    except KeyError:
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _replicates(systems: list[Statistics], scorer: Scorer, options: Options, paths: list[str], replicates: int,
                seed: int, stories: IntArray) -> list[dict[str, FloatArray]]:
    """For each system, each metric's value in each replicate (NaN where undefined); the same draws for all.

    ``stories``: the article cluster of each article (:func:`article_clusters`). Articles are drawn from the
    seed's generator, article clusters (when a metric of clusters is asked for and there are two or more)
    from the seed's first child stream; a replicate's counts and rows sum the drawn articles and its tables
    the drawn clusters' copies (:meth:`Statistics.total`), each metric reading only its own.
    """
    rng = np.random.default_rng(seed)
    options = replace(options, undefined=math.nan)
    n, clusters = len(systems[0].articles), _count(stories)
    values: list[dict[str, FloatArray]] = [{path: np.full(replicates, np.nan, dtype=np.float64) for path in paths}
                                           for _ in systems]
    if n == 0:
        return values
    wanted = [path for path in paths if _no_interval(scorer, path, stories) is None]
    by_cluster = any(unit_of(scorer, path) == ARTICLE_CLUSTER for path in wanted)
    cluster_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]) if by_cluster else None
    totals = [_summer(stats) for stats in systems]
    # A replicate's metrics depend on its draw counts alone. When there are no more distinct draws than
    # replicates (5 articles have 126), draws repeat, and each distinct one is computed once.
    seen: dict[bytes, list[list[float]]] | None = {} if _draws_repeat(n, replicates) else None
    for b in progress(range(replicates), desc=f"bootstrap {scorer.name}", total=replicates,
                      large=replicates * n >= LARGE):
        weights = np.bincount(rng.integers(0, n, size=n), minlength=n)
        copies = None
        if cluster_rng is not None:
            copies = np.bincount(cluster_rng.integers(0, clusters, size=clusters), minlength=clusters)[stories]
        draw = weights.tobytes() + (b"" if copies is None else copies.tobytes())
        found = None if seen is None else seen.get(draw)
        if found is None:
            found = []
            for total in totals:
                report = scorer.report(total(weights, copies), options)
                found.append([np.nan if (value := _number(report, path)) is None else value for path in wanted])
            if seen is not None:
                seen[draw] = found
        for out, row in zip(values, found, strict=True):
            for path, value in zip(wanted, row, strict=True):
                out[path][b] = value
    return values


def _draws_repeat(articles: int, replicates: int) -> bool:
    """Whether the distinct draws of ``articles`` articles with replacement (multisets of that size,
    C(2n - 1, n) of them) are no more than ``replicates``."""
    count = 1
    for k in range(1, articles + 1):
        count = count * (articles - 1 + k) // k  # C(n - 1 + k, k), exact
        if count > replicates:
            return False
    return True


def _summer(stats: Statistics) -> Callable[[IntArray, IntArray | None], Totals]:
    """``stats.total``, made for many weight vectors: each integer count array is summed over its columns that
    are not zero everywhere, from a transposed copy (``columns @ weights``, integer arithmetic: exact, so the
    same sums as ``total``'s, without BLAS, which numpy uses for floats only). ``copies`` None: no metric of
    clusters is resampled, and the tables are those of the whole, made once."""
    dense = {}
    for name, array in stats.counts.items():
        if np.issubdtype(array.dtype, np.integer):
            flat = array.reshape(len(array), -1)
            used = np.flatnonzero(flat.any(axis=0))
            dense[name] = (used, np.ascontiguousarray(flat[:, used].T, dtype=np.int64), array.shape[1:])
    rest = replace(stats, counts={name: a for name, a in stats.counts.items() if name not in dense})
    whole = {name: layered_table(c, np.ones(len(stats.articles), dtype=np.int64)) for name, c in stats.cells.items()}
    without_cells = replace(rest, cells={})

    def total(weights: IntArray, copies: IntArray | None) -> Totals:
        if copies is None:
            totals = without_cells.total(weights)
            totals.tables = dict(whole)
        else:
            totals = rest.total(weights, copies)
        for name, (used, columns, shape) in dense.items():
            summed = np.zeros(int(np.prod(shape, dtype=np.int64)), dtype=np.int64)
            summed[used] = columns @ weights.astype(np.int64)
            totals.counts[name] = summed.reshape(shape)
        return totals

    return total


def interval(samples: FloatArray) -> list[float] | None:
    """The 95% percentile interval of the defined replicate values, or None if there are none."""
    defined_values = samples[~np.isnan(samples)]
    if not len(defined_values):
        return None
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(defined_values, [tail, 100 - tail])
    return [float(low), float(high)]


def p_value(differences: FloatArray) -> float | None:
    """Two-sided paired-bootstrap p-value of a difference (formula in the module docstring)."""
    d = differences[~np.isnan(differences)]
    if not len(d):
        return None
    extreme = min(int((d <= 0).sum()), int((d >= 0).sum()))
    return min(1.0, 2 * (1 + extreme) / (len(d) + 1))


def paired_bootstrap(scorer: Scorer, a: Statistics, b: Statistics, gold: Release, options: Options, *,
                     replicates: int, seed: int) -> Report:
    """Compare two systems on the same articles: each headline metric, its difference, interval and p-value."""
    if a.articles != b.articles:
        raise ValueError("both systems must be scored on the same articles")
    report_a, report_b = scorer.report(a.total(), options), scorer.report(b.total(), options)
    paths = [p for p in scorer.headline if _number(report_a, p) is not None and _number(report_b, p) is not None]
    stories = article_clusters(gold, a.articles)
    samples_a, samples_b = _replicates([a, b], scorer, options, paths, replicates, seed, stories)
    differences: dict[str, Any] = {}
    for path in paths:
        value_a, value_b = _number(report_a, path), _number(report_b, path)
        assert value_a is not None and value_b is not None  # paths were chosen so
        delta = samples_a[path] - samples_b[path]
        differences[path] = {"a": value_a, "b": value_b, "difference": value_a - value_b,
                             "ci": _or_reason(scorer, path, stories, partial(interval, delta)),
                             "p_value": _or_reason(scorer, path, stories, partial(p_value, delta))}
    compared, reasons = resolve_undefined(_nest(differences), "compare.")
    report: Report = {"task": scorer.name, "dataset": dataset_info(gold),
                      "counts": {"articles": len(a.articles), "article_clusters": _count(stories)}}
    # How each system's text-anchored spans were placed, as its score report says (systems with offsets only
    # have no section).
    alignment = {side: one["alignment"] for side, one in (("a", report_a), ("b", report_b)) if "alignment" in one}
    if alignment:
        report["alignment"] = alignment
    settings = scorer.settings(options)
    if settings:
        report["settings"] = settings
    report["bootstrap"] = _bootstrap_section(scorer, paths, replicates, seed)
    report["compare"] = compared
    if reasons:
        report["undefined"] = _nest(reasons)
    return report
