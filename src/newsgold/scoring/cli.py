"""``newsgold score``, ``newsgold compare`` and ``newsgold align``.

Exit status: 0 when scored, 1 when a ``--fail-under`` threshold is not met (each one named on stderr), 2 for
bad input (a prediction problem, a missing file, a bad option, an unknown or undefined metric path, or an
output path that cannot be written), with every problem as one line ``path:line: field: message`` and no score
printed. Output paths are checked before anything is scored.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import COMMAND_LINE, InputError, Problem, raise_if
from ..jsonl import write_jsonl
from ..paths import writable_output
from ..tasks import TEXT_ANCHORED
from . import ALL, SCORERS, aligned, compare, load_gold, score

if TYPE_CHECKING:
    from .core import Report

EXIT_BELOW = 1


def register(subparsers: Any) -> None:
    from ..helptext import add_command

    p = add_command(subparsers, "score", help="score a system's predictions against the gold",
                    description="Score predictions (JSON Lines, one record per line, in the formats of "
                                "schema/predictions/) against the gold. Every problem of a prediction file is one "
                                "line path:line: field: message, and nothing is scored until there is none.",
                    example="newsgold score quotes --pred baselines/predictions/quote-rules/quotes.jsonl "
                            "--fail-under end_to_end.f1=0.5",
                    exit_statuses=True)
    p.add_argument("task", choices=[*SCORERS, ALL], help="the prediction format to score, or all files of --pred-dir")
    p.add_argument("--pred", help="the prediction file (<task>.jsonl)")
    p.add_argument("--pred-dir", help="with all: a folder of <task>.jsonl files; each one present is scored")
    _gold_and_options(p)
    p.add_argument("--bootstrap", type=int, default=0, metavar="N",
                   help="N bootstrap replicates for 95%% confidence intervals (articles resampled; article "
                        "clusters for the metrics of clusters)")
    p.add_argument("--markdown", metavar="PATH", help="also write the headline metrics as a Markdown table")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                   help="exit 1 when the metric at this dotted path is below VALUE (repeatable)")
    p.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                   help="compute the statistics on this Dask cluster (pip install 'newsgold[distributed]'); "
                        "every worker must read --gold-dir at the same path")
    p.set_defaults(run=cmd_score)

    c = add_command(subparsers, "compare", help="paired bootstrap between two systems' predictions",
                    description="Compare two systems on the same articles with a paired bootstrap: each headline "
                                "metric of A and B, their difference, its 95% interval and a p-value.",
                    example="newsgold compare baselines/predictions/minhash/doc_pairs.jsonl "
                            "baselines/predictions/rapidfuzz/doc_pairs.jsonl doc_pairs")
    c.add_argument("a", help="system A's prediction file")
    c.add_argument("b", help="system B's prediction file")
    c.add_argument("task", choices=list(SCORERS))
    _gold_and_options(c)
    c.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="replicates (default 1000)")
    c.set_defaults(run=cmd_compare)

    a = add_command(
        subparsers, "align", help="write text-anchored predictions in the offset form",
        description="Place each text-anchored span of a prediction file in its article (exact, then normalised, "
                    "then with --fuzzy approximate) and write the file with offsets: start, end, the article's text "
                    "and how it was aligned. A span that aligns nowhere is written as given; scoring the written "
                    "file gives the same report as scoring the given one.",
        example="newsgold align quotes --pred answers.jsonl --out offsets.jsonl --fuzzy 90")
    a.add_argument("task", choices=list(TEXT_ANCHORED), help="the prediction format")
    a.add_argument("--pred", required=True, help="the prediction file (<task>.jsonl)")
    a.add_argument("--out", required=True, help="where to write the offset form (written atomically)")
    a.add_argument("--gold-dir", help="align against this release folder (default: the shipped release)")
    fuzzy_option(a)
    a.set_defaults(run=cmd_align)


def fuzzy_option(p: argparse.ArgumentParser) -> None:
    """``--fuzzy THRESHOLD``: every command that aligns text-anchored spans takes it, as scoring does."""
    p.add_argument("--fuzzy", type=float, metavar="THRESHOLD",
                   help="also align text approximately: the best window whose rapidfuzz partial_ratio is at least "
                        "THRESHOLD (0-100; needs newsgold[fuzzy]); off by default")


def fuzzy_problems(args: argparse.Namespace, tasks: tuple[str, ...]) -> list[Problem]:
    """What is wrong with ``--fuzzy`` for predictions of ``tasks``: a threshold out of range, or no task whose
    spans may be given as text."""
    if args.fuzzy is None:
        return []
    if not (math.isfinite(args.fuzzy) and 0 < args.fuzzy <= 100):
        return [_problem("--fuzzy", f"a rapidfuzz score above 0 and at most 100, not {args.fuzzy:g}")]
    if not set(tasks) & set(TEXT_ANCHORED):
        return [_problem("--fuzzy", f"aligns text-anchored spans, which {', '.join(tasks)} predictions do not have")]
    return []


def _gold_and_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold-dir", help="score against this release folder (default: the shipped release)")
    p.add_argument("--json", metavar="PATH", help="write the full report as JSON to PATH, or - for stdout")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--no-singletons", action="store_true", help="events: leave single-mention clusters out")
    fuzzy_option(p)


def _problem(field: str, message: str) -> Problem:
    return Problem(COMMAND_LINE, 0, field, message)


def _thresholds(values: list[str]) -> list[tuple[str, float]]:
    out, problems = [], []
    for value in values:
        path, sep, number = value.partition("=")
        try:
            threshold = float(number)
        except ValueError:
            threshold = math.nan
        if not sep or not path or not math.isfinite(threshold):
            problems.append(_problem("--fail-under", f"expected METRIC=VALUE with a number, got {value!r}"))
        else:
            out.append((path, threshold))
    if problems:
        raise InputError(problems)
    return out


def cmd_score(args: argparse.Namespace) -> int:
    from .summary import markdown, summary, threshold_values

    thresholds = _thresholds(args.fail_under)
    problems = []
    if args.bootstrap < 0:
        problems.append(_problem("--bootstrap", "must be 0 or more"))
    if args.task == ALL and not args.pred_dir:
        problems.append(_problem("--pred-dir", "`score all` needs --pred-dir"))
    if args.task != ALL and not args.pred:
        problems.append(_problem("--pred", f"`score {args.task}` needs --pred"))
    if args.task == ALL and args.pred:
        problems.append(_problem("--pred", "`score all` reads --pred-dir; --pred is for one task"))
    if args.task != ALL and args.pred_dir:
        problems.append(_problem("--pred-dir", f"`score {args.task}` reads --pred; --pred-dir is for `score all`"))
    if args.dask and args.task == ALL:
        problems.append(_problem("--dask", "`score all` runs in one process; score one task at a time on a cluster"))
    problems += _unwritable(args.json, args.markdown)
    problems += fuzzy_problems(args, TEXT_ANCHORED if args.task == ALL else (args.task,))
    if problems:
        raise InputError(problems)
    gold = load_gold(args.gold_dir)
    source = args.pred_dir if args.task == ALL else args.pred
    if args.dask:
        report = _score_on_cluster(args, gold)
    else:
        report = score(args.task, source, gold, bootstrap=args.bootstrap, seed=args.seed,
                       singletons=not args.no_singletons, fuzzy=args.fuzzy)
    values = threshold_values(report, thresholds)
    _write(report, args.json, summary(report))
    if args.markdown:
        _write_text(args.markdown, markdown(report))
    failed = [(path, value, threshold)
              for (path, threshold), value in zip(thresholds, values, strict=True) if value < threshold]
    for path, value, threshold in failed:
        print(f"below threshold: {path} = {value:.4f} < {threshold:g}", file=sys.stderr)
    return EXIT_BELOW if failed else 0


def _score_on_cluster(args: argparse.Namespace, gold: Any) -> Report:
    try:
        from .dask import score as score_on_cluster
    except ImportError:
        raise InputError([_problem("--dask", "Dask is not installed: pip install 'newsgold[distributed]'")]) from None
    return score_on_cluster(args.task, args.pred, gold, args.dask, bootstrap=args.bootstrap, seed=args.seed,
                            singletons=not args.no_singletons, fuzzy=args.fuzzy)


def cmd_compare(args: argparse.Namespace) -> int:
    from .summary import compare_summary

    if args.bootstrap < 1:
        raise InputError([_problem("--bootstrap", "compare needs at least 1 replicate")])
    raise_if(_unwritable(args.json) + fuzzy_problems(args, (args.task,)))
    report = compare(args.task, args.a, args.b, load_gold(args.gold_dir), bootstrap=args.bootstrap, seed=args.seed,
                     singletons=not args.no_singletons, fuzzy=args.fuzzy)
    _write(report, args.json, compare_summary(report))
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    from .align import tally

    raise_if(_unwritable(args.out) + fuzzy_problems(args, (args.task,)))
    records = aligned(args.task, args.pred, load_gold(args.gold_dir), fuzzy=args.fuzzy)
    try:
        write_jsonl(Path(args.out), records)
    except OSError as error:  # checked before aligning, but the file system may still refuse
        raise InputError([Problem(args.out, 0, "-", f"cannot write: {error.strerror or error}")]) from error
    print(f"{args.out}: {len(records)} records; " + ", ".join(f"{n} {kind}" for kind, n in tally(records).items()))
    return 0


def _write(report: Report, json_path: str | None, summary: str) -> None:
    text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if json_path == "-":
        sys.stdout.write(text)
        return
    if json_path:
        _write_text(json_path, text)
    sys.stdout.write(summary)


def _unwritable(*paths: str | None) -> list[Problem]:
    """A problem for each output path (``-``, stdout, excepted) that cannot be written, found before scoring."""
    problems = []
    for path in paths:
        if not path or path == "-":
            continue
        target = Path(path)
        folder = target.parent
        try:
            writable_output(target)
        except InputError as error:
            problems += error.problems
            continue
        if not folder.is_dir():
            reason = f"no such folder {str(folder)!r}" if not folder.exists() else f"{str(folder)!r} is not a folder"
        elif target.is_dir():
            reason = "is a folder"
        elif not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
            reason = "permission denied"
        else:
            continue
        problems.append(Problem(path, 0, "-", f"cannot write: {reason}"))
    return problems


def _write_text(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:  # checked before scoring, but the file system may still refuse
        raise InputError([Problem(path, 0, "-", f"cannot write: {error.strerror or error}")]) from error
