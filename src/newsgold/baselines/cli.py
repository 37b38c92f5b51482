"""``newsgold baselines``, ``newsgold predict`` and ``newsgold leaderboard``.

``baselines`` runs every reference system, writes its predictions and the leaderboard (exit 0); with
``--check`` it writes nothing and exits 1 when regenerating would change a file, naming each one.
``predict`` runs one reference system on a folder of plain-text articles (``--list``: which there are).
``leaderboard`` prints LEADERBOARD.md; ``leaderboard add`` puts an outside system's predictions on it.
Bad input exits 2 with every problem as ``path:line: field: message``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..paths import ROOT_HELP, project_root, reading_root, writable_output
from .leaderboard import MARKDOWN

EXIT_CHANGED = 1


def _jobs() -> int:
    # Scoring is CPU-bound (the bootstrap); one process per core, a few at most, as the files are few.
    return max(1, min(4, os.cpu_count() or 1))


def register(subparsers: Any) -> None:
    from ..helptext import add_command
    from .leaderboard import BOOTSTRAP, SEED

    p = add_command(subparsers, "baselines", help="run the reference systems, score them, write the leaderboard",
                    description="Run every baseline on the release and on its synthetic split, write "
                                "baselines/predictions/, score them (and any stored submission) with bootstrap "
                                "intervals and write LEADERBOARD.md and leaderboard.json.",
                    example="newsgold baselines --check", exit_statuses=True)
    p.add_argument("--gold-dir", help="the release to run on and score against (default: the project's data/)")
    p.add_argument("--out", help="the folder to write into (default: the project's root)")
    p.add_argument("--root", help=ROOT_HELP)
    p.add_argument("--bootstrap", type=int, default=BOOTSTRAP, metavar="N",
                   help=f"bootstrap resamples for the 95%% intervals (default {BOOTSTRAP})")
    p.add_argument("--seed", type=int, default=SEED, help=f"bootstrap seed (default {SEED})")
    p.add_argument("--jobs", type=int, default=_jobs(), metavar="N", help="score N files at once")
    p.add_argument("--print", action="store_true", help="print LEADERBOARD.md when done")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if regenerating would change any file in --out")
    p.set_defaults(run=cmd_baselines)

    predict = add_command(
        subparsers, "predict", help="run a reference system on a folder of plain-text articles",
        description="Run one reference system on plain-text articles (DIR/*.txt, or DIR/<cluster>/*.txt; the "
                    "article id is the file name without .txt) and write its predictions as JSON Lines, in the "
                    "format newsgold score reads. Text systems read nothing but the articles; oracle systems "
                    "also read the release's gold (--gold-dir), the supervised one learns from it. This is the "
                    "code newsgold baselines runs, and how a new cluster is pre-annotated.",
        example="newsgold predict quote-rules quotes --articles data/raw/blinken-beijing-2023 --out quotes.jsonl")
    predict.add_argument("system", nargs="?", help="the system (see --list)")
    predict.add_argument("task", nargs="?", help="the prediction format: boilerplate, boilerplate_text, doc_pairs, "
                                                 "passages, quotes or events")
    predict.add_argument("--list", action="store_true", help="print SYSTEM TASK INPUTS, one line per baseline "
                                                             "(INPUTS: text or oracle), and exit")
    predict.add_argument("--articles", metavar="DIR", help="the folder of *.txt articles")
    predict.add_argument("--out", metavar="FILE", help="the prediction file to write (JSON Lines)")
    predict.add_argument("--gold-dir", help="oracle and supervised systems: the release they read "
                                            "(default: the shipped release)")
    predict.set_defaults(run=cmd_predict)

    board = add_command(subparsers, "leaderboard", help="print LEADERBOARD.md, or add a system to it",
                        description="Print the leaderboard that newsgold baselines wrote; leaderboard add puts an "
                                    "outside system's predictions on it.",
                        example="newsgold leaderboard --out .")
    board.add_argument("--out", help="the folder holding LEADERBOARD.md (default: the project's root)")
    board.set_defaults(run=cmd_leaderboard)
    actions = board.add_subparsers(dest="action", metavar="ACTION")
    add = add_command(
        actions, "add", help="score a submission and write its rows into the leaderboard",
        example="newsgold leaderboard add my-system --pred-dir predictions/ --meta META.json",
        description="Check a submission (a folder of <format>.jsonl files, and synthetic/<format>.jsonl for the "
                    "synthetic split, plus a META.json saying what the system reads, its URL and version and "
                    "whether it used any gold), score it with the board's bootstrap, store it under "
                    "baselines/submissions/NAME/ and rewrite LEADERBOARD.md and leaderboard.json with its rows: "
                    "ranked, or in the oracle rows when it declares gold. Nothing is written if anything is wrong.")
    add.add_argument("name", metavar="NAME", help="the system's name on the board (a-z, 0-9, _ and -)")
    add.add_argument("--pred-dir", required=True, metavar="DIR", help="the folder of prediction files")
    add.add_argument("--meta", required=True, metavar="META.json", help="what the system reads and where it lives")
    add.add_argument("--out", dest="board_out", default=None,
                     help="the folder holding the leaderboard (default: the project's root)")
    add.add_argument("--root", help=ROOT_HELP)
    add.add_argument("--gold-dir", help="the release the board scored (default: the project's data/)")
    add.add_argument("--replace", action="store_true", help="replace a submission of the same name")
    add.set_defaults(run=cmd_leaderboard_add)


def _problem(field: str, message: str) -> Problem:
    return Problem("<command line>", 0, field, message)


def cmd_baselines(args: argparse.Namespace) -> int:
    from ..scoring import load_gold
    from .run import check, run

    problems = []
    if args.bootstrap < 0:
        problems.append(_problem("--bootstrap", "must be 0 or more"))
    if args.jobs < 1:
        problems.append(_problem("--jobs", "must be 1 or more"))
    if problems:
        raise InputError(problems)
    # What is not given is the project's: a run never writes into the installed package.
    out = writable_output(args.out) if args.out else project_root(args.root)
    release = load_gold(args.gold_dir if args.gold_dir else project_root(args.root) / "data")
    if args.check:
        changed = check(out, release, bootstrap=args.bootstrap, seed=args.seed, jobs=args.jobs)
        for line in changed:
            print(f"{out / line}", file=sys.stderr)
        if changed:
            print(f"{len(changed)} file(s) differ from what `newsgold baselines` generates: a baseline, a scorer "
                  "or the release changed; regenerate and review the diff", file=sys.stderr)
            return EXIT_CHANGED
        print(f"{out}: baselines and leaderboard up to date")
        return 0
    board = run(out, release, bootstrap=args.bootstrap, seed=args.seed, jobs=args.jobs)
    files = sum(len(table["rows"]) + len(table["oracle"]) for table in board["tables"].values())
    print(f"{files} prediction files scored; wrote {out / MARKDOWN} and {out / 'leaderboard.json'}")
    if args.print:
        sys.stdout.write((out / MARKDOWN).read_text(encoding="utf-8"))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from . import BASELINES, find

    if args.list:
        width = max(len(b.system.name) for b in BASELINES), max(len(b.name) for b in BASELINES)
        for b in BASELINES:
            print(f"{b.system.name:{width[0]}} {b.name:{width[1]}} {b.inputs}")
        return 0
    problems = [_problem(field, "required (or --list)") for field, value in
                (("SYSTEM", args.system), ("TASK", args.task), ("--articles", args.articles), ("--out", args.out))
                if not value]
    if problems:
        raise InputError(problems)
    try:
        baseline = find(args.system, args.task)
    except ValueError as error:
        raise InputError([_problem("SYSTEM TASK", f"{error}; `newsgold predict --list` lists them")]) from None
    from ..corpus import read_articles
    from ..jsonl import write_jsonl

    articles = read_articles(Path(args.articles))
    release = None
    if baseline.needs_release:
        from ..scoring import load_gold

        release = load_gold(args.gold_dir)
    records = baseline.predict(articles, release)
    write_jsonl(writable_output(args.out), records)
    print(f"{args.out}: {len(records)} {baseline.name} records from {baseline.system.name} ({baseline.inputs}) on "
          f"{len(articles)} article(s)")
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    path = (Path(args.out) if args.out else reading_root()) / MARKDOWN
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "-", "no leaderboard here; write it with `newsgold baselines`")])
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def cmd_leaderboard_add(args: argparse.Namespace) -> int:
    from ..scoring import load_gold
    from .leaderboard import COLUMNS, table_key
    from .run import add

    given = args.board_out or args.out
    out = writable_output(given) if given else project_root(args.root)
    gold = load_gold(args.gold_dir if args.gold_dir else out / "data")
    added = add(out, args.name, Path(args.pred_dir), Path(args.meta), gold, replace=args.replace)
    for entry in added.entries:
        key = table_key(entry.name, entry.split)
        table = added.board["tables"][key]
        rank = next((row["rank"] for row in table["rows"] if row["system"] == entry.system), None)
        place = f"rank {rank} of {len(table['rows'])}" if rank else "oracle rows, not ranked"
        headline = COLUMNS[entry.name][0]
        value = next(row["metrics"][headline]["value"] for row in table["rows"] + table["oracle"]
                     if row["system"] == entry.system)
        shown = "—" if value is None else f"{value:.3f}"
        print(f"{key}: {headline} {shown}, {place}")
    print(f"stored {added.folder}; wrote {out / MARKDOWN} and {out / 'leaderboard.json'}")
    return 0
