"""Inter-annotator agreement between the independent passes in ``annotation/passes/<task>/<annotator>/``.

Each function takes two passes (records as read from their folders) and returns rows for the agreement table
of DATASHEET.md; :func:`agreement_markdown` renders every task. The figures are computed, never typed:
the datasheet check regenerates them and fails when the published table differs.

- boilerplate: Cohen's kappa on the binary content/boilerplate decision and on the full role label,
  per article and overall, over the lines both passes labelled.
- doc_pairs: observed agreement and Cohen's kappa on the relation.
- passages, quotes, events: the second pass scored against the first with the dataset's own scorers
  (symmetric for F1), so agreement and system scores are computed by the same code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from .corpus import Article, load_corpus
from .dataset import Release
from .matching import align_clusters
from .records import CONTENT_ROLES
from .release import RAW_DIR, read_gold

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
    from .scoring import score  # the scorers import the dataset stack; only agreement on spans needs them

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


def _span_key(record: dict[str, Any]) -> str:
    return f"{record['article_id']} [{record['start']}, {record['end']})"


def _differences(first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]],
                 fields: tuple[str, ...]) -> list[str]:
    keys = set(first) ^ set(second)
    keys |= {k for k in set(first) & set(second) if any(first[k].get(f) != second[k].get(f) for f in fields)}
    return sorted(keys)


def disagreements(annotation_task: str, a: Pass, b: Pass) -> list[str]:
    """Every place the two passes differ, named as the adjudication log names it.

    Lines as ``<article_id>:<line_no>``, pairs as ``<a> / <b>``, spans as ``<article_id> [start, end)`` and
    registry differences by the event id of the first pass. Cluster ids are names only: a clustering
    difference is one on the shared spans' partition, listed by span.
    """
    if annotation_task == "boilerplate":
        return _differences({f"{r['article_id']}:{r['line_no']}": r for r in a.records["boilerplate"]},
                            {f"{r['article_id']}:{r['line_no']}": r for r in b.records["boilerplate"]}, ("role",))
    if annotation_task == "duplicates":
        pairs = _differences({f"{r['a']} / {r['b']}": r for r in a.records["doc_pairs"]},
                             {f"{r['a']} / {r['b']}": r for r in b.records["doc_pairs"]}, ("relation",))
        return pairs + _partition_differences(
            {_span_key(m): c["passage_cluster_id"] for c in a.records["passages"] for m in c["members"]},
            {_span_key(m): c["passage_cluster_id"] for c in b.records["passages"] for m in c["members"]})
    if annotation_task == "quotes":
        quotes_a = {_span_key(q): q for q in a.records["quotes"]}
        quotes_b = {_span_key(q): q for q in b.records["quotes"]}
        return sorted(set(_differences(quotes_a, quotes_b, ("type", "cue", "speaker_mention", "speaker"))) | set(
            _partition_differences({k: q["quote_cluster"] for k, q in quotes_a.items()},
                                   {k: q["quote_cluster"] for k, q in quotes_b.items()})))
    if annotation_task == "events":
        first = {_span_key(m): m["event_id"] for m in a.records["event_mentions"]}
        second = {_span_key(m): m["event_id"] for m in b.records["event_mentions"]}
        both = {(m["article_id"], m["start"], m["end"]) for m in a.records["event_mentions"]} & {
            (m["article_id"], m["start"], m["end"]) for m in b.records["event_mentions"]}
        return _partition_differences(first, second) + _registry_differences(a, b, both)
    raise ValueError(f"unknown annotation task {annotation_task!r}")


def _partition_differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    """Spans in one pass only, and shared spans whose cluster holds other shared spans in the two passes."""
    shared = set(first) & set(second)
    members_a: dict[str, set[str]] = {}
    members_b: dict[str, set[str]] = {}
    for key in shared:
        members_a.setdefault(first[key], set()).add(key)
        members_b.setdefault(second[key], set()).add(key)
    moved = {key for key in shared if members_a[first[key]] != members_b[second[key]]}
    return sorted((set(first) ^ set(second)) | moved)


def _registry_differences(a: Pass, b: Pass, both: set[tuple[str, int, int]]) -> list[str]:
    return [x["event_id"] for x, y in _aligned_events(a, b, both) if any(x[f] != y[f] for f in REGISTRY_FIELDS)]


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
    ("duplicates", "Document pairs (relation)", doc_pairs_rows),
    ("duplicates", "Passages (the second pass scored as a system against the first: pairwise links, B-cubed)",
     passages_rows),
    ("quotes", "Quotes (span F1 strict and partial, per type; speaker accuracy and cue agreement on matched quotes)",
     quotes_rows),
    ("events", "Event mentions (span F1), coreference on the mentions both passes found, and equal registry "
     "fields (type, date, place, participants) of the events aligned through those mentions", events_rows),
]


def agreement_markdown(root: Path) -> str:
    """The agreement section of DATASHEET.md, computed from the passes under ``root``."""
    articles = load_corpus(root / RAW_DIR)
    parts = []
    cache: dict[str, list[Pass]] = {}
    for annotation_task, title, rows_of in SECTIONS:
        passes = cache.setdefault(annotation_task, read_passes(root, annotation_task, articles))
        if len(passes) < 2:
            parts.append(f"**{title}**: fewer than two passes.")
            continue
        first, second = passes[:2]
        parts.append(f"**{title}** — passes `{first.annotator}` and `{second.annotator}`\n\n"
                     + table(rows_of(first, second)))
    return "\n\n".join(parts)


__all__ = ["agreement_markdown", "boilerplate_rows", "disagreements", "doc_pairs_rows", "events_rows", "kappa",
           "passages_rows", "quotes_rows", "read_passes"]
