"""Inter-annotator agreement between the independent passes in ``annotation/passes/<task>/<annotator>/``.

Each function takes two passes (records as read from their folders) and returns rows for the agreement table
of DATASHEET.md; :func:`agreement_markdown` renders every task. The figures are computed, never typed:
the datasheet check regenerates them and fails when the published table differs.

- boilerplate: Cohen's kappa on the binary content/boilerplate decision and on the full role label,
  per article and overall, over the lines both passes labelled.
- doc_pairs: observed agreement and Cohen's kappa on the relation.
- passages, quotes, events: the second pass scored against the first with the dataset's own scorers
  (symmetric for F1), so agreement and system scores are computed by the same code.

:func:`figures` gives those tables for one task and :func:`disagreements` every place two passes differ, as
:class:`Disagreement` items (``newsgold agree``, :mod:`newsgold.agreement.adjudication`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corpus import Article, Line, load_corpus
from ..metrics.matching import align_clusters
from ..records import CONTENT_ROLES
from ..release.build import read_gold
from ..release.dataset import Release
from ..release.layout import RAW_DIR
from ..tasks import TASKS

PASSES_DIR = Path("annotation") / "passes"
Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Pass:
    annotator: str
    records: Records
    articles: dict[str, Article]

    def as_gold(self) -> Release:
        """This pass as a release in memory, so the scorers can take it as the reference."""
        return Release(Path(self.annotator), f"pass {self.annotator}", "", self.articles, self.records)


def read_passes(root: Path, annotation_task: str, articles: dict[str, Article]) -> list[Pass]:
    """Every complete pass of one annotation task, in annotator order (checked like the gold)."""
    folder = root / PASSES_DIR / annotation_task
    passes = []
    for annotator_dir in sorted(p for p in folder.glob("*") if p.is_dir()):
        rows = read_gold(root, articles, annotator_dir)
        passes.append(Pass(annotator_dir.name, {c: [r.data for r in rs] for c, rs in rows.items()}, articles))
    return passes


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa, (p_o - p_e) / (1 - p_e); NaN when both raters used one and the same label (p_e = 1)."""
    if len(set(first) | set(second)) < 2:
        return math.nan
    # Imported here: scikit-learn takes about a second to import, and every command loads this module.
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(first, second))


def boilerplate_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    first = {(r["article_id"], r["line_no"]): r["role"] for r in a.records["boilerplate"]}
    second = {(r["article_id"], r["line_no"]): r["role"] for r in b.records["boilerplate"]}
    keys = sorted(set(first) & set(second))
    rows = []
    for article_id in [*sorted({k[0] for k in keys}), None]:
        chosen = [k for k in keys if article_id is None or k[0] == article_id]
        roles_a = [first[k] for k in chosen]
        roles_b = [second[k] for k in chosen]
        binary_a = [str(r not in CONTENT_ROLES) for r in roles_a]
        binary_b = [str(r not in CONTENT_ROLES) for r in roles_b]
        rows.append({
            "article": article_id or "all",
            "lines": len(chosen),
            "agreement": sum(x == y for x, y in zip(roles_a, roles_b, strict=True)) / len(chosen),
            "kappa_binary": kappa(binary_a, binary_b),
            "kappa_role": kappa(roles_a, roles_b),
        })
    return rows


def doc_pairs_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    first = {(r["a"], r["b"]): r["relation"] for r in a.records["doc_pairs"]}
    second = {(r["a"], r["b"]): r["relation"] for r in b.records["doc_pairs"]}
    keys = sorted(set(first) & set(second))
    relations_a, relations_b = [first[k] for k in keys], [second[k] for k in keys]
    return [{
        "pairs": len(keys),
        "agreement": sum(x == y for x, y in zip(relations_a, relations_b, strict=True)) / len(keys),
        "kappa": kappa(relations_a, relations_b),
    }]


def _score(task: str, predictions: list[dict[str, Any]], reference: Release) -> dict[str, Any]:
    from ..scoring import score  # the scorers import the dataset stack; only agreement on spans needs them

    return score(task, predictions, reference)


def passages_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    predictions = [{"cluster": [{k: m[k] for k in ("article_id", "start", "end")} for m in cluster["members"]]}
                   for cluster in b.records["passages"]]
    report = _score("passages", predictions, a.as_gold())
    return [{"clusters_a": len(a.records["passages"]), "clusters_b": len(b.records["passages"]),
             "link_f1": report["links"]["f1"], "b3_f1": report["b3"]["f1"]}]


def quotes_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    """Span F1 (strict and partial) overall and per type, speaker and cue agreement on matched quotes."""
    predictions = [{k: q[k] for k in ("article_id", "start", "end", "type", "speaker")} for q in b.records["quotes"]]
    report = _score("quotes", predictions, a.as_gold())
    # Cue agreement: of the quotes both passes marked with the same span, the share with the same cue (or none).
    cues_b = {(q["article_id"], q["start"], q["end"]): q["cue"] for q in b.records["quotes"]}
    same_span = [(q["cue"], cues_b[key]) for q in a.records["quotes"]
                 if (key := (q["article_id"], q["start"], q["end"])) in cues_b]
    cue_agreement = sum(x == y for x, y in same_span) / len(same_span) if same_span else math.nan
    rows = []
    for label, section in [("all", report["spans"]), *sorted(report["by_type"].items())]:
        rows.append({"type": label, "quotes_a": section["strict"]["possible"], "quotes_b": section["strict"]["actual"],
                     "strict_f1": section["strict"]["f1"], "partial_f1": section["partial"]["f1"]})
    rows[0]["speaker_accuracy"] = report["speaker"]["accuracy"]
    rows[0]["cue_agreement"] = cue_agreement
    for row in rows[1:]:
        row["speaker_accuracy"] = row["cue_agreement"] = ""
    return rows


def _mention_predictions(p: Pass, keep: set[tuple[str, int, int]] | None = None) -> list[dict[str, Any]]:
    types = {e["event_id"]: e["type"] for e in p.records["events"]}
    return [{"article_id": m["article_id"], "start": m["start"], "end": m["end"], "event": m["event_id"],
             "type": types[m["event_id"]]}
            for m in p.records["event_mentions"] if keep is None or (m["article_id"], m["start"], m["end"]) in keep]


def events_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    """Mention F1 (strict, partial), then coreference on the mentions both passes found (same span)."""
    mentions = _score("events", _mention_predictions(b), a.as_gold())
    spans_b = {(m["article_id"], m["start"], m["end"]) for m in b.records["event_mentions"]}
    both = {(m["article_id"], m["start"], m["end"]) for m in a.records["event_mentions"]} & spans_b
    # Restricting the reference to the shared mentions makes the coreference scores compare clusterings only.
    shared = {**a.records, "event_mentions": [m for m in a.records["event_mentions"]
                                              if (m["article_id"], m["start"], m["end"]) in both]}
    reference = Release(Path(a.annotator), f"pass {a.annotator}", "", a.articles, shared)
    coref = _score("events", _mention_predictions(b, both), reference)["coref"]
    fields_same, fields_all = _registry_agreement(a, b, both)
    return [{"mentions_a": mentions["spans"]["strict"]["possible"], "mentions_b": mentions["spans"]["strict"]["actual"],
             "strict_f1": mentions["spans"]["strict"]["f1"], "partial_f1": mentions["spans"]["partial"]["f1"],
             "shared": len(both), "muc_f1": coref["muc"]["f1"], "b3_f1": coref["b3"]["f1"],
             "ceafe_f1": coref["ceafe"]["f1"], "conll_f1": coref["conll_f1"],
             "registry_fields": f"{fields_same}/{fields_all}"}]


REGISTRY_FIELDS = ("type", "date", "place", "participants")


def _aligned_events(a: Pass, b: Pass, both: set[tuple[str, int, int]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Events of the two passes paired one to one through their shared mentions (the report's alignment)."""
    event_a = {(m["article_id"], m["start"], m["end"]): m["event_id"] for m in a.records["event_mentions"]}
    event_b = {(m["article_id"], m["start"], m["end"]): m["event_id"] for m in b.records["event_mentions"]}
    b_to_a = align_clusters((event_a[key], event_b[key]) for key in sorted(both))
    events_a = {e["event_id"]: e for e in a.records["events"]}
    events_b = {e["event_id"]: e for e in b.records["events"]}
    return sorted(((events_a[x], events_b[y]) for y, x in b_to_a.items()), key=lambda pair: pair[0]["event_id"])


def _registry_agreement(a: Pass, b: Pass, both: set[tuple[str, int, int]]) -> tuple[int, int]:
    """Equal registry fields over the aligned events."""
    aligned = _aligned_events(a, b, both)
    return (sum(x[f] == y[f] for x, y in aligned for f in REGISTRY_FIELDS), len(aligned) * len(REGISTRY_FIELDS))


# --- disagreements, one by one --------------------------------------------------------------------------

ABSENT = "(none)"  # the value of a pass that has no record at the place
CONTEXT = 60  # characters of the line shown on each side of a span


@dataclass(frozen=True)
class Disagreement:
    """One place where two passes differ: what each pass says there, and the text it is about.

    ``record`` names what differs (line, pair, passage, quote, mention, event, entity) and ``field`` which of
    its fields: ``""`` when one pass has the record and the other has not (its value is ``(none)``), ``span``
    when the two mark overlapping but different spans. ``place`` is the name the adjudication log uses:
    ``<article_id>:<line_no>`` for a line, ``<a> / <b>`` for a pair, ``<article_id> [start, end)`` for a span
    (the first pass's where both have one) and the id of a registry entry (the first pass's). ``before``,
    ``text`` and ``after`` are the text in context: the span and the rest of its line around it.
    """

    record: str
    field: str
    place: str
    article: str
    line: int | None
    value_a: str
    value_b: str
    before: str = ""
    text: str = ""
    after: str = ""


def _span_key(record: dict[str, Any]) -> str:
    return f"{record['article_id']} [{record['start']}, {record['end']})"


def _line_of(article: Article, offset: int) -> Line:
    """The line ``offset`` falls on."""
    starts = [line.start for line in article.lines]
    return article.lines[max(bisect_right(starts, offset) - 1, 0)]


def _at_span(articles: dict[str, Article], record: dict[str, Any], kind: str, field: str, value_a: str,
             value_b: str, place: str | None = None) -> Disagreement:
    """A disagreement about a span, with the span in its line (cut to ``CONTEXT`` characters each side)."""
    article = articles[record["article_id"]]
    start, end = record["start"], record["end"]
    first, last = _line_of(article, start), _line_of(article, max(end - 1, start))
    before, after = article.text[first.start:start], article.text[end:last.end]
    return Disagreement(kind, field, place or _span_key(record), article.article_id, first.line_no, value_a, value_b,
                        ("…" + before[-CONTEXT:]) if len(before) > CONTEXT else before, article.text[start:end],
                        (after[:CONTEXT] + "…") if len(after) > CONTEXT else after)


def _shown(value: Any) -> str:
    """A field's value as the log writes it: spans as ``[start, end) 'text'``, lists comma-separated."""
    if value is None:
        return "null"
    if isinstance(value, dict) and {"start", "end", "text"} <= set(value):
        return f"[{value['start']}, {value['end']}) {value['text']!r}"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def _overlaps(x: dict[str, Any], y: dict[str, Any]) -> bool:
    return x["article_id"] == y["article_id"] and x["start"] < y["end"] and y["start"] < x["end"]


Found = list[tuple[tuple[Any, ...], Disagreement]]  # disagreements with the key that puts them in text order


def _span_differences(articles: dict[str, Article], kind: str, first: list[dict[str, Any]],
                      second: list[dict[str, Any]], fields: tuple[str, ...],
                      name: Callable[[dict[str, Any]], str]) -> Found:
    """Spans marked by one pass only, overlapping spans with other boundaries, and fields that differ.

    Same spans are compared field by field. Each span of the first pass only is paired, in text order, with the
    first unpaired overlapping span of the second: a boundary difference, whose fields are then compared too.
    A span without a partner is named by ``name`` (its event, its cluster, its type and speaker).
    """
    by_key_a = {_span_key(r): r for r in first}
    by_key_b = {_span_key(r): r for r in second}
    pairs = [(by_key_a[k], by_key_b[k]) for k in sorted(set(by_key_a) & set(by_key_b))]
    only_b = sorted((r for k, r in by_key_b.items() if k not in by_key_a), key=_text_order)
    found: Found = []
    for x in sorted((r for k, r in by_key_a.items() if k not in by_key_b), key=_text_order):
        y = next((y for y in only_b if _overlaps(x, y)), None)
        if y is None:
            found.append((_text_order(x), _at_span(articles, x, kind, "", name(x), ABSENT)))
            continue
        only_b.remove(y)
        pairs.append((x, y))
        found.append((_text_order(x), _at_span(articles, x, kind, "span", _shown(x), _shown(y))))
    found += [(_text_order(y), _at_span(articles, y, kind, "", ABSENT, name(y))) for y in only_b]
    found += [(_text_order(x), _at_span(articles, x, kind, field, _shown(x.get(field)), _shown(y.get(field))))
              for x, y in pairs for field in fields if x.get(field) != y.get(field)]
    return found


def _cluster_differences(articles: dict[str, Article], kind: str, field: str, first: list[dict[str, Any]],
                         second: list[dict[str, Any]]) -> Found:
    """Spans both passes marked whose clusters (``field``) do not correspond.

    Cluster ids are names only: the clusters of the two passes are aligned one to one by the spans they share,
    most shared first (:func:`newsgold.metrics.matching.align_clusters`, as the datasheet's registry figures and the
    report), and a span is listed when its cluster in the second pass is aligned to another cluster or none.
    """
    by_key_b = {_span_key(r): r for r in second}
    shared = [(x, by_key_b[_span_key(x)]) for x in first if _span_key(x) in by_key_b]
    b_to_a = align_clusters((x[field], y[field]) for x, y in shared)
    return [(_text_order(x), _at_span(articles, x, kind, field, x[field],
                                      f"{y[field]} (aligned with {b_to_a.get(y[field], 'none')})"))
            for x, y in shared if b_to_a.get(y[field]) != x[field]]


def _text_order(record: dict[str, Any]) -> tuple[str, int, int]:
    return record["article_id"], record["start"], record["end"]


def _in_order(found: Found) -> list[Disagreement]:
    return [item for _, item in sorted(found, key=lambda pair: (pair[0], pair[1].record, pair[1].field))]


def boilerplate_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Lines whose roles differ, and lines labelled by one pass only."""
    first = {(r["article_id"], r["line_no"]): r["role"] for r in a.records["boilerplate"]}
    second = {(r["article_id"], r["line_no"]): r["role"] for r in b.records["boilerplate"]}
    found = []
    for article_id, line_no in sorted(set(first) | set(second)):
        role_a, role_b = first.get((article_id, line_no), ABSENT), second.get((article_id, line_no), ABSENT)
        if role_a != role_b:
            line = a.articles[article_id].line(line_no)
            found.append(Disagreement("line", "role" if ABSENT not in (role_a, role_b) else "",
                                      f"{article_id}:{line_no}", article_id, line_no, role_a, role_b,
                                      text=line.text if line else ""))
    return found


def doc_pairs_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Pairs whose relations differ (or that one pass leaves out), with both passes' notes as the context."""
    first = {(r["a"], r["b"]): r for r in a.records["doc_pairs"]}
    second = {(r["a"], r["b"]): r for r in b.records["doc_pairs"]}
    found = []
    for pair in sorted(set(first) | set(second)):
        x, y = first.get(pair), second.get(pair)
        relation_a, relation_b = (r["relation"] if r else ABSENT for r in (x, y))
        if relation_a != relation_b:
            notes = "; ".join(f"{p.annotator}: {r['note']}" for p, r in ((a, x), (b, y)) if r and r.get("note"))
            found.append(Disagreement("pair", "relation" if x and y else "", " / ".join(pair), " / ".join(pair),
                                      None, relation_a, relation_b, text=notes))
    return found


def passages_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Passage members marked by one pass only or with other boundaries, and members in other clusters."""
    def members(p: Pass) -> list[dict[str, Any]]:
        return [{**m, "cluster": c["passage_cluster_id"]} for c in p.records["passages"] for m in c["members"]]

    first, second = members(a), members(b)
    return _in_order(_span_differences(a.articles, "passage", first, second, (), lambda m: m["cluster"])
                     + _cluster_differences(a.articles, "passage", "cluster", first, second))


def quotes_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Quotes of one pass only or with other boundaries; types, cues, speaker mentions, speakers, clusters."""
    first, second = a.records["quotes"], b.records["quotes"]
    found = _span_differences(a.articles, "quote", first, second, ("type", "cue", "speaker_mention", "speaker"),
                              lambda q: f"{q['type']}, speaker {q['speaker']}")
    found += _cluster_differences(a.articles, "quote", "quote_cluster", first, second)
    return _in_order(found) + entity_differences(a, b)


def events_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Mentions of one pass only or with other boundaries, mentions of other events, and registry fields."""
    first, second = a.records["event_mentions"], b.records["event_mentions"]
    found = _span_differences(a.articles, "mention", first, second, (), lambda m: m["event_id"])
    found += _cluster_differences(a.articles, "mention", "event_id", first, second)
    return _in_order(found) + event_registry_differences(a, b) + entity_differences(a, b)


def event_registry_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Registry fields that differ between events aligned through shared mentions, and events left unaligned.

    Each is shown at the event's first mention in the first pass (in the second, for an event of it alone).
    """
    both = {_text_order(m) for m in a.records["event_mentions"]} & {_text_order(m) for m in b.records["event_mentions"]}
    aligned = _aligned_events(a, b, both)

    def first_mentions(p: Pass) -> dict[str, dict[str, Any]]:
        mentions: dict[str, dict[str, Any]] = {}
        for mention in sorted(p.records["event_mentions"], key=_text_order):
            mentions.setdefault(mention["event_id"], mention)
        return mentions

    mentions_a, mentions_b = first_mentions(a), first_mentions(b)

    def at(mentions: dict[str, dict[str, Any]], event: dict[str, Any], field: str, value_a: str,
           value_b: str) -> Disagreement:
        mention = mentions.get(event["event_id"])
        if mention is None:
            return Disagreement("event", field, event["event_id"], "", None, value_a, value_b)
        return _at_span(a.articles, mention, "event", field, value_a, value_b, place=event["event_id"])

    found = [at(mentions_a, x, field, _shown(x[field]), _shown(y[field]))
             for x, y in aligned for field in REGISTRY_FIELDS if x[field] != y[field]]
    paired_a, paired_b = {x["event_id"] for x, _ in aligned}, {y["event_id"] for _, y in aligned}
    found += [at(mentions_a, x, "", f"{x['type']}: {x['description']}", ABSENT)
              for x in sorted(a.records["events"], key=lambda e: e["event_id"]) if x["event_id"] not in paired_a]
    found += [at(mentions_b, y, "", ABSENT, f"{y['type']}: {y['description']}")
              for y in sorted(b.records["events"], key=lambda e: e["event_id"]) if y["event_id"] not in paired_b]
    return found


ENTITY_FIELDS = ("name", "kind", "aliases")


def entity_differences(a: Pass, b: Pass) -> list[Disagreement]:
    """Entities of one pass's registry only, and entity fields that differ (ids name entities: no alignment).

    A pass without an ``entities.jsonl`` of its own reads the gold's, so two such passes never differ here.
    """
    first = {e["entity_id"]: e for e in a.records["entities"]}
    second = {e["entity_id"]: e for e in b.records["entities"]}
    found = []
    for entity_id in sorted(set(first) | set(second)):
        x, y = first.get(entity_id), second.get(entity_id)
        if x is None or y is None:
            found.append(Disagreement("entity", "", entity_id, "", None, _shown(x["name"]) if x else ABSENT,
                                      _shown(y["name"]) if y else ABSENT))
            continue
        found += [Disagreement("entity", field, entity_id, "", None, _shown(x.get(field)), _shown(y.get(field)))
                  for field in ENTITY_FIELDS if x.get(field) != y.get(field)]
    return found


DIFFERENCES: dict[str, Callable[[Pass, Pass], list[Disagreement]]] = {
    "boilerplate": boilerplate_differences,
    "doc_pairs": doc_pairs_differences,
    "passages": passages_differences,
    "quotes": quotes_differences,
    "events": events_differences,
}


def scored_tasks(task: str) -> list[str]:
    """The scored tasks of ``task``: itself, or every task annotated under an annotation task of that name."""
    if task in TASKS:
        return [task]
    found = [name for name, spec in TASKS.items() if spec.annotation_task == task]
    if not found:
        raise ValueError(f"unknown task {task!r}")
    return found


def disagreements(task: str, a: Pass, b: Pass) -> list[Disagreement]:
    """Every place the two passes differ in ``task`` (a scored task, or an annotation task: all its tasks)."""
    return [item for name in scored_tasks(task) for item in DIFFERENCES[name](a, b)]


def figures(task: str, a: Pass, b: Pass) -> list[tuple[str, list[dict[str, Any]]]]:
    """The agreement tables of DATASHEET.md for ``task``: (title, rows) per section."""
    names = scored_tasks(task)
    return [(title, rows_of(a, b)) for name, title, rows_of in SECTIONS if name in names]


def _number(value: Any) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_number(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines)


SECTIONS: list[tuple[str, str, Callable[[Pass, Pass], list[dict[str, Any]]]]] = [
    ("boilerplate", "Boilerplate lines (Cohen's kappa; role = the full label)", boilerplate_rows),
    ("doc_pairs", "Document pairs (relation)", doc_pairs_rows),
    ("passages", "Passages (the second pass scored as a system against the first: pairwise links, B-cubed)",
     passages_rows),
    ("quotes", "Quotes (span F1 strict and partial, per type; speaker accuracy and cue agreement on matched quotes)",
     quotes_rows),
    ("events", "Event mentions (span F1), coreference on the mentions both passes found, and equal registry "
     "fields (type, date, place, participants) of the events aligned through those mentions", events_rows),
]  # by scored task, in the datasheet's order


def agreement_markdown(root: Path) -> str:
    """The agreement section of DATASHEET.md, computed from the passes under ``root``."""
    articles = load_corpus(root / RAW_DIR)
    parts = []
    cache: dict[str, list[Pass]] = {}
    for task, title, rows_of in SECTIONS:
        annotation_task = TASKS[task].annotation_task
        passes = cache.setdefault(annotation_task, read_passes(root, annotation_task, articles))
        if len(passes) < 2:
            parts.append(f"**{title}**: fewer than two passes.")
            continue
        first, second = passes[:2]
        parts.append(f"**{title}** — passes `{first.annotator}` and `{second.annotator}`\n\n"
                     + table(rows_of(first, second)))
    return "\n\n".join(parts)


__all__ = ["Disagreement", "agreement_markdown", "boilerplate_rows", "disagreements", "doc_pairs_rows", "events_rows",
           "figures", "kappa", "passages_rows", "quotes_rows", "read_passes", "scored_tasks"]
