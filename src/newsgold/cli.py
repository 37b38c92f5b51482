"""The ``newsgold`` command line.

Core commands (build, validate, add, check) live here; each further command family lives in its own module with a
``register(subparsers)`` function, listed in ``COMMAND_MODULES``. Those modules define options and help only: the
code behind a command, and the libraries it needs (numpy, pyarrow, jsonschema), is imported when the command
runs, so that building the parser costs next to nothing and each command pays for its own imports alone. Bad
input never shows a traceback: every problem is one line ``path:line: field: message`` on stderr and the exit
status is 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import EXIT_BAD_INPUT, InputError, InputWarning
from .helptext import EXIT_STATUSES, HelpFormatter, add_command
from .paths import ROOT_HELP, project_root
from .paths import data_dir as shipped_data
from .version import __version__

DESCRIPTION = ("newsgold: gold-labelled evaluation data for systems that process news (boilerplate, duplicates, "
               "quotes, events), and the scorers that measure them.")
COMMAND_MODULES: tuple[str, ...] = ("newsgold.scoring.cli", "newsgold.agreement.cli", "newsgold.release.diff",
                                    "newsgold.labelstudio.cli", "newsgold.html.cli", "newsgold.synth.cli",
                                    "newsgold.baselines.cli", "newsgold.release.revisions")


def cmd_build(args: argparse.Namespace) -> int:
    from .release.build import build, check_up_to_date

    root = project_root(args.root)
    if args.check:
        problems = check_up_to_date(root)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    result = build(root)
    for config, count in result.rows.items():
        print(f"{config:16} {count:6} rows")
    print(f"{len(result.changed)} file(s) changed" + (": " + ", ".join(result.changed) if result.changed else ""))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .release.validate import validate_and_remember

    data_dir = Path(args.data_dir) if args.data_dir else Path(args.root) / "data" if args.root else shipped_data()
    # Always in full; a valid folder is remembered, so that scoring and loading trust it while it is unchanged.
    problems = validate_and_remember(data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{data_dir}: valid")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .corpus import add_articles

    written = add_articles(project_root(args.root) / "data" / "raw", args.cluster, [Path(p) for p in args.files])
    for path in written:
        print(f"added {path}")
    print("next: annotate it (annotation/README.md), then `newsgold build`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .corpus import load_corpus
    from .release.build import read_gold
    from .release.layout import RAW_DIR

    root = project_root(args.root)
    folder = Path(args.folder)
    rows = read_gold(root, load_corpus(root / RAW_DIR), folder)
    counts = ", ".join(f"{config} {len(rows[config])}" for config in rows if config != "articles" and rows[config])
    print(f"{folder}: valid ({counts or 'no records'})")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="newsgold", description=DESCRIPTION, formatter_class=HelpFormatter,
                                  epilog="Run newsgold COMMAND --help for a command's options and an example.\n\n"
                                         + EXIT_STATUSES)
    top.add_argument("--version", action="version", version=f"newsgold {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--root", help=ROOT_HELP)
        return sub

    p = common(add_command(commands, "build", help="build data/ from data/raw and annotation/gold",
                           description="Build the release: data/raw and annotation/gold become data/<config>/ "
                                       "(JSON Lines and Parquet), the dataset card, Croissant metadata and "
                                       "data/MANIFEST.json, byte for byte the same on every machine. Nothing is "
                                       "replaced unless the new release validates.",
                           example="newsgold build --check", exit_statuses=True))
    p.add_argument("--check", action="store_true", help="only check that data/ is up to date (exit 1 if not)")
    p.set_defaults(run=cmd_build)
    p = add_command(commands, "validate", help="check the whole release; problems as path:line: field: message",
                    example="newsgold validate data")
    p.add_argument("data_dir", nargs="?", help="a release folder (default: the shipped data/)")
    p.add_argument("--root", help="validate this project's data/ instead of the shipped release")
    p.set_defaults(run=cmd_validate)
    p = common(add_command(commands, "add", help="add raw articles to a cluster, byte for byte",
                           description="Copy raw articles into data/raw/<cluster>/ byte for byte and pin them in "
                                       "data/raw/MANIFEST.json; then annotate them (annotation/README.md) and build.",
                           example="newsgold add my-cluster incoming/005_example.txt incoming/006_example.txt"))
    p.add_argument("cluster", help="cluster id, e.g. blinken-beijing-2023")
    p.add_argument("files", nargs="+", help="UTF-8 text files named <article_id>.txt")
    p.set_defaults(run=cmd_add)
    p = common(add_command(commands, "check", help="check an annotation folder (a pass or the gold) without building",
                           example="newsgold check annotation/passes/quotes/a"))
    p.add_argument("folder", help="e.g. annotation/passes/quotes/a")
    p.set_defaults(run=cmd_check)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with warnings.catch_warnings():
        # Likely mistakes in valid input: one line each on stderr, as they are found (so before the problems).
        warnings.simplefilter("always", InputWarning)
        warnings.showwarning = _show_input_warnings(warnings.showwarning)
        try:
            return int(args.run(args) or 0)
        except InputError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            return EXIT_BAD_INPUT
        except BrokenPipeError:
            return 0


def _show_input_warnings(show: Callable[..., None]) -> Callable[..., None]:
    def show_warning(message: Warning | str, category: type[Warning], *rest: Any, **options: Any) -> None:
        if isinstance(message, InputWarning):
            print(message, file=sys.stderr)
        else:
            show(message, category, *rest, **options)

    return show_warning


if __name__ == "__main__":
    sys.exit(main())
