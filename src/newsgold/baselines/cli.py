"""``newsgold baselines`` and ``newsgold leaderboard``.

``baselines`` runs every reference system, writes its predictions and the leaderboard (exit 0); with
``--check`` it writes nothing and exits 1 when regenerating would change a file, naming each one.
``leaderboard`` prints LEADERBOARD.md. Bad input exits 2 with every problem as ``path:line: field: message``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..leaderboard import MARKDOWN
from ..paths import ROOT_HELP, project_root, writable_output

EXIT_CHANGED = 1


def _jobs() -> int:
    # Scoring is CPU-bound (the bootstrap); one process per core, a few at most, as the files are few.
    return max(1, min(4, os.cpu_count() or 1))


def register(subparsers: Any) -> None:
    from ..helptext import add_command
    from .run import BOOTSTRAP, SEED

    p = add_command(subparsers, "baselines", help="run the reference systems, score them, write the leaderboard",
                    description="Run every baseline on the release, write baselines/predictions/, score them with "
                                "bootstrap intervals and write LEADERBOARD.md and leaderboard.json.",
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

    board = add_command(subparsers, "leaderboard", help="print LEADERBOARD.md",
                        description="Print the leaderboard that newsgold baselines wrote.",
                        example="newsgold leaderboard --out .")
    board.add_argument("--out", default=".", help="the folder holding LEADERBOARD.md (default: the current folder)")
    board.set_defaults(run=cmd_leaderboard)


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
    files = sum(len(table["rows"]) for table in board["tables"].values())
    print(f"{files} prediction files scored; wrote {out / MARKDOWN} and {out / 'leaderboard.json'}")
    if args.print:
        sys.stdout.write((out / MARKDOWN).read_text(encoding="utf-8"))
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    path = Path(args.out) / MARKDOWN
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "-", "no leaderboard here; write it with `newsgold baselines`")])
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0
