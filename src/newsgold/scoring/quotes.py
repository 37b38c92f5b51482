"""The quote scorer: span detection, speaker attribution and both together.

Predictions (schema ``quotes``): ``{article_id, start, end, type?, speaker?}``, one per quote; ``text`` (with
``occurrence`` or ``context``) may replace ``start`` and ``end`` (:mod:`newsgold.scoring.align`).

- ``spans`` and ``by_type``: the SemEval-2013 Task 9.1 modes of :mod:`newsgold.scoring.spans` over the quote
  spans, types ``direct``, ``mixed`` and ``indirect``.
- ``speaker``: on the quotes matched one to one with a gold quote, ``accuracy = correct / matched``, where a
  speaker is correct when it resolves to the gold speaker's entity id. A speaker resolves when it is an entity
  id, ``unknown``, or a name or alias of exactly one entity, compared case-insensitively (``str.casefold``);
  a missing, ambiguous or unregistered speaker is wrong.
- ``end_to_end``: a prediction is correct when it is matched with a gold quote and names its speaker;
  ``precision = correct / predicted``, ``recall = correct / gold``, F1 their harmonic mean.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from ..errors import Problem, warn
from ..jsonl import Row
from ..records import QUOTE_TYPES, UNKNOWN_SPEAKER
from ..release.dataset import Release
from . import align, spans
from .core import (
    Options,
    Scorer,
    Source,
    Statistics,
    Totals,
    check_spans,
    fraction,
    load_rows,
    no_gold,
    prf,
    rate,
    scope,
)

NAME = "quotes"
HEADLINE = (*spans.HEADLINE, "speaker.accuracy", "end_to_end.precision", "end_to_end.recall", "end_to_end.f1")


SHOWN = 10  # unresolved speaker names warned about one by one; the rest are counted


def read_predictions(source: Source, gold: Release, *,
                     fuzzy: float | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, NAME)
    records, more = align.checked(rows, gold, check_spans, fuzzy=fuzzy)
    _warn_unresolved_speakers(rows, gold)
    return records, problems + more


def _warn_unresolved_speakers(rows: list[Row], gold: Release) -> None:
    """Warn about the speakers that resolve to no entity (valid input, scored as wrong, most likely a typo):
    the ten most frequent, each at its first line with its count, then how many more there are."""
    names = speaker_names(gold)
    unresolved: dict[str, list[Row]] = {}
    for row in rows:
        speaker = row.data.get("speaker")
        if isinstance(speaker, str) and names.get(speaker.strip().casefold()) is None:
            unresolved.setdefault(speaker, []).append(row)
    ranked = sorted(unresolved.items(), key=lambda item: (-len(item[1]), item[1][0].line, item[0]))
    for speaker, found in ranked[:SHOWN]:
        why = ("is the name or alias of more than one entity" if speaker.strip().casefold() in names
               else "is no entity id, name or alias of the registry")
        times = f"{len(found)} predictions" if len(found) > 1 else "1 prediction"
        warn(found[0].problem("speaker", f"{speaker!r} resolves to no entity: it {why} ({times}, first here); "
                                         "it counts as no speaker"))
    rest = ranked[SHOWN:]
    if rest:
        warn(Problem(rows[0].path, 0, "speaker", f"{len(rest)} more speaker names resolve to no entity "
                                                 f"({sum(len(found) for _, found in rest)} predictions)"))


def speaker_names(gold: Release) -> dict[str, str | None]:
    """Every way a prediction may name a speaker, case-folded, to the entity id (None when ambiguous)."""
    names: dict[str, str | None] = {}
    for entity in gold.records.get("entities", []):
        for name in {entity["name"], *entity.get("aliases", [])}:
            key = name.strip().casefold()
            names[key] = entity["entity_id"] if names.get(key, entity["entity_id"]) == entity["entity_id"] else None
    # Ids win over names: an id is exact, a name may be shared.
    for entity in gold.records.get("entities", []):
        names[entity["entity_id"].casefold()] = entity["entity_id"]
    names[UNKNOWN_SPEAKER] = UNKNOWN_SPEAKER
    return names


def statistics(records: Sequence[dict[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    index = {article: i for i, article in enumerate(articles)}
    records = align.placed(records, gold)
    gold_quotes = [q for q in gold.records.get("quotes", []) if q["article_id"] in index]
    predicted = [r for r in records if r["article_id"] in index]
    g = spans.SpanArrays.of([index[q["article_id"]] for q in gold_quotes], [q["start"] for q in gold_quotes],
                            [q["end"] for q in gold_quotes], [QUOTE_TYPES.index(q["type"]) for q in gold_quotes])
    p = spans.SpanArrays.of([index[r["article_id"]] for r in predicted], [r["start"] for r in predicted],
                            [r["end"] for r in predicted],
                            [QUOTE_TYPES.index(r["type"]) if "type" in r else spans.NO_TYPE for r in predicted])
    n = len(articles)
    overall, by_type, matched = spans.evaluate(g, p, n, len(QUOTE_TYPES))
    names = speaker_names(gold)
    gold_speaker = [q["speaker"] for q in gold_quotes]
    said = [names.get(str(r.get("speaker", "")).strip().casefold()) for r in predicted]
    pairs = zip(matched[0].tolist(), matched[1].tolist(), strict=True)
    right = np.array([said[j] is not None and said[j] == gold_speaker[i] for i, j in pairs], dtype=bool)
    where = g.article[matched[0]]
    matched_n = np.bincount(where, minlength=n)
    right_n = np.bincount(where[right], minlength=n) if len(right) else np.zeros(n, dtype=np.int64)
    return Statistics(articles, counts={
        "spans": overall,
        "by_type": by_type,
        "speaker": np.stack([matched_n, right_n], axis=1).astype(np.int64),
        "end_to_end": np.stack([right_n, np.bincount(p.article, minlength=n),
                                np.bincount(g.article, minlength=n)], axis=1).astype(np.int64),
        **align.counts(records, index),
    })


def report(totals: Totals, options: Options) -> dict[str, Any]:
    matched, right = (int(x) for x in totals.counts["speaker"])
    correct, predicted, gold = (int(x) for x in totals.counts["end_to_end"])
    return {
        "counts": {"articles": totals.articles, "gold": gold, "predicted": predicted, "matched": matched},
        **align.section(totals.counts),
        **spans.sections(totals.counts["spans"], totals.counts["by_type"], QUOTE_TYPES, options, "quote"),
        "speaker": {"matched": matched, "correct": right,
                    **(no_gold("quote", ["accuracy"]) if not gold else {"accuracy": rate(right, matched, options)})},
        "end_to_end": {"correct": correct, **(no_gold("quote") if not gold else
                                              prf(fraction(correct, predicted), fraction(correct, gold), options))},
    }


SCORER = Scorer(NAME, "quotes", HEADLINE, read_predictions, statistics, report)
