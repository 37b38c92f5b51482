"""The leaderboard: scored systems as one table per prediction format and split, in Markdown and in JSON.

It only arranges what the scorers report (:func:`newsgold.scoring.score` with a bootstrap): which metrics are
columns, how rows are ordered, which rows are ranked, how a value and its 95% interval are printed. It computes
no metric.

Every table has two parts. The ranked rows are the systems that read the raw text and public resources fixed
in advance (``inputs`` ``text``), floors and supervised systems included, each marked. Systems that read any
gold (``inputs`` ``oracle``) are listed under them, unranked: a diagnostic upper reference, never a rival.

Both files say which release they scored (version and manifest hash) and how the intervals were drawn, and
both are byte-for-byte deterministic for the same predictions, release and scorers, so that a changed number
shows as a changed line in review. The JSON keeps every full report and what each system reads, so that the
board can be rebuilt from it (:func:`entries_of`) when a submission is added.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..scoring.core import Report

MARKDOWN = "LEADERBOARD.md"
JSON = "leaderboard.json"
BOOTSTRAP = 1000  # the board's bootstrap resamples for the 95% intervals
SEED = 0

TEXT, ORACLE = "text", "oracle"
REAL, SYNTHETIC = "real", "synthetic"

# The columns of each prediction format, the first being the one rows are ranked by. Every path is a headline
# metric of that scorer (see newsgold.scoring.SCORERS); the JSON keeps each full report besides.
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
# The tables in the order shown: (prediction format, split). The synthetic split has gold for two formats only.
TABLES: tuple[tuple[str, str], ...] = (
    ("boilerplate", REAL), ("boilerplate", SYNTHETIC), ("boilerplate_text", REAL), ("doc_pairs", REAL),
    ("doc_pairs", SYNTHETIC), ("passages", REAL), ("quotes", REAL), ("events", REAL),
)
RULE = (
    "**The rule.** A reference system reads the raw article text and public resources fixed in advance. It never "
    "reads the gold, the entity or event registries, the guidelines' examples, or constants chosen from the test "
    "sentences. Each row says what the system reads, and the table of systems what it was developed on. A system "
    "that reads any gold is an **oracle**: it is listed under the ranked rows of its table as a diagnostic upper "
    "reference, never ranked with them. A *supervised* system learns from gold labels of other articles only (it is "
    "scored by leave-one-article-out cross-validation) and says so in its row. *Floors* (systems that read nothing "
    "or draw at random) are ranked with the rest, so that every number has a scale. "
    "[docs/baselines.md](docs/baselines.md) has the rule in full and how to add a system."
)


def table_key(name: str, split: str) -> str:
    """``doc_pairs`` for the real split, ``doc_pairs_synthetic`` (the config's name) for the synthetic one."""
    return name if split == REAL else f"{name}_{split}"


@dataclass(frozen=True)
class Entry:
    """One scored prediction file: the system, what it reads, the scorer that read it, where it is, the report."""

    system: str
    name: str  # the scorer (prediction format)
    predictions: str  # path relative to the leaderboard's folder, with forward slashes
    report: Report
    description: str = ""
    library: str | None = None  # "trafilatura 2.2.0": the distribution and version that made the predictions
    split: str = REAL  # REAL or SYNTHETIC: which gold it was scored against
    inputs: str = TEXT  # TEXT or ORACLE
    reads: str = ""  # what the system reads, in a few words
    developed_on: str = ""  # what its rules, thresholds or training data came from
    floor: bool = False  # reads nothing or draws at random: the scale, not a contender
    supervised: bool = False  # learns from gold labels of other articles
    url: str | None = None  # a submission's home


def _value(report: Report, path: str) -> float | None:
    from ..scoring.core import lookup  # the scorers' stack, only once there is a report to read

    try:
        value = lookup(report, path)
    except KeyError:
        return None
    return None if value is None else float(value)


def _score(entry: Entry) -> float:
    """The value a row is ranked by (higher is better); an undefined value ranks last."""
    value = _value(entry.report, COLUMNS[entry.name][0])
    return value if value is not None else float("-inf")


def _ranks(ranked: list[Entry]) -> list[int]:
    """Competition ranks ("1, 1, 3"): rows with equal values share a rank, so that no name wins a tie."""
    return [1 + sum(_score(other) > _score(entry) for other in ranked) for entry in ranked]


def _row(entry: Entry) -> dict[str, Any]:
    from ..scoring.core import interval_of

    columns = COLUMNS[entry.name]
    return {"system": entry.system, "predictions": entry.predictions, "inputs": entry.inputs, "reads": entry.reads,
            "floor": entry.floor, "supervised": entry.supervised,
            "metrics": {path: {"value": _value(entry.report, path), "ci": interval_of(entry.report, path)}
                        for path in columns},
            "report": entry.report}


def document(entries: Sequence[Entry], *, bootstrap: int, seed: int) -> dict[str, Any]:
    """The leaderboard as a JSON-ready dict: dataset, bootstrap, the rule, systems and, per table, rows.

    ``systems`` keeps the order of ``entries``; in each table the text systems are ranked (``rows``) and the
    oracles listed apart (``oracle``), both best first.
    """
    if not entries:
        raise ValueError("no scored predictions")
    first = entries[0].report
    tables: dict[str, Any] = {}
    for name, split in TABLES:
        # Best first; ties keep the order of ``entries`` (reference systems, then submissions), never reshuffled.
        found = sorted((e for e in entries if (e.name, e.split) == (name, split)), key=lambda e: -_score(e))
        if not found:
            continue
        ranked = [e for e in found if e.inputs != ORACLE]
        tables[table_key(name, split)] = {
            "format": name,
            "split": split,
            "columns": list(COLUMNS[name]),
            "rows": [{"rank": rank, **_row(e)} for rank, e in zip(_ranks(ranked), ranked, strict=True)],
            "oracle": [_row(e) for e in found if e.inputs == ORACLE],
        }
    systems: dict[str, dict[str, Any]] = {}
    for e in entries:
        info = systems.setdefault(e.system, {"system": e.system, "inputs": e.inputs, "reads": e.reads,
                                             "developed_on": e.developed_on, "library": e.library, "url": e.url,
                                             "floor": e.floor, "supervised": e.supervised, "files": []})
        info["files"].append({"file": f"{e.name}.jsonl", "split": e.split, "predictions": e.predictions,
                              "description": e.description})
    return {
        "dataset": {"name": "newsgold", **first["dataset"]},
        "bootstrap": {"replicates": bootstrap, "seed": seed, "unit": bootstrap_units(), "confidence": 0.95},
        "rule": RULE,
        "systems": list(systems.values()),
        "tables": tables,
    }


def bootstrap_units() -> dict[str, dict[str, str]]:
    """The unit the bootstrap resamples for each section of each format's columns (the scorers' rule)."""
    from ..scoring import scorer
    from ..scoring.core import units

    return {name: units(scorer(name), columns) for name, columns in COLUMNS.items()}


def entries_of(board: dict[str, Any]) -> list[Entry]:
    """The entries a board was made from, in the order of its systems and their files (the inverse of
    :func:`document`): ``document(entries_of(board), ...)`` is ``board``."""
    rows = {row["predictions"]: (table["format"], table["split"], row)
            for table in board["tables"].values() for row in (*table["rows"], *table["oracle"])}
    out = []
    for info in board["systems"]:
        for file in info["files"]:
            name, split, row = rows[file["predictions"]]
            out.append(Entry(info["system"], name, file["predictions"], row["report"], file["description"],
                             info["library"], split, info["inputs"], info["reads"], info["developed_on"],
                             info["floor"], info["supervised"], info["url"]))
    return out


def to_json(board: dict[str, Any]) -> str:
    return json.dumps(board, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


NO_INTERVAL = "†"  # no replicate defines the metric (or the report gives no reason)
ONE_STORY = "‡"  # a metric of clusters on one article cluster: nothing to resample


def _no_interval_mark(report: Report, path: str) -> str:
    from ..scoring.core import ONE_CLUSTER, lookup

    try:
        reason = lookup(report, f"undefined.ci.{path}")
    except KeyError:
        return NO_INTERVAL
    return ONE_STORY if reason == ONE_CLUSTER else NO_INTERVAL


def _cell(metric: dict[str, Any], report: Report, path: str) -> str:
    value, ci = metric["value"], metric["ci"]
    if value is None:
        return "—"
    return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f} {_no_interval_mark(report, path)}"


def _system_cell(row: dict[str, Any]) -> str:
    link = f"[{row['system']}]({row['predictions']})"
    return f"*{link}* (floor)" if row["floor"] else link


def _title(name: str, split: str) -> str:
    return TITLES[name] if split == REAL else f"{TITLES[name]}, synthetic split (`{table_key(name, split)}`)"


def _relation_counts(table: dict[str, Any]) -> list[tuple[str, int]]:
    """The gold relations of the pairs and how many of each, from a report's confusion matrix (rows: gold)."""
    confusion = (table["rows"] or table["oracle"])[0]["report"].get("relations", {}).get("confusion")
    if not confusion:
        return []
    counts = [(label, sum(row)) for label, row in zip(confusion["gold"], confusion["matrix"], strict=True)]
    return sorted(((label, n) for label, n in counts if n), key=lambda item: (-item[1], item[0]))


def _notes(table: dict[str, Any], hidden: list[str], shown: list[str]) -> list[str]:
    notes = []
    if (table["format"], table["split"]) == ("doc_pairs", REAL):
        counts = _relation_counts(table)
        total = sum(n for _, n in counts)
        if counts and counts[0][1] * 4 >= total * 3:
            listed = " and ".join(f"{n} `{label}`" for label, n in counts)
            notes.append(f"This table cannot separate systems: its {total} gold pairs are {listed}, so predicting "
                         f"`{counts[0][0]}` for every pair already scores `relations.accuracy` "
                         f"{counts[0][1] / total:.3f}; `{table_key('doc_pairs', SYNTHETIC)}` ranks them.")
    first = table["columns"][0]
    floors = [row for row in table["rows"] if row["floor"] and row["metrics"][first]["value"] is not None]
    if floors:
        best_floor, level = floors[0], floors[0]["metrics"][first]["value"]
        below = [row["system"] for row in table["rows"] if not row["floor"]
                 and (row["metrics"][first]["value"] is None or row["metrics"][first]["value"] < level)]
        if below:
            notes.append(f"Ranked below the floor `{best_floor['system']}`: " + ", ".join(f"`{s}`" for s in below)
                         + ".")
    rows = table["rows"] + table["oracle"]
    marks = {_no_interval_mark(row["report"], c) for row in rows for c in shown
             if row["metrics"][c]["ci"] is None and row["metrics"][c]["value"] is not None}
    if NO_INTERVAL in marks:
        notes.append(f"{NO_INTERVAL} No interval: the metric has a zero denominator in every resample (for example no "
                     "gold or no predicted positive); the value shown is the scorers' 0 for that case.")
    if ONE_STORY in marks:
        notes.append(f"{ONE_STORY} No interval: these articles are one story (one article cluster). A metric of "
                     "clusters is resampled by story, each drawn copy with clusters of its own, since a copy of an "
                     "article alone would be linked to itself or cut from its story; one story leaves nothing to "
                     "resample ([docs/metrics.md](docs/metrics.md#confidence-intervals-and-comparisons)).")
    if hidden:
        notes.append("Not shown, undefined on this release for every system: "
                     + ", ".join(f"`{c}`" for c in hidden) + ".")
    return notes


def _table_lines(table: dict[str, Any]) -> list[str]:
    columns = shown_columns(table)
    metrics = " | ".join(f"`{c}`" for c in columns)
    out = []
    if table["rows"]:
        out += [f"| # | system | reads | {metrics} |", "|---:|---|---|" + "---:|" * len(columns)]
        out += [f"| {row['rank']} | {_system_cell(row)} | {row['reads']} | "
                + " | ".join(_cell(row["metrics"][c], row["report"], c) for c in columns) + " |"
                for row in table["rows"]]
    if table["oracle"]:
        out += ["", "Oracle, not ranked (reads gold):", "", f"| system | reads | {metrics} |",
                "|---|---|" + "---:|" * len(columns)]
        out += [f"| [{row['system']}]({row['predictions']}) | {row['reads']} | "
                + " | ".join(_cell(row["metrics"][c], row["report"], c) for c in columns) + " |"
                for row in table["oracle"]]
    return out


def shown_columns(table: dict[str, Any]) -> list[str]:
    """The columns of a table defined for at least one of its systems (the others are named in a note)."""
    rows = table["rows"] + table["oracle"]
    return [c for c in table["columns"] if any(row["metrics"][c]["value"] is not None for row in rows)]


def _clustered(bootstrap: dict[str, Any]) -> str:
    """The sections resampled by article cluster, as ```coref.*```, ..., from the board's units."""
    from ..scoring.core import ARTICLE_CLUSTER

    sections = dict.fromkeys(section for by_section in bootstrap["unit"].values()
                             for section, unit in by_section.items() if unit == ARTICLE_CLUSTER)
    return ", ".join(f"`{section}.*`" for section in sections)


def to_markdown(board: dict[str, Any]) -> str:
    """The leaderboard as Markdown: the rule, one table per format and split, then the systems."""
    dataset, bootstrap = board["dataset"], board["bootstrap"]
    out = [
        "# Leaderboard",
        "",
        f"Reference systems scored on newsgold {dataset['version']} (release manifest sha256 "
        f"`{dataset['manifest_sha256']}`), on its real articles and on its synthetic split (`articles_synthetic`, "
        "derived from the gold by recorded operations; see the dataset card). Each cell is the metric and its 95% "
        f"confidence interval from {bootstrap['replicates']} bootstrap resamples (seed {bootstrap['seed']}) of the "
        f"articles, and of the stories (article clusters) for the metrics of clusters ({_clustered(bootstrap)}), "
        "each drawn copy of a story with clusters of its own; ranked rows are ordered by the first column. Metric "
        "names are the scorers' report paths (`newsgold score`).",
        "",
        board["rule"],
        "",
        "Generated by `newsgold baselines`; do not edit by hand. The machine-readable form, with every full "
        "report, is [leaderboard.json](leaderboard.json).",
    ]
    for table in board["tables"].values():
        shown = shown_columns(table)
        hidden = [c for c in table["columns"] if c not in shown]
        out += ["", f"## {_title(table['format'], table['split'])}", "", *_table_lines(table)]
        for note in _notes(table, hidden, shown):
            out += ["", note]
    out += ["", "## Systems", "", "| system | inputs | reads | developed on | library |", "|---|---|---|---|---|"]
    for info in board["systems"]:
        library = info["library"] or "—"
        if info["url"]:
            library = f"[{library}]({info['url']})"
        out.append(f"| {info['system']} | {info['inputs']} | {info['reads']} | {info['developed_on']} | {library} |")
    out += ["", "| system | file | split | what it does |", "|---|---|---|---|"]
    for info in board["systems"]:
        for file in info["files"]:
            out.append(f"| {info['system']} | `{file['file']}` | {file['split']} | {file['description']} |")
    out += ["", "Reproduce with `newsgold baselines` (writes `baselines/predictions/<system>/<file>.jsonl`, "
            "`baselines/predictions/<system>/synthetic/<file>.jsonl`, this file and `leaderboard.json`); check that "
            "nothing moved with `newsgold baselines --check`. Put an outside system on the board with "
            "`newsgold leaderboard add` ([docs/ci.md](docs/ci.md)).", ""]
    return "\n".join(out)
