"""``newsgold ls``: Label Studio tasks out (export, push) and annotations back in (import, pull).

    newsgold ls export TASK --out FILE [--annotations gold|PASS] [--predictions PRED --model-version V]
    newsgold ls import TASK EXPORT.json --into gold|PASS [--annotator WHO | --newest]
    newsgold ls push TASK [--annotations gold|PASS] [--predictions PRED --model-version V]
    newsgold ls pull TASK --into gold|PASS [--save FILE] [--annotator WHO | --newest]

TASK is boilerplate, doc_pairs, passages, quotes or events. Heavy imports wait until a command runs, so that
``newsgold --help`` stays quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import COMMAND_LINE, Problem, raise_if
from ..helptext import add_command
from ..paths import ROOT_HELP, project_root, reading_root, writable_output
from ..scoring.cli import fuzzy_option, fuzzy_problems
from ..tasks import TASKS
from .offsets import DEFAULT_UNIT, OFFSET_UNITS


def _root(args: argparse.Namespace) -> Path:
    """Import and pull write into a project (``--root``, or the nearest one from the current folder)."""
    return project_root(args.root)


def _reading_root(args: argparse.Namespace) -> Path:
    """Export and push only read: the project, if there is one, else the shipped release and its configs."""
    return reading_root(args.root)


def _tasks(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The tasks to export or push; how the predictions' spans were placed is printed when any was given as
    text (each one found nowhere is a warning)."""
    from .exchange import export_tasks

    problems = fuzzy_problems(args, (args.task,))
    if bool(args.predictions) != bool(args.model_version):
        problems.append(Problem(COMMAND_LINE, 0, "--model-version", "--predictions and --model-version go together"))
    if args.fuzzy is not None and not args.predictions:
        problems.append(Problem(COMMAND_LINE, 0, "--fuzzy", "aligns the spans of --predictions; give them"))
    raise_if(problems)
    export = export_tasks(_reading_root(args), args.task, annotations=args.annotations,
                          predictions=Path(args.predictions) if args.predictions else None,
                          model_version=args.model_version or "", unit=args.offset_unit, fuzzy=args.fuzzy)
    if export.alignment is not None:
        unaligned = export.alignment["unaligned"]
        print(f"{args.predictions}: spans placed as scoring places them: "
              + ", ".join(f"{n} {kind}" for kind, n in export.alignment.items())
              + (f" ({unaligned} without a region, each warned about above)" if unaligned else ""))
    return export.tasks


def cmd_export(args: argparse.Namespace) -> int:
    from .exchange import write_tasks

    out = writable_output(args.out)
    tasks = _tasks(args)
    write_tasks(out, tasks)
    annotated = sum(1 for t in tasks if t.get("annotations"))
    predicted = sum(1 for t in tasks if t.get("predictions"))
    print(f"{args.out}: {len(tasks)} {args.task} tasks, {annotated} with annotations, {predicted} with predictions")
    if not args.annotations:
        print("note: the articles alone, for an independent pass; --annotations gold sends the gold as annotations")
    return 0


def _report(report: Any, task: str) -> int:
    for note in report.notes:
        print(f"note: {note}")
    counts = ", ".join(f"{config} {count}" for config, count in report.counts.items())
    print(f"{report.folder}: read {report.tasks} annotated {task} tasks; wrote {counts}")
    print(f"next: newsgold check {report.folder}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange import import_tasks, read_export

    path = Path(args.export)
    report = import_tasks(_root(args), args.task, read_export(path), str(path), args.into, annotator=args.annotator,
                          newest=args.newest, unit=args.offset_unit)
    return _report(report, args.task)


def cmd_push(args: argparse.Namespace) -> int:
    from .client import connect, push
    from .core import interface, load_config

    config = load_config(_reading_root(args), args.task)
    interface(config)
    tasks = _tasks(args)
    server = connect(args.url)
    report = push(server, args.task, config, tasks, args.project)
    print(f"{server.url}/projects/{report.project_id}: " + ("created; " if report.created else "")
          + ("labeling config updated; " if report.config_updated else "")
          + f"{report.added} tasks added, {report.refreshed} refreshed, {report.unchanged} unchanged"
          + (f", {report.predictions_added} predictions added" if report.predictions_added else ""))
    if report.annotations_not_added:
        print(f"note: {report.annotations_not_added} tasks were already in the project and keep their annotations; "
              "the annotations given for them were not added (push into a new --project to start over)")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from .client import connect, pull
    from .exchange import import_tasks, write_tasks

    root = _root(args)
    server = connect(args.url)
    tasks, source = pull(server, args.task, args.project)
    if args.save:
        write_tasks(writable_output(args.save), tasks)
        source = args.save
    report = import_tasks(root, args.task, tasks, source, args.into, annotator=args.annotator,
                          newest=args.newest, unit=args.offset_unit)
    return _report(report, args.task)


def register(subparsers: Any) -> None:
    top = add_command(subparsers, "ls", help="Label Studio: export/import files, push/pull a live server",
                      description="Move tasks to Label Studio (export to a file, push to a server) and annotations "
                                  "back (import a file, pull from a server), checked and written atomically. "
                                  "annotation/README.md is the annotator's workflow.",
                      example="newsgold ls export quotes --annotations gold --out tasks.json")
    commands = top.add_subparsers(dest="ls_command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("task", choices=sorted(TASKS), help="the task")
        sub.add_argument("--root", help=ROOT_HELP)
        sub.add_argument("--offset-unit", choices=OFFSET_UNITS, default=DEFAULT_UNIT,
                         help="what the Label Studio editor counts offsets in (1.23: codepoints)")
        return sub

    def out(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--annotations", metavar="gold|PASS",
                         help="send the gold (from data/) or a pass (annotation/passes/<task>/PASS) as annotations")
        sub.add_argument("--predictions", metavar="PRED", help="a system's prediction file, shown as pre-annotations")
        sub.add_argument("--model-version", metavar="V", help="the name of the system that made the predictions")
        fuzzy_option(sub)

    def back(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--into", required=True, metavar="gold|PASS",
                         help="annotation/gold, or the pass annotation/passes/<task>/PASS")
        who = sub.add_mutually_exclusive_group()
        who.add_argument("--annotator", metavar="WHO",
                         help="read this annotator's annotation (user id or email) where a task has several")
        who.add_argument("--newest", action="store_true", help="read the last saved annotation of each task")

    def server(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--url", help="the server (default: $LABEL_STUDIO_URL or http://localhost:8080); the key "
                                       "is $LABEL_STUDIO_API_KEY")
        sub.add_argument("--project", metavar="TITLE", help="the project's title (default: newsgold TASK)")

    p = common(add_command(commands, "export", help="write Label Studio import JSON for a task",
                           description="Write the tasks of TASK as a file for Label Studio's Import button: the "
                                       "articles alone (an independent pass), or with --annotations gold the gold as "
                                       "each task's annotation, or a system's predictions as pre-annotations.",
                           example="newsgold ls export quotes --annotations gold --out tasks.json"))
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the tasks")
    out(p)
    p.set_defaults(run=cmd_export)
    p = common(add_command(commands, "import", help="read a Label Studio JSON export into the gold or a pass",
                           example="newsgold ls import quotes export.json --into a"))
    p.add_argument("export", metavar="EXPORT.json", help="a Label Studio JSON export")
    back(p)
    p.set_defaults(run=cmd_import)
    p = common(add_command(commands, "push", help="create or update the task's project on a live server",
                           description="Create or update the project of TASK on the Label Studio server at "
                                       "$LABEL_STUDIO_URL (key: $LABEL_STUDIO_API_KEY): its labeling config and "
                                       "its tasks. Annotations already in the project are never overwritten.",
                           example="newsgold ls push quotes --annotations gold"))
    server(p)
    out(p)
    p.set_defaults(run=cmd_push)
    p = common(add_command(commands, "pull", help="export the task's project from a live server and import it",
                           example="newsgold ls pull quotes --into a --save exports/quotes-a.json"))
    server(p)
    p.add_argument("--save", metavar="FILE", help="also keep the export as it came")
    back(p)
    p.set_defaults(run=cmd_pull)
