"""The error-analysis report: one system's predictions against the gold, drawn on the articles, in one HTML file.

For every ``<task>.jsonl`` in the prediction folder the report shows the scorer's metrics, then every gold
item and every prediction classified into error kinds (:data:`newsgold.html.render.KINDS`):

- boilerplate, doc_pairs: items are keyed (article and line; article pair), so a key in both sides is
  ``correct`` or ``type`` (another role or relation), a gold key alone ``missed``, a predicted one ``spurious``.
- quotes, events, passages: spans are paired one to one by the scorers' own matching
  (:func:`newsgold.scoring.spans.match` for quotes and event mentions; for passage members, the rule of
  :mod:`newsgold.metrics.matching`, half the shorter span). A pair is ``boundary`` when its offsets differ, ``type``
  when the quote or event type differs, ``link`` when the speaker differs (quotes) or when it joins a gold
  cluster and a predicted cluster that are not aligned (events, passages); with none of these it is
  ``correct``. Unpaired gold spans are ``missed`` and unpaired predictions ``spurious``.

Cluster alignment (events, passages) is one to one: each predicted cluster is aligned with the gold cluster it
shares the most paired mentions with, largest first (:func:`newsgold.metrics.matching.one_to_one`), so a predicted
cluster that merges two gold events, or one of two that split a gold event, has its other mentions marked
``link``. The kinds explain scores; the numbers at the top of each section are the scorer's, not recounted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import scoring
from ..errors import InputError, Problem, raise_if
from ..metrics.matching import align_clusters
from ..records import EVENT_TYPES, QUOTE_TYPES
from ..release.dataset import Release
from ..scoring import align, passages, spans
from ..scoring.quotes import speaker_names
from .render import (
    KIND_HELP,
    KINDS,
    TASK_TITLES,
    Html,
    LineLook,
    Mark,
    Palette,
    anchor,
    chip,
    clip,
    draw_article,
    el,
    gold_ann,
    is_content,
    legend_roles,
    line_of,
    mention_mark,
    page,
    pair_cell,
    pair_matrices,
    passage_mark,
    quote_marks,
    role_badge,
    task_filters,
)

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Outcome:
    """One gold item, one prediction, or a matched pair of both, with its error kinds and where it is drawn."""

    task: str
    kinds: tuple[str, ...]
    article_id: str
    place: str  # "line 4", "a1 × a2"
    gold: str  # a one-line description of the gold side ("" when spurious)
    pred: str  # of the prediction ("" when missed)
    target: str  # the fragment id of its drawing

    @property
    def is_error(self) -> bool:
        return self.kinds != ("correct",)


@dataclass(frozen=True)
class Item:
    """A span of either side, in the terms the matching and the drawing need."""

    ann: str
    side: str  # gold or pred
    article_id: str
    start: int
    end: int
    label: str | None  # quote type, event type
    cluster: str | None  # speaker, event cluster, passage cluster
    record: Record = field(compare=False, repr=False)


@dataclass
class Classified:
    """The outcomes of one task, and the error kinds of every drawn annotation (by ``data-ann``)."""

    task: str
    outcomes: list[Outcome]
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    gold: list[Item] = field(default_factory=list)
    pred: list[Item] = field(default_factory=list)
    aligned: dict[str, str] = field(default_factory=dict)  # predicted cluster -> gold cluster
    note: str = ""  # why nothing was classified, when nothing was

    def counts(self) -> Counter[str]:
        return Counter(kind for outcome in self.outcomes for kind in outcome.kinds)


# ---------------------------------------------------------------------------------------------------------
# The numbers of the scorer's report


def headline(name: str, metrics: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The few numbers the summary shows: the scorer's headline F1s, accuracies and kappas that the report has."""
    flat = dict(flatten(metrics))
    wanted = ("f1", "accuracy", "kappa", "conll_f1", "macro_f1", "roc_auc")
    chosen = [p for p in scoring.scorer(name).headline
              if p in flat and flat[p] is not None and p.rsplit(".", 1)[-1] in wanted]
    return [(p, flat[p]) for p in chosen[:8]]


def flatten(value: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf of a nested report as (dotted path, value), in the report's own order."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from flatten(item, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)  # an undefined metric, as the text summary prints it
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return "[" + ", ".join(number(v) for v in value) + "]"
    return str(value)


# ---------------------------------------------------------------------------------------------------------
# Classification


def _where(release: Release, article_id: str, start: int) -> str:
    article = release.articles.get(article_id)
    return f"line {line_of(article, start)}" if article else "?"


def _line_ref(release: Release, item: Item) -> str:
    """``article:line`` of an item, the article id cut short (ids start with a distinct number in a cluster)."""
    article = release.articles.get(item.article_id)
    return f"{item.article_id[:12]}:{line_of(article, item.start) if article else '?'}"


def classify_boilerplate(release: Release, predictions: list[dict[str, Any]]) -> Classified:
    """Lines as the boilerplate scorer sees them: boilerplate is the positive class, and a line without a
    prediction is predicted content. A gold boilerplate line predicted content is ``missed``, a content line
    predicted boilerplate ``spurious``; with the decision right, another role is ``type`` (when the predictions
    give roles at all). Predictions for empty lines are not scored, and not shown."""
    predicted = {(r["article_id"], r["line_no"]): r for r in predictions}
    with_roles = any(r.get("role") is not None for r in predictions)
    result = Classified("boilerplate", [])
    for g in release.records.get("boilerplate", []):
        article_id, line_no = g["article_id"], g["line_no"]
        p = predicted.get((article_id, line_no))
        said = bool(p and p.get("is_boilerplate"))
        if said != (not is_content(g["role"])):
            kinds: tuple[str, ...] = ("spurious",) if said else ("missed",)
        elif with_roles and (p or {}).get("role") != g["role"]:
            kinds = ("type",)
        else:
            kinds = ("correct",)
        result.kinds[gold_ann("boilerplate", article_id, str(line_no))] = kinds
        result.outcomes.append(Outcome("boilerplate", kinds, article_id, f"line {line_no}",
                                       f"{g['role']}: {clip(g['text'], 60)}", predicted_role(p),
                                       anchor("boilerplate", article_id, f"L{line_no}")))
    return result


def predicted_role(pred: Record | None) -> str:
    """A line's prediction in words: its role when given, else the decision (no prediction is content)."""
    if pred is None:
        return "content (no prediction)"
    if pred.get("role") is not None:
        return str(pred["role"])
    return "boilerplate" if pred.get("is_boilerplate") else "content"


def classify_doc_pairs(release: Release, predictions: list[dict[str, Any]]) -> Classified:
    """Gold pairs against predicted relations: same relation correct, another ``type``, none ``missed`` (the
    scorer counts a pair without a relation as wrong). Predictions with scores only are not classified."""
    result = Classified("doc_pairs", [])
    if predictions and not any("relation" in r for r in predictions):
        result.note = "The predictions give scores only: each cell of the matrix shows the score beside the relation."
        return result
    predicted = {_pair(r): r for r in predictions}
    for g in sorted(release.records.get("doc_pairs", []), key=_pair):
        key = _pair(g)
        relation = predicted.get(key, {}).get("relation")
        kinds: tuple[str, ...] = ("missed",) if relation is None else (
            ("correct",) if relation == g["relation"] else ("type",))
        target = anchor("doc_pairs", *key)
        result.kinds[target] = kinds
        result.outcomes.append(Outcome("doc_pairs", kinds, key[0], f"{key[0]} × {key[1]}", str(g["relation"]),
                                       str(relation or ""), target))
    return result


def _pair(record: Record) -> tuple[str, str]:
    a, b = str(record.get("a")), str(record.get("b"))
    return (a, b) if a <= b else (b, a)


def _items(side: str, records: Iterable[Record], label: Callable[[Record], str | None],
           cluster: Callable[[Record], str | None], ann: Callable[[Record, int], str]) -> list[Item]:
    # Predictions are put in text order first, so that their anchors are numbered the same for the same input.
    ordered = sorted(records, key=lambda r: (str(r["article_id"]), int(r["start"]), int(r["end"]),
                                             json.dumps(r, sort_keys=True, ensure_ascii=False)))
    return [Item(ann(r, n), side, str(r["article_id"]), int(r["start"]), int(r["end"]), label(r), cluster(r), r)
            for n, r in enumerate(ordered, start=1)]


def _match_labelled(release: Release, gold: list[Item], pred: list[Item],
                    labels: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs by the quote and event-mention scorers' matching, fed exactly as those scorers feed it."""
    index = {article_id: i for i, article_id in enumerate(sorted(release.articles))}

    def arrays(items: list[Item]) -> Any:
        return spans.SpanArrays.of([index[i.article_id] for i in items], [i.start for i in items],
                                   [i.end for i in items],
                                   [labels.index(i.label) if i.label in labels else spans.NO_TYPE for i in items])

    g, p = spans.match(arrays(gold), arrays(pred))
    return list(zip(g.tolist(), p.tolist(), strict=True))


def _match_passages(release: Release, gold: list[Item], pred: list[Item]) -> list[tuple[int, int]]:
    """Passage members paired exactly as the passage scorer pairs them (:func:`newsgold.scoring.passages.match`)."""
    index = {article_id: i for i, article_id in enumerate(sorted(release.articles))}

    def array(items: list[Item]) -> Any:
        return np.array([(index[i.article_id], i.start, i.end) for i in items], dtype=np.int64).reshape(-1, 3)

    gi, pi = passages.match(array(gold), array(pred))
    return list(zip(gi.tolist(), pi.tolist(), strict=True))


def _classify_spans(task: str, release: Release, gold: list[Item], pred: list[Item],
                    pairs: list[tuple[int, int]], *, linked: Callable[[Item, Item, dict[str, str]], bool],
                    aligned: dict[str, str], describe: Callable[[Item, str], str]) -> Classified:
    def said(item: Item) -> str:
        return describe(item, release.articles[item.article_id].text[item.start:item.end])

    typed = any(i.label is not None for i in pred)  # a system that predicts no types is not told it got them wrong
    result = Classified(task, [], gold=gold, pred=pred, aligned=aligned)
    paired_gold, paired_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    entries: list[tuple[tuple[Any, ...], Outcome]] = []
    for g_index, p_index in pairs:
        g, p = gold[g_index], pred[p_index]
        kinds = tuple(kind for kind, wrong in (
            ("boundary", (g.start, g.end) != (p.start, p.end)),
            ("type", typed and g.label != p.label),
            ("link", not linked(g, p, aligned)),
        ) if wrong) or ("correct",)
        result.kinds[g.ann] = result.kinds[p.ann] = kinds
        entries.append(((g.article_id, g.start, g.end, p.start), Outcome(
            task, kinds, g.article_id, _where(release, g.article_id, g.start), said(g), said(p),
            anchor(g.ann))))
    for n, g in enumerate(gold):
        if n not in paired_gold:
            result.kinds[g.ann] = ("missed",)
            entries.append(((g.article_id, g.start, g.end, -1), Outcome(
                task, ("missed",), g.article_id, _where(release, g.article_id, g.start), said(g), "",
                anchor(g.ann))))
    for n, p in enumerate(pred):
        if n not in paired_pred:
            result.kinds[p.ann] = ("spurious",)
            entries.append(((p.article_id, p.start, p.end, p.start), Outcome(
                task, ("spurious",), p.article_id, _where(release, p.article_id, p.start), "", said(p),
                anchor(p.ann))))
    result.outcomes = [outcome for _, outcome in sorted(entries, key=lambda e: e[0])]
    return result


def classify_quotes(release: Release, predictions: list[dict[str, Any]]) -> Classified:
    """Quote spans by the quote scorer's matching; ``link`` when the speaker does not resolve to the gold one."""
    names = speaker_names(release)
    gold = _items("gold", release.records.get("quotes", []), lambda r: r["type"], lambda r: r["speaker"],
                  lambda r, n: gold_ann("quotes", str(r["quote_id"])))
    pred = _items("pred", predictions, lambda r: r.get("type"),
                  lambda r: names.get(str(r.get("speaker", "")).strip().casefold()) if "speaker" in r else None,
                  lambda r, n: f"p-quotes-{n}")
    pairs = _match_labelled(release, gold, pred, QUOTE_TYPES)
    entities = release.entities()

    def describe(item: Item, text: str) -> str:
        speaker = item.record.get("speaker") if item.side == "pred" else item.cluster
        name = entities.get(str(speaker), {}).get("name", speaker) if speaker else "no speaker"
        return f"“{clip(text, 60)}” ({item.label or 'untyped'}, {name})"

    return _classify_spans("quotes", release, gold, pred, pairs, aligned={}, describe=describe,
                           linked=lambda g, p, _: p.cluster is not None and p.cluster == g.cluster)


def classify_events(release: Release, predictions: list[dict[str, Any]]) -> Classified:
    """Event mentions by the event scorer's matching; type is the event type; clusters aligned one to one."""
    event_type = {e["event_id"]: e["type"] for e in release.records.get("events", [])}
    gold = _items("gold", release.records.get("event_mentions", []),
                  lambda r: event_type.get(r["event_id"]), lambda r: r["event_id"],
                  lambda r, n: gold_ann("events", str(r["mention_id"])))
    # A mention without a predicted event is a cluster of its own, as the event scorer counts it.
    pred = _items("pred", predictions, lambda r: r.get("type"),
                  lambda r: str(r["event"]) if r.get("event") else f":{r['article_id']}:{r['start']}:{r['end']}",
                  lambda r, n: f"p-events-{n}")
    pairs = _match_labelled(release, gold, pred, EVENT_TYPES)
    aligned = align_clusters((str(gold[g].cluster), str(pred[p].cluster)) for g, p in pairs)
    return _classify_spans("events", release, gold, pred, pairs, aligned=aligned,
                           linked=lambda g, p, a: a.get(str(p.cluster)) == g.cluster,
                           describe=lambda i, text: f"“{clip(text, 40)}” "
                                              f"({i.cluster if not str(i.cluster).startswith(':') else 'no event'})")


def classify_passages(release: Release, predictions: list[dict[str, Any]]) -> Classified:
    """Passage members paired by the passage scorer's rule; ``link`` when a pair's clusters are not aligned.

    A predicted cluster is named ``#n`` by its place in the prediction file, as the scorer names it.
    """
    gold = [Item(gold_ann("passages", str(c["passage_cluster_id"]), str(n)), "gold", m["article_id"], m["start"],
                 m["end"], None, str(c["passage_cluster_id"]), m)
            for c in release.records.get("passages", []) for n, m in enumerate(c["members"], start=1)]
    pred: list[Item] = []
    for number, record in enumerate(predictions):
        for member in record["cluster"]:
            pred.append(Item(f"p-passages-{len(pred) + 1}", "pred", member["article_id"], member["start"],
                             member["end"], None, f"#{number}", member))
    pairs = _match_passages(release, gold, pred)
    aligned = align_clusters((str(gold[g].cluster), str(pred[p].cluster)) for g, p in pairs)
    return _classify_spans("passages", release, gold, pred, pairs, aligned=aligned,
                           describe=lambda item, text: f"{item.cluster}: “{clip(text, 50)}”",
                           linked=lambda g, p, a: a.get(str(p.cluster)) == g.cluster)


CLASSIFIERS: dict[str, Callable[[Release, list[dict[str, Any]]], Classified]] = {
    "boilerplate": classify_boilerplate,
    "doc_pairs": classify_doc_pairs,
    "passages": classify_passages,
    "quotes": classify_quotes,
    "events": classify_events,
}


# ---------------------------------------------------------------------------------------------------------
# Drawing


def _kind_badges(kinds: Sequence[str]) -> Html:
    return el("span", {}, [el("span", {"class": f"kind k-{k}", "title": KIND_HELP.get(k, "")}, k) for k in kinds])


def _errors_table(result: Classified) -> Html:
    if not result.outcomes:
        return el("p", {"class": "meta"}, result.note or "Nothing to compare.")
    rows = [el("tr", {"class": " ".join(["err", *(f"k-{k}" for k in o.kinds)]), "data-kinds": " ".join(o.kinds)},
               el("td", {}, _kind_badges(o.kinds)), el("td", {}, o.article_id), el("td", {}, o.place),
               el("td", {}, o.gold), el("td", {}, o.pred), el("td", {}, el("a", {"href": f"#{o.target}"}, "show")))
            for o in result.outcomes if o.is_error]
    correct = sum(1 for o in result.outcomes if not o.is_error)
    counts = result.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    table = el("table", {"class": "errors"},
               el("tr", {}, [el("th", {}, h) for h in ("kind", "article", "where", "gold", "predicted", "")]), rows)
    return el("div", {},
              el("h3", {}, f"Errors ({len(rows)}), and {correct} correct"),
              el("p", {"class": "meta"}, summary),
              el("div", {"class": "errlist"}, table) if rows else el("p", {}, "No errors."))


def _metrics_block(task: str, metrics: Mapping[str, Any]) -> Html:
    rows = [el("tr", {}, el("td", {}, path), el("td", {"class": "num"}, number(value)))
            for path, value in flatten(metrics) if path not in ("task",)]
    top = el("table", {}, [el("tr", {}, el("th", {}, p), el("td", {"class": "num"}, number(v)))
                           for p, v in headline(task, metrics)])
    return el("div", {"class": "metrics"}, top,
              el("details", {}, el("summary", {}, f"All {len(rows)} numbers of the scorer's report"),
                 el("table", {}, rows)))


def _articles_with(release: Release, items: Iterable[Item]) -> list[str]:
    present = {i.article_id for i in items}
    return [a for a in sorted(release.articles) if a in present]


def _article_block(task: str, release: Release, article_id: str, marks: list[Mark],
                   lines: Mapping[int, LineLook] | None = None) -> Html:
    article = release.articles[article_id]
    return el("article", {"data-article": article_id, "id": anchor(task, article_id)},
              el("h3", {}, article_id, el("span", {"class": "meta"}, f"  cluster {article.cluster_id}")),
              draw_article(article, marks, prefix=anchor(task, article_id), lines=lines))


def draw_boilerplate(release: Release, result: Classified, predictions: list[dict[str, Any]]) -> Html:
    """Every article, each line coloured by its gold role; a wrong line is marked and shows the predicted role."""
    predicted = {(r["article_id"], r["line_no"]): r for r in predictions}
    looks: dict[str, dict[int, LineLook]] = defaultdict(dict)
    for g in release.records.get("boilerplate", []):
        article_id, line_no = g["article_id"], g["line_no"]
        ann = gold_ann("boilerplate", article_id, str(line_no))
        kinds = result.kinds[ann]
        said = predicted_role(predicted.get((article_id, line_no)))
        badges = [role_badge(g["role"])]
        if kinds != ("correct",):
            badges.append(role_badge(said, pred=True, kinds=kinds))
        looks[article_id][line_no] = LineLook(ann, g["role"], tuple(badges), f"gold {g['role']}; predicted {said}",
                                              kinds, wrong=kinds != ("correct",))
    return el("div", {}, legend_roles(),
              [_article_block("boilerplate", release, a, [], looks[a]) for a in sorted(release.articles)])


def draw_doc_pairs(release: Release, result: Classified, predictions: list[dict[str, Any]]) -> Html:
    """The pair matrix of each cluster: the gold relation, and the predicted relation (or score) beside it."""
    predicted = {_pair(r): r for r in predictions}

    def cell(pair: Record) -> Html:
        key = _pair(pair)
        target = anchor("doc_pairs", *key)
        guess = predicted.get(key, {})
        kinds = result.kinds.get(target, ())
        said = [f"→ {guess.get('relation') or 'none'}" if kinds and kinds != ("correct",) else "",
                f"score {number(guess['score'])}" if "score" in guess else ""]
        return pair_cell(pair, target, " ".join(x for x in said if x), kinds)

    return el("div", {}, pair_matrices(release, cell),
              el("p", {"class": "meta"}, "Each cell: the gold relation, then → the predicted one where they differ, "
                                         "and the predicted score when there is one."))


def draw_quotes(release: Release, result: Classified, predictions: list[dict[str, Any]]) -> Html:
    entities = release.entities()
    colours = Palette(str(i.cluster) for i in result.gold)

    def name(speaker: Any) -> str:
        return str(entities.get(str(speaker), {}).get("name", speaker)) if speaker else "no speaker"

    marks: dict[str, list[Mark]] = defaultdict(list)
    for item in result.gold:
        marks[item.article_id] += quote_marks(item.record, item.ann, speaker=name(item.cluster),
                                              colour=colours(item.cluster), kinds=result.kinds[item.ann])
    for item in result.pred:
        kinds = result.kinds[item.ann]
        marks[item.article_id] += quote_marks(item.record, item.ann, speaker=name(item.record.get("speaker")),
                                              side="pred", kinds=kinds, note=kinds != ("correct",))
    return el("div", {}, _legend("quote"), [_article_block("quotes", release, a, marks[a])
                                            for a in _articles_with(release, [*result.gold, *result.pred])])


def draw_events(release: Release, result: Classified, predictions: list[dict[str, Any]]) -> Html:
    events = {e["event_id"]: e for e in release.records.get("events", [])}
    colours = Palette(events)
    marks: dict[str, list[Mark]] = defaultdict(list)
    for item in result.gold:
        event = str(item.cluster)
        marks[item.article_id].append(mention_mark(
            item.record, item.ann, event=event, event_title=str(events.get(event, {}).get("description", "")),
            colour=colours(event), kinds=result.kinds[item.ann], href=f"#{anchor('events-registry', event)}"))
    for item in result.pred:
        gold_event = result.aligned.get(str(item.cluster))
        cluster = str(item.cluster) if not str(item.cluster).startswith(":") else "no event"
        kinds = result.kinds[item.ann]
        marks[item.article_id].append(mention_mark(
            item.record, item.ann, event=f"{cluster} ≈ {gold_event or 'unaligned'}", event_title=cluster,
            side="pred", colour=colours(gold_event), kinds=kinds, note=kinds != ("correct",)))
    return el("div", {}, _legend("mention"), _event_table(release, result, colours),
              [_article_block("events", release, a, marks[a])
               for a in _articles_with(release, [*result.gold, *result.pred])])


def _event_table(release: Release, result: Classified, colours: Palette) -> Html:
    """Every gold event with links to all its mentions across articles, and the predicted cluster aligned to it."""
    by_event: dict[str, list[Item]] = defaultdict(list)
    for item in result.gold:
        by_event[str(item.cluster)].append(item)
    aligned_to = {g: p for p, g in result.aligned.items()}
    rows = []
    for event in sorted(e["event_id"] for e in release.records.get("events", [])):
        mentions = [chip(f"{_line_ref(release, m)} {clip(m.record['text'], 20)}", href=f"#{anchor(m.ann)}",
                         colour=colours(event), kinds=result.kinds[m.ann])
                    for m in by_event.get(event, [])]
        rows.append(el("tr", {"id": anchor("events-registry", event)},
                       el("td", {}, chip(event, colour=colours(event))), el("td", {}, mentions),
                       el("td", {}, aligned_to.get(event, "—"))))
    unaligned = sorted({str(i.cluster) for i in result.pred} - set(result.aligned))
    return el("details", {"open": True},
              el("summary", {}, f"{len(rows)} gold events and their mentions across articles"),
              el("table", {}, el("tr", {}, el("th", {}, "event"), el("th", {}, "mentions"),
                                 el("th", {}, "aligned predicted cluster")), rows),
              el("p", {"class": "meta"}, f"Predicted clusters aligned with no gold event: {len(unaligned)}"))


def draw_passages(release: Release, result: Classified, predictions: list[dict[str, Any]]) -> Html:
    colours = Palette(str(i.cluster) for i in result.gold)

    clusters: dict[tuple[str, str | None], list[Item]] = defaultdict(list)
    for item in [*result.gold, *result.pred]:
        clusters[(item.side, item.cluster)].append(item)  # each side links to its own cluster's members

    def others(item: Item) -> list[tuple[str, str]]:
        return [(_line_ref(release, o), f"#{anchor(o.ann)}")
                for o in clusters[(item.side, item.cluster)] if o.ann != item.ann]

    marks: dict[str, list[Mark]] = defaultdict(list)
    for item in result.gold:
        marks[item.article_id].append(passage_mark(item.record, item.ann, cluster=str(item.cluster),
                                                   others=others(item), colour=colours(item.cluster),
                                                   kinds=result.kinds[item.ann]))
    for item in result.pred:
        gold_cluster = result.aligned.get(str(item.cluster))
        marks[item.article_id].append(passage_mark(
            item.record, item.ann, cluster=f"{item.cluster} ≈ {gold_cluster or 'unaligned'}",
            others=others(item), side="pred", colour=colours(gold_cluster), kinds=result.kinds[item.ann]))
    return el("div", {}, _legend("passage"), [_article_block("passages", release, a, marks[a])
                                              for a in _articles_with(release, [*result.gold, *result.pred])])


def _legend(kind: str) -> Html:
    return el("p", {"class": "legend"},
              "Gold: filled, underlined in the colour of its kind. Prediction: boxed in the colour of its kind "
              "(dashed when spurious). ",
              el("span", {"class": f"m m-{kind} gold k-missed", "style": "--c:#fde68a"}, "missed gold"), " ",
              el("span", {"class": f"m m-{kind} pred k-spurious"}, "spurious prediction"), " ",
              el("span", {"class": f"m m-{kind} gold k-boundary", "style": "--c:#fde68a"},
                 el("span", {"class": f"m m-{kind} pred k-boundary"}, "boundary")))


DRAWERS: dict[str, Callable[[Release, Classified, list[dict[str, Any]]], Html]] = {
    "boilerplate": draw_boilerplate,
    "doc_pairs": draw_doc_pairs,
    "passages": draw_passages,
    "quotes": draw_quotes,
    "events": draw_events,
}


# ---------------------------------------------------------------------------------------------------------
# The report


@dataclass
class TaskReport:
    task: str
    metrics: dict[str, Any]  # the scorer's report, as newsgold.score returns it
    classified: Classified
    drawing: Html


def analyse(pred_dir: Path, release: Release) -> list[TaskReport]:
    """Score and classify every prediction file of ``pred_dir`` (``<name>.jsonl`` for each scorer), in the
    scorers' order. Every problem of every file is raised at once, before anything is scored."""
    if not pred_dir.is_dir():
        raise InputError([Problem(str(pred_dir), 0, "-", "no such folder")])
    found = [name for name in scoring.SCORERS if (pred_dir / f"{name}.jsonl").is_file()]
    if not found:
        raise InputError([Problem(str(pred_dir), 0, "-", "no prediction file: expected one of "
                                  + ", ".join(f"{name}.jsonl" for name in scoring.SCORERS))])
    records: dict[str, list[dict[str, Any]]] = {}
    problems = []
    for name in found:
        try:
            # Text-anchored predictions that aligned nowhere have no place to draw; the metrics count them.
            records[name] = align.with_places(scoring.read_predictions(name, pred_dir / f"{name}.jsonl", release))
        except InputError as error:
            problems += error.problems
    raise_if(problems)
    reports = []
    for name in found:
        metrics = scoring.score(name, pred_dir / f"{name}.jsonl", release)
        classify, draw = CLASSIFIERS.get(name), DRAWERS.get(name)
        classified = classify(release, records[name]) if classify else Classified(
            name, [], note="These predictions are scored as a whole (the numbers above); there is nothing to draw.")
        drawing = draw(release, classified, records[name]) if draw else Html("")
        reports.append(TaskReport(name, metrics, classified, drawing))
    return reports


def _summary(reports: list[TaskReport]) -> Html:
    rows = []
    for report in reports:
        counts = report.classified.counts()
        numbers = ", ".join(f"{path} {number(value)}" for path, value in headline(report.task, report.metrics))
        rows.append(el("tr", {},
                       el("td", {}, el("a", {"href": f"#{anchor('task', report.task)}"},
                                       TASK_TITLES.get(report.task, report.task))),
                       el("td", {}, numbers),
                       [el("td", {"class": f"num k-{k}"}, str(counts[k])) for k in KINDS]))
    head = el("tr", {}, el("th", {}, "task"), el("th", {}, "headline metrics (scorer)"),
              [el("th", {"title": KIND_HELP[k]}, k) for k in KINDS])
    return el("section", {"data-task": "summary", "id": "summary"}, el("h2", {}, "Summary"),
              el("table", {"class": "summary"}, head, rows))


def render_report(pred_dir: Path, release: Release, *, title: str | None = None) -> str:
    """The whole report as one self-contained HTML page (deterministic: same input, same bytes)."""
    reports = analyse(pred_dir, release)
    name = title or f"Error analysis: {pred_dir.name or pred_dir.resolve().name}"
    intro = el("p", {"class": "meta"},
               f"Release {release.version}, manifest sha256 {release.manifest_sha256[:12]}, "
               f"{len(release.articles)} articles; predictions: {', '.join(r.task for r in reports)}.")
    sections = [
        el("section", {"data-task": r.task, "id": anchor("task", r.task)},
           el("h2", {}, TASK_TITLES.get(r.task, r.task)),
           _metrics_block(r.task, r.metrics),
           _errors_table(r.classified),
           r.drawing)
        for r in reports
    ]
    return page(name, intro, task_filters([r.task for r in reports], KINDS), _summary(reports), sections)


def write_report(pred_dir: Path, out: Path, gold_dir: Path | None = None) -> Path:
    release = Release.load(gold_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(pred_dir, release), encoding="utf-8")
    return out
