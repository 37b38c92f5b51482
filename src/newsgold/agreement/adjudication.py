"""``newsgold agree``: how far two annotation passes agree, and every place they do not, ready to adjudicate.

The figures are the ones DATASHEET.md publishes, computed by the same code (:func:`newsgold.agreement.figures.figures`);
the disagreements are :func:`newsgold.agreement.figures.disagreements`, listed one by one with the article, the line,
what each pass says and the text around it. ``--markdown`` writes them as the skeleton of the adjudication log
``annotation/adjudication/<annotation task>.md``, each with an empty decision and reason to fill in;
``--json`` writes everything as data.

A pass is named as ``newsgold ls pull --into`` names it: ``a`` is ``annotation/passes/<annotation task>/a``,
``gold`` is ``annotation/gold``; a path (anything with a ``/``) is taken as the folder itself.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..corpus import ID_PATTERN, load_corpus
from ..errors import COMMAND_LINE, InputError, Problem, raise_if
from ..jsonl import write_text_atomic
from ..release.build import read_gold
from ..release.layout import GOLD_DIR, RAW_DIR
from ..tasks import ANNOTATION_TASKS, TASKS
from .figures import ABSENT, PASSES_DIR, Disagreement, Pass, disagreements, figures, scored_tasks, table

GOLD = "gold"
# How a field is named in a heading, where its key would read badly.
FIELD_NAMES = {"event_id": "event", "quote_cluster": "cluster", "speaker_mention": "speaker mention",
               "span": "boundaries"}
LONG_SPAN = 300  # characters of a span shown in full; a longer one is shown by its two ends


@dataclass(frozen=True)
class Comparison:
    """Two passes of one task: the published figures and every disagreement."""

    task: str
    names: tuple[str, str]
    folders: tuple[Path, ...]  # the two pass folders, relative to the checkout when inside it
    figures: list[tuple[str, list[dict[str, Any]]]]
    disagreements: list[Disagreement]


def annotation_task(task: str) -> str:
    return TASKS[task].annotation_task if task in TASKS else task


def pass_folder(root: Path, task: str, name: str) -> Path:
    """``gold``, a pass name of the task's annotation task, or (with a ``/``) the path of a folder."""
    if name == GOLD:
        return root / GOLD_DIR
    if "/" in name or "\\" in name:
        return Path(name)
    if not ID_PATTERN.match(name):
        raise InputError([Problem(COMMAND_LINE, 0, "pass", f"{name!r} is not a pass name (a-z, 0-9, _ and -) "
                                                           "nor a folder")])
    return root / PASSES_DIR / annotation_task(task) / name


def read_pass(root: Path, task: str, name: str, folder: Path, articles: dict[str, Any]) -> Pass:
    """A pass folder checked like the gold, which must hold records of every config of ``task``."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "-", "no such pass folder")])
    rows = read_gold(root, articles, folder)
    records = {config: [row.data for row in config_rows] for config, config_rows in rows.items()}
    configs = [config for scored in scored_tasks(task) for config in TASKS[scored].configs]
    raise_if([Problem(str(folder / f"{config}.jsonl"), 0, config, f"no records: the folder holds no {task} pass")
              for config in configs if not records.get(config)])
    return Pass(name, records, articles)


def compare(root: Path, task: str, name_a: str, name_b: str) -> Comparison:
    """The figures and disagreements of passes ``name_a`` and ``name_b`` of ``task`` in the checkout ``root``."""
    if task not in TASKS and task not in ANNOTATION_TASKS:
        raise InputError([Problem(COMMAND_LINE, 0, "task", f"unknown task {task!r}; one of "
                                                           f"{', '.join(dict.fromkeys([*ANNOTATION_TASKS, *TASKS]))}")])
    folders = (pass_folder(root, task, name_a), pass_folder(root, task, name_b))
    shown = tuple(_relative(folder, root) for folder in folders)
    articles = load_corpus(root / RAW_DIR)
    problems: list[Problem] = []
    passes = []
    for name, folder in zip((name_a, name_b), folders, strict=True):
        try:
            passes.append(read_pass(root, task, name, folder, articles))
        except InputError as error:
            problems += error.problems
    raise_if(problems)
    a, b = passes
    return Comparison(task, (name_a, name_b), shown, figures(task, a, b), disagreements(task, a, b))


def _relative(folder: Path, root: Path) -> Path:
    """A folder inside the checkout as the log names it (``annotation/passes/…``), any other as given."""
    try:
        return folder.resolve().relative_to(root.resolve())
    except ValueError:
        return folder


# --- what is written ---------------------------------------------------------------------------------------


def heading(item: Disagreement, names: tuple[str, str]) -> str:
    """What differs, e.g. ``mention in a only``, ``quote speaker``, ``event date``."""
    if not item.field:
        return f"{item.record} in {names[1] if item.value_a == ABSENT else names[0]} only"
    return f"{item.record} {FIELD_NAMES.get(item.field, item.field)}"


def location(item: Disagreement) -> str:
    """Where: the place as the log names it, and the article's line when the place does not say it."""
    if item.line is None or item.place == f"{item.article}:{item.line}":
        return item.place
    if item.place.startswith(item.article):
        return f"{item.place}, line {item.line}"
    return f"{item.place} ({item.article}:{item.line})"


def _clipped(text: str) -> str:
    text = re.sub(r"\s+", " ", text)  # line breaks and runs of white space as one space
    return text if len(text) <= LONG_SPAN else f"{text[:LONG_SPAN // 2]} … {text[-LONG_SPAN // 2:]}"


def text_summary(comparison: Comparison) -> str:
    """The figures as tables and each disagreement as a block, for a terminal."""
    a, b = comparison.names
    lines = [f"{comparison.task}: passes {a} ({comparison.folders[0]}) and {b} ({comparison.folders[1]})", ""]
    for title, rows in comparison.figures:
        lines += [f"{title}", "", table(rows), ""]
    count = len(comparison.disagreements)
    lines.append(f"{count} disagreement{'s' if count != 1 else ''}" if count else "no disagreements")
    for number, item in enumerate(comparison.disagreements, start=1):
        lines += ["", f"D{number}. {heading(item, comparison.names)}: {location(item)}",
                  f"    {a}: {item.value_a}", f"    {b}: {item.value_b}"]
        if item.text or item.before or item.after:
            marked = f"[{_clipped(item.text)}]" if item.before or item.after else _clipped(item.text)
            lines.append(f"    {_clipped(item.before)}{marked}{_clipped(item.after)}")
    return "\n".join(lines) + "\n"


def _escaped(text: str) -> str:
    """Text shown as it is in Markdown: the characters that would format it are escaped."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|" else c for c in text)


def _code(value: str) -> str:
    return value if value == ABSENT else f"`{value}`" if "`" not in value else f"`` {value} ``"


def markdown(comparison: Comparison) -> str:
    """The adjudication log to complete: the figures, then every disagreement with an empty decision / reason."""
    a, b = comparison.names
    task = annotation_task(comparison.task)
    parts = [f"# Adjudication: {task}",
             f"Passes: `{comparison.folders[0]}` (`{a}`) and `{comparison.folders[1]}` (`{b}`). The figures are "
             f"computed by `newsgold agree {comparison.task} {a} {b}`, as in DATASHEET.md."]
    parts += [f"**{title}**\n\n{table(rows)}" for title, rows in comparison.figures]
    parts.append("## Disagreements")
    if not comparison.disagreements:
        parts.append("None.")
    for number, item in enumerate(comparison.disagreements, start=1):
        title = heading(item, comparison.names)
        parts.append(f"### D{number}. {title[:1].upper()}{title[1:]}: {location(item)}")
        if item.before or item.after:
            parts.append(f"> {_escaped(_clipped(item.before))}**{_escaped(_clipped(item.text))}**"
                         f"{_escaped(_clipped(item.after))}")
        elif item.text:
            parts.append(f"> {_escaped(_clipped(item.text))}")
        parts.append(f"- pass `{a}`: {_code(item.value_a)}\n- pass `{b}`: {_code(item.value_b)}\n"
                     "- **Decision / reason:**")
    return "\n\n".join(parts) + "\n"


def _finite(value: Any) -> Any:
    # JSON has no NaN: an undefined figure (kappa of one label) is null.
    return None if isinstance(value, float) and math.isnan(value) else value


def as_json(comparison: Comparison) -> dict[str, Any]:
    a, b = comparison.names
    return {
        "task": comparison.task,
        "passes": {"a": {"name": a, "folder": str(comparison.folders[0])},
                   "b": {"name": b, "folder": str(comparison.folders[1])}},
        "figures": [{"title": title, "rows": [{k: _finite(v) for k, v in row.items()} for row in rows]}
                    for title, rows in comparison.figures],
        "disagreements": [{"id": f"D{number}", "what": heading(item, ("a", "b")), **asdict(item)}
                          for number, item in enumerate(comparison.disagreements, start=1)],
    }


# --- the command -------------------------------------------------------------------------------------------


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        write_text_atomic(Path(path), text)
    except OSError as error:  # checked before reading the passes, but the file system may still refuse
        raise InputError([Problem(path, 0, "-", f"cannot write: {error.strerror or error}")]) from None


def cmd_agree(args: argparse.Namespace) -> int:
    from ..paths import reading_root
    from ..scoring.cli import _unwritable

    if args.json == "-" and args.markdown == "-":
        raise InputError([Problem(COMMAND_LINE, 0, "--json", "only one of --json and --markdown can go to stdout")])
    raise_if(_unwritable(args.json, args.markdown))
    root = reading_root(args.root)
    comparison = compare(root, args.task, args.pass_a, args.pass_b)
    if args.json:
        _write(args.json, json.dumps(as_json(comparison), indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    if args.markdown:
        _write(args.markdown, markdown(comparison))
    if "-" not in (args.json, args.markdown):
        sys.stdout.write(text_summary(comparison))
    return 0
