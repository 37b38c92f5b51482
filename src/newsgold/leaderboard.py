"""The leaderboard: scored systems as one table per prediction format, in Markdown and in JSON.

It only arranges what the scorers report (:func:`newsgold.scoring.score` with a bootstrap): which metrics are
columns, how rows are ordered, how a value and its 95% interval are printed. It computes no metric.

Both files say which release they scored (version and manifest hash) and how the intervals were drawn, and
both are byte-for-byte deterministic for the same predictions, release and scorers, so that a changed number
shows as a changed line in review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .scoring.core import Report, lookup

MARKDOWN = "LEADERBOARD.md"
JSON = "leaderboard.json"

# The columns of each table, the first being the one rows are ranked by. Every path is a headline metric
# of that scorer (see newsgold.scoring.SCORERS); the JSON keeps each full report besides.
COLUMNS: dict[str, tuple[str, ...]] = {
    "boilerplate": ("lines.f1", "lines.precision", "lines.recall", "lines.accuracy", "lines.kappa"),
    "boilerplate_text": ("tokens.f1", "tokens.precision", "tokens.recall"),
    "doc_pairs": ("relations.macro_f1", "relations.accuracy", "duplicate.f1", "scores.roc_auc", "scores.spearman"),
    "passages": ("links.f1", "links.precision", "links.recall", "b3.f1"),
    "quotes": ("end_to_end.f1", "spans.strict.f1", "spans.partial.f1", "speaker.accuracy"),
    "events": ("coref.conll_f1", "spans.strict.f1", "spans.partial.f1", "coref_end_to_end.conll_f1"),
}
TITLES: dict[str, str] = {
    "boilerplate": "Boilerplate: labelled lines (`boilerplate.jsonl`)",
    "boilerplate_text": "Boilerplate: extracted main text (`boilerplate_text.jsonl`)",
    "doc_pairs": "Duplicates: document pairs (`doc_pairs.jsonl`)",
    "passages": "Duplicates: copied passages (`passages.jsonl`)",
    "quotes": "Quotes (`quotes.jsonl`)",
    "events": "Events: mentions and cross-document coreference (`events.jsonl`)",
}


@dataclass(frozen=True)
class Entry:
    """One scored prediction file: the system, the scorer that read it, where it is, and the report."""

    system: str
    name: str
    predictions: str  # path relative to the leaderboard's folder, with forward slashes
    report: Report
    description: str = ""
    library: str | None = None  # "trafilatura 2.2.0": the distribution and version that made the predictions


def _value(report: Report, path: str) -> float | None:
    try:
        value = lookup(report, path)
    except KeyError:
        return None
    return None if value is None else float(value)


def _interval(report: Report, path: str) -> list[float] | None:
    try:
        found: list[float] | None = lookup(report, f"ci.{path}")
    except KeyError:
        return None
    return found


def _rank_key(entry: Entry) -> tuple[float, str]:
    # Best first; an undefined value ranks last; ties in system order, so that the table never reshuffles.
    value = _value(entry.report, COLUMNS[entry.name][0])
    return (-(value if value is not None else float("-inf")), entry.system)


def document(entries: Sequence[Entry], *, bootstrap: int, seed: int) -> dict[str, Any]:
    """The leaderboard as a JSON-ready dict: dataset, bootstrap, systems and, per scorer, ranked rows.

    ``systems`` keeps the order of ``entries``; the rows of each table are ranked.
    """
    if not entries:
        raise ValueError("no scored predictions")
    first = entries[0].report
    tables: dict[str, Any] = {}
    for name in COLUMNS:
        rows = sorted((e for e in entries if e.name == name), key=_rank_key)
        if not rows:
            continue
        tables[name] = {
            "columns": list(COLUMNS[name]),
            "rows": [{"system": e.system, "predictions": e.predictions,
                      "metrics": {path: {"value": _value(e.report, path), "ci": _interval(e.report, path)}
                                  for path in COLUMNS[name]},
                      "report": e.report} for e in rows],
        }
    return {
        "dataset": {"name": "newsgold", **first["dataset"]},
        "bootstrap": {"replicates": bootstrap, "seed": seed, "unit": "article", "confidence": 0.95},
        "systems": [{"system": e.system, "file": f"{e.name}.jsonl", "library": e.library, "description": e.description}
                    for e in entries],
        "tables": tables,
    }


def to_json(board: dict[str, Any]) -> str:
    return json.dumps(board, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


NO_INTERVAL = "†"


def _cell(metric: dict[str, Any]) -> str:
    value, ci = metric["value"], metric["ci"]
    if value is None:
        return "—"
    return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f} {NO_INTERVAL}"


def to_markdown(board: dict[str, Any]) -> str:
    """The leaderboard as Markdown: one ranked table per scorer, then the systems and how to reproduce."""
    dataset, bootstrap = board["dataset"], board["bootstrap"]
    out = [
        "# Leaderboard",
        "",
        f"Reference systems scored on newsgold {dataset['version']} (release manifest sha256 "
        f"`{dataset['manifest_sha256']}`). Each cell is the metric and its 95% confidence interval from "
        f"{bootstrap['replicates']} bootstrap resamples of the articles (seed {bootstrap['seed']}); rows are "
        "ranked by the first column. Metric names are the scorers' report paths (`newsgold score`).",
        "",
        "Generated by `newsgold baselines`; do not edit by hand. The machine-readable form, with every full "
        "report, is [leaderboard.json](leaderboard.json).",
    ]
    for name, table in board["tables"].items():
        columns = [c for c in table["columns"] if any(row["metrics"][c]["value"] is not None for row in table["rows"])]
        hidden = [c for c in table["columns"] if c not in columns]
        out += ["", f"## {TITLES[name]}", "", "| system | " + " | ".join(f"`{c}`" for c in columns) + " |",
                "|---|" + "---:|" * len(columns)]
        for row in table["rows"]:
            link = f"[{row['system']}]({row['predictions']})"
            out.append(f"| {link} | " + " | ".join(_cell(row["metrics"][c]) for c in columns) + " |")
        notes = []
        if any(row["metrics"][c]["ci"] is None and row["metrics"][c]["value"] is not None
               for row in table["rows"] for c in columns):
            notes.append(f"{NO_INTERVAL} No interval: the metric has a zero denominator in every resample (for "
                         "example the system predicted no positive); the value shown is the scorers' 0 for that case.")
        if hidden:
            notes.append("Not shown, undefined on this release for every system: "
                         + ", ".join(f"`{c}`" for c in hidden) + ".")
        for note in notes:
            out += ["", note]
    out += ["", "## Systems", "", "| system | file | library | what it does |", "|---|---|---|---|"]
    for info in board["systems"]:
        out.append(f"| {info['system']} | `{info['file']}` | {info['library'] or '—'} | {info['description']} |")
    out += ["", "Reproduce with `newsgold baselines` (writes `baselines/predictions/<system>/<file>.jsonl`, "
            "this file and `leaderboard.json`); check that nothing moved with `newsgold baselines --check`.", ""]
    return "\n".join(out)
