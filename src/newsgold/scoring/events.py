"""The event scorer: mention detection and cross-document event coreference.

Predictions (schema ``events``): ``{article_id, start, end, event?, type?}``, one per event mention; ``event`` is
the system's own cluster id (mentions sharing it corefer, across articles), ``type`` its event type. A
mention without ``event`` is a cluster of its own. ``text`` (with ``occurrence`` or ``context``) may replace
``start`` and ``end`` (:mod:`newsgold.scoring.align`).

- ``spans`` and ``by_type``: the SemEval-2013 Task 9.1 modes of :mod:`newsgold.scoring.spans` over the
  mentions; a gold mention's type is the type of its event in the registry.
- ``coref`` (on gold mentions): the clustering the system gives the gold mentions. Every gold mention is in
  the key with its gold event; in the response it is in the system's cluster of the prediction with exactly its
  span, or alone when there is none. Predictions with no gold mention of their span are left out, so both
  sides have the same mentions and only the clustering is scored. A gold mention the system did not find
  is left unclustered, so an empty prediction file scores the all-singletons baseline here (which B-cubed
  and CEAF credit, and MUC, BLANC and LEA credit only where gold events have a single mention).
- ``coref_end_to_end``: key and response keep their own mentions (a mention is its article and exact span),
  as the CoNLL reference scorer does with predicted mentions.

Both report MUC, B-cubed, CEAF-e, CEAF-m, BLANC, LEA and the CoNLL F1 of :mod:`newsgold.metrics.coref`. With
``singletons=False`` (``--no-singletons``) single-mention clusters are dropped from key and response first.
Both read only their contingency table, and the bootstrap resamples them by article cluster, each drawn copy
of a story with clusters of its own (:mod:`newsgold.scoring.core`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ..errors import Problem
from ..metrics.coref import METRICS, PRF
from ..metrics.coref import scores as coref_scores
from ..records import EVENT_TYPES
from ..release.dataset import Release
from . import align, spans
from .core import (
    Cells,
    Options,
    Scorer,
    Source,
    Statistics,
    Totals,
    Undefined,
    check_spans,
    load_rows,
    no_gold,
    scope,
)

NAME = "events"
HEADLINE = (*spans.HEADLINE, *(f"coref.{m}.f1" for m in METRICS), "coref.conll_f1",
            *(f"coref_end_to_end.{m}.f1" for m in METRICS), "coref_end_to_end.conll_f1")


def read_predictions(source: Source, gold: Release, *,
                     fuzzy: float | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, NAME)
    records, more = align.checked(rows, gold, check_spans, fuzzy=fuzzy)
    return records, problems + more


def _alone(article_id: str, start: int, end: int) -> str:
    # A cluster of one mention, named by the mention; ids never contain ":" so it meets no real cluster id.
    return f":{article_id}:{start}:{end}"


def statistics(records: Sequence[dict[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    index = {article: i for i, article in enumerate(articles)}
    records = align.placed(records, gold)
    event_type = {event["event_id"]: event["type"] for event in gold.records.get("events", [])}
    mentions = [m for m in gold.records.get("event_mentions", []) if m["article_id"] in index]
    predicted = [r for r in records if r["article_id"] in index]
    g = spans.SpanArrays.of([index[m["article_id"]] for m in mentions], [m["start"] for m in mentions],
                            [m["end"] for m in mentions],
                            [EVENT_TYPES.index(event_type[m["event_id"]]) for m in mentions])
    p = spans.SpanArrays.of([index[r["article_id"]] for r in predicted], [r["start"] for r in predicted],
                            [r["end"] for r in predicted],
                            [EVENT_TYPES.index(r["type"]) if "type" in r else spans.NO_TYPE for r in predicted])
    n = len(articles)

    def cluster(record: dict[str, Any]) -> str:
        return record.get("event") or _alone(record["article_id"], record["start"], record["end"])

    response_of = {(r["article_id"], r["start"], r["end"]): cluster(r) for r in predicted}
    key_spans = {(m["article_id"], m["start"], m["end"]) for m in mentions}
    gold_article = [index[m["article_id"]] for m in mentions]
    gold_key = [m["event_id"] for m in mentions]
    found = [response_of.get((m["article_id"], m["start"], m["end"])) for m in mentions]
    alone = [_alone(m["article_id"], m["start"], m["end"]) for m in mentions]
    on_gold = Cells.build(gold_article, gold_key, [r or a for r, a in zip(found, alone, strict=True)])
    extra = [r for r in predicted if (r["article_id"], r["start"], r["end"]) not in key_spans]
    end_to_end = Cells.build(gold_article + [index[r["article_id"]] for r in extra],
                             [*gold_key, *([None] * len(extra))], [*found, *(cluster(r) for r in extra)])
    overall, by_type, _ = spans.evaluate(g, p, n, len(EVENT_TYPES))
    return Statistics(articles, counts={
        "spans": overall,
        "by_type": by_type,
        **align.counts(records, index),
    }, cells={"coref": on_gold, "coref_end_to_end": end_to_end})


def coref_section(totals: Totals, name: str, options: Options) -> dict[str, Any]:
    """The metrics of one contingency table, as ``{muc: {precision, recall, f1}, ..., conll_f1}``; all
    undefined when the gold has no mention (see :mod:`newsgold.scoring.core`).

    Every gold mention is in the key of both tables, so the table alone says whether there is one: the section
    reads nothing but its table, which the bootstrap resamples by article cluster."""
    table = totals.tables[name]
    out: dict[str, Any] = {}
    for metric, value in coref_scores(table, singletons=options.singletons).items():
        out[metric] = value._asdict() if isinstance(value, PRF) else value
    if not table.key_sizes.sum():
        out = {metric: (no_gold("event mention", value) if isinstance(value, dict)
                        else Undefined("no gold event mention")) for metric, value in out.items()}
    return out


def report(totals: Totals, options: Options) -> dict[str, Any]:
    table = totals.tables["coref_end_to_end"]
    key, response = table.key_sizes, table.response_sizes
    counts = totals.counts["spans"][0]
    possible = int(counts[:4].sum())  # correct + incorrect + partial + missed
    actual = int(counts[[0, 1, 2, 4]].sum())
    return {
        "counts": {"articles": totals.articles, "gold": possible, "predicted": actual,
                   "gold_events": len(key), "predicted_clusters": len(response)},
        **align.section(totals.counts),
        **spans.sections(totals.counts["spans"], totals.counts["by_type"], EVENT_TYPES, options, "event mention"),
        "coref": coref_section(totals, "coref", options),
        "coref_end_to_end": coref_section(totals, "coref_end_to_end", options),
    }


def settings(options: Options) -> dict[str, Any]:
    return {"singletons": options.singletons}


SCORER = Scorer(NAME, "events", HEADLINE, read_predictions, statistics, report, settings,
                clustered=("coref", "coref_end_to_end"))
