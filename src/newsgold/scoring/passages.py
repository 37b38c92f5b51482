"""The passage scorer: clusters of copied passages, across articles or inside one.

Predictions (schema ``passages``): ``{cluster: [{article_id, start, end}, ...]}``, one per cluster of two or
more passages; a member may give ``text`` instead of ``start`` and ``end`` (:mod:`newsgold.scoring.align`).
A predicted member matches a gold member of the same article when they overlap by at least half of the shorter
of the two (``2 * overlap >= min(len(gold), len(predicted))``); members are paired one to
one by :mod:`newsgold.metrics.matching`, largest overlap first. Gold and predicted clusters then form a contingency
table over members (an unmatched member is absent from the other side), and:

- ``links``: a link is a pair of members of one cluster; a predicted link is correct when both members match
  gold members of one gold cluster. ``precision = correct / predicted links``, ``recall = correct / gold
  links``, F1 their harmonic mean (the coreference-link part of BLANC in :mod:`newsgold.metrics.coref`).
- ``b3``: B-cubed over members (:func:`newsgold.metrics.coref.b_cubed`; unmatched members count in their own side's
  denominator only).

Both read only the contingency table, and the bootstrap resamples them by article cluster, each drawn copy of a
story with clusters of its own (:mod:`newsgold.scoring.core`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import Problem
from ..jsonl import Row
from ..metrics.coref import b_cubed, coreference_links
from ..metrics.matching import one_to_one, overlapping_pairs
from ..release.dataset import Release
from . import align
from .core import (
    Cells,
    Options,
    Scorer,
    Source,
    Statistics,
    Totals,
    article_problem,
    first_seen,
    fraction,
    load_rows,
    no_gold,
    offsets_problem,
    prf,
    scope,
)

IntArray = NDArray[np.int64]

NAME = "passages"
HEADLINE = ("links.precision", "links.recall", "links.f1", "b3.precision", "b3.recall", "b3.f1")


def read_predictions(source: Source, gold: Release, *,
                     fuzzy: float | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, NAME)
    problems = [Problem(p.path, p.line, p.field, "a cluster has two or more members")
                if p.field == "cluster" and p.message.endswith("is too short") else p for p in problems]
    records, more = align.checked(rows, gold, check_clusters, fuzzy=fuzzy)
    return records, problems + more


def check_clusters(rows: list[Row], gold: Release) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Members in known articles, offsets inside them, no member twice (an unaligned member has no offsets to
    check)."""
    records, problems = [], []
    seen: dict[Any, Any] = {}
    for row in rows:
        found = []
        for number, member in enumerate(row.data["cluster"]):
            if align.is_unaligned(member):
                continue
            field = f"cluster[{number}]"
            article_id, start, end = member["article_id"], member["start"], member["end"]
            problem = (article_problem(row, f"{field}.article_id", article_id, gold)
                       or offsets_problem(row, f"{field}.end", gold, article_id, start, end))
            if problem is None:
                earlier = first_seen(seen, (article_id, start, end), row)
                if earlier is not None:
                    problem = row.problem(f"{field}.start", f"duplicate member {article_id} [{start}, {end}) "
                                                            f"(first at {earlier.path}:{earlier.line})")
            if problem is not None:
                found.append(problem)
        if found:
            problems += found
        else:
            records.append(row.data)
    return records, problems


def match(gold: IntArray, pred: IntArray) -> tuple[IntArray, IntArray]:
    """Gold and predicted members paired one to one: ``(gold_index, pred_index)`` of each pair.

    Members are rows ``(article index, start, end)``; a pair needs an overlap of at least half the shorter
    member, and pairs are taken largest overlap first, then by position.
    """
    gi, pi, overlap = overlapping_pairs(gold[:, 0], gold[:, 1], gold[:, 2], pred[:, 0], pred[:, 1], pred[:, 2])
    enough = 2 * overlap >= np.minimum(gold[gi, 2] - gold[gi, 1], pred[pi, 2] - pred[pi, 1])
    gi, pi, overlap = gi[enough], pi[enough], overlap[enough]
    keep = one_to_one(gi, pi, [-overlap, gold[gi, 1], gold[gi, 2], pred[pi, 1], pred[pi, 2]])
    return gi[keep], pi[keep]


def statistics(records: Sequence[dict[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    index = {article: i for i, article in enumerate(articles)}
    records = align.placed(records, gold)
    gold_members = [(index[m["article_id"]], m["start"], m["end"], c["passage_cluster_id"])
                    for c in gold.records.get("passages", []) for m in c["members"] if m["article_id"] in index]
    # A predicted cluster is named by its place in the prediction list, the same in every shard.
    predicted = [(index[m["article_id"]], m["start"], m["end"], f"#{number}")
                 for number, r in enumerate(records) for m in r["cluster"] if m["article_id"] in index]
    gi, pi = match(np.array([m[:3] for m in gold_members], dtype=np.int64).reshape(-1, 3),
                   np.array([m[:3] for m in predicted], dtype=np.int64).reshape(-1, 3))
    partner = dict(zip(pi.tolist(), gi.tolist(), strict=True))
    article = [m[0] for m in gold_members]
    key: list[str | None] = [m[3] for m in gold_members]
    response: list[str | None] = [None] * len(gold_members)
    for j, i in partner.items():
        response[i] = predicted[j][3]
    for j, member in enumerate(predicted):
        if j not in partner:
            article.append(member[0])
            key.append(None)
            response.append(member[3])
    return Statistics(articles, counts=align.counts(records, index),
                      cells={"members": Cells.build(article, key, response)})


def report(totals: Totals, options: Options) -> dict[str, Any]:
    table = totals.tables["members"]
    shared, gold_links, predicted_links = coreference_links(table)
    both = (table.key >= 0) & (table.response >= 0)
    return {
        "counts": {"articles": totals.articles, "gold_clusters": len(table.key_sizes),
                   "gold_members": int(table.key_sizes.sum()), "predicted_clusters": len(table.response_sizes),
                   "predicted_members": int(table.response_sizes.sum()),
                   "matched_members": int(table.count[both].sum())},
        **align.section(totals.counts),
        "links": {"correct": shared, "gold": gold_links, "predicted": predicted_links,
                  **(prf(fraction(shared, predicted_links), fraction(shared, gold_links), options) if gold_links
                     else no_gold("passage link"))},
        "b3": b_cubed(table)._asdict() if table.key_sizes.sum() else no_gold("passage"),
    }


SCORER = Scorer(NAME, "passages", HEADLINE, read_predictions, statistics, report, clustered=("links", "b3"))
