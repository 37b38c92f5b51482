"""Reports as text: the summary ``newsgold score`` and ``newsgold compare`` print, the Markdown table of
``--markdown``, and the metric paths that ``--fail-under`` names."""

from __future__ import annotations

from typing import Any

from ..errors import COMMAND_LINE, InputError, Problem
from . import ALL, SCORERS, scorer
from .align import KINDS
from .core import Report, interval_of, lookup


def _reports(report: Report) -> list[Report]:
    return [report[name] for name in SCORERS if name in report] if report["task"] == ALL else [report]


def _headline_paths(report: Report) -> list[str]:
    if report["task"] == ALL:
        return [f"{r['task']}.{path}" for r in _reports(report) for path in _headline_paths(r)]
    return [path for path in scorer(report["task"]).headline if _has(report, path)]


def _reason(report: Report, path: str) -> str:
    """Why the metric at ``path`` is null (``undefined.<path>``; in `score all`, under the task's report)."""
    task, _, rest = path.partition(".")
    for one, inner in ((report, path), (report.get(task, {}), rest)):
        try:
            return str(lookup(one, f"undefined.{inner}"))
        except KeyError:
            continue
    return "undefined for these predictions"


def _has(report: Report, path: str) -> bool:
    try:
        lookup(report, path)
    except KeyError:
        return False
    return True


def _format(value: Any) -> str:
    return "—" if value is None else f"{value:.4f}"


def summary(report: Report) -> str:
    lines = []
    for one in _reports(report):
        dataset = one["dataset"]
        counts = ", ".join(f"{value} {name}" for name, value in one["counts"].items() if isinstance(value, int))
        lines.append(f"{one['task']}: newsgold {dataset['version']} (manifest {dataset['manifest_sha256'][:12]}); "
                     f"{counts}")
        lines += _alignment_lines(one.get("alignment"))
        undefined: dict[str, list[str]] = {}  # reason -> the metrics it leaves undefined, in order
        for path in _headline_paths(one):
            value = lookup(one, path)
            lines.append(f"  {path:32} {_format(value)}" + _interval_text(one, path, "  "))
            if value is None:
                undefined.setdefault(_reason(one, path), []).append(path)
        # Why each "—": every reason once, after the metrics it explains.
        lines += [f"  — {', '.join(paths)}: {reason}" for reason, paths in undefined.items()]
    return "\n".join(lines) + "\n"


def _interval_text(report: Report, path: str, before: str) -> str:
    """``[low, high]``, or why a bootstrapped metric has no interval; nothing without a bootstrap."""
    ci = interval_of(report, path)
    if ci:
        return f"{before}[{_format(ci[0])}, {_format(ci[1])}]"
    if lookup(report, path) is None or "bootstrap" not in report:
        return ""
    try:
        return f"{before}no interval: {lookup(report, f'undefined.ci.{path}')}"
    except KeyError:
        return ""


SHOWN_UNALIGNED = 10  # unaligned records named in the text summary (the JSON report lists them all)


def _alignment_counts(section: dict[str, Any]) -> str:
    return ", ".join(f"{section[kind]} {kind}" for kind in KINDS)


def _alignment_lines(section: dict[str, Any] | None, label: str = "alignment") -> list[str]:
    """How a text-anchored file was placed (its report's ``alignment`` section), and its first unaligned records
    (scored as spurious)."""
    if section is None:
        return []
    lines = [f"  {label}: {_alignment_counts(section)}"]
    unaligned = section.get("unaligned_records", [])
    for item in unaligned[:SHOWN_UNALIGNED]:
        text = item["text"] if len(item["text"]) <= 60 else item["text"][:59] + "…"
        lines.append(f"    unaligned, line {item['line']} ({item['field']}): {text!r}: {item['reason']}")
    if len(unaligned) > SHOWN_UNALIGNED:
        lines.append(f"    ... and {len(unaligned) - SHOWN_UNALIGNED} more (all in the JSON report)")
    return lines


def markdown(report: Report) -> str:
    """The headline metrics of a report as Markdown tables (with intervals when bootstrapped)."""
    out = []
    for one in _reports(report):
        dataset = one["dataset"]
        out += [f"### {one['task']}", "",
                f"newsgold {dataset['version']}, manifest `{dataset['manifest_sha256'][:12]}`", ""]
        if "alignment" in one:
            out += [f"Spans given as text, aligned: {_alignment_counts(one['alignment'])}.", ""]
        out += ["| metric | value | 95% CI |", "|---|---:|---|"]
        for path in _headline_paths(one):
            out.append(f"| `{path}` | {_format(lookup(one, path))} | {_interval_text(one, path, '')} |")
        out.append("")
    return "\n".join(out)


def compare_summary(report: Report) -> str:
    systems = report["systems"]
    lines = [f"{report['task']}: A = {systems['a']}, B = {systems['b']}; "
             f"{report['bootstrap']['replicates']} paired replicates over {report['counts']['articles']} articles "
             f"in {report['counts']['article_clusters']} article cluster"
             + ("" if report["counts"]["article_clusters"] == 1 else "s")]
    for side in ("a", "b"):
        lines += _alignment_lines(report.get("alignment", {}).get(side), f"alignment of {side.upper()}")
    lines.append(f"  {'metric':32} {'A':>8} {'B':>8} {'A - B':>8}  95% CI of A - B      p")
    for path in scorer(report["task"]).headline:
        try:
            row = lookup(report["compare"], path)
        except KeyError:
            continue
        ci = row["ci"]
        interval = f"[{_format(ci[0])}, {_format(ci[1])}]" if ci else "—"
        lines.append(f"  {path:32} {_format(row['a']):>8} {_format(row['b']):>8} {row['difference']:+8.4f}  "
                     f"{interval:20} {_format(row['p_value'])}")
    return "\n".join(lines) + "\n"


def threshold_values(report: Report, thresholds: list[tuple[str, float]]) -> list[float]:
    """The value of each ``--fail-under`` metric; InputError naming each path that is no metric or is undefined."""
    values, problems = [], []
    for path, _ in thresholds:
        try:
            value = lookup(report, path)
        except KeyError:
            value = None
        if value is None and _has(report, path):
            problems.append(Problem(COMMAND_LINE, 0, "--fail-under", f"{path} is undefined: {_reason(report, path)}"))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            known = ", ".join(_headline_paths(report)[:8])
            problems.append(Problem(COMMAND_LINE, 0, "--fail-under", f"no metric {path!r} in the {report['task']} "
                                                                     f"report (for example: {known})"))
        else:
            values.append(float(value))
    if problems:
        raise InputError(problems)
    return values
