"""Label Studio files in and out: ``newsgold ls export`` and ``newsgold ls import``.

``export_tasks`` writes Label Studio import JSON for one task: every article (or article pair) with the gold,
a pass, or neither as an annotation, and a system's output as a prediction.

``import_tasks`` reads a Label Studio JSON export back into ``annotation/gold`` or a pass folder. It picks one
annotation per task (see ``choose``), turns it into records with the task's converter, checks every region
against the labeling config and the raw article, replaces the records of the tasks it read (records of
articles the export does not annotate stay as they are), checks the result as ``newsgold check`` would, and
only then writes, each file atomically. Any problem stops it before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import ID_PATTERN, Article, load_corpus
from ..errors import InputError, Problem, decode_utf8, raise_if, warn
from ..jsonl import Row, read_jsonl
from ..records import CONFIGS, RECORD_TYPES
from ..release.build import article_rows, check_annotations, read_gold, write_annotations
from ..release.dataset import Release
from ..release.layout import DATA_DIR, GOLD_DIR, RAW_DIR
from ..release.validate import record_problems
from ..tasks import TASKS, TEXT_ANCHORED
from . import CONVERTERS
from .converter import Converter
from .core import (
    RECORD_IDS,
    REGISTRY,
    TASK_KEY,
    Annotation,
    Draft,
    Origin,
    OriginRow,
    Unit,
    Where,
    assign_ids,
    interface,
    json_type,
    load_config,
)
from .offsets import DEFAULT_UNIT, Offsets, OffsetUnit

GOLD = "gold"
PASSES_DIR = Path("annotation") / "passes"


def converter(task: str) -> Converter:
    if task not in CONVERTERS:
        raise InputError([Problem("<command line>", 0, "task", f"unknown task {task!r}; one of "
                                                                f"{', '.join(CONVERTERS)}")])
    return CONVERTERS[task]


def annotation_folder(root: Path, task: str, name: str) -> Path:
    """``gold`` is ``annotation/gold``; any other name is a pass, ``annotation/passes/<annotation task>/<name>``."""
    if name == GOLD:
        return root / GOLD_DIR
    if not ID_PATTERN.match(name):
        raise InputError([Problem("<command line>", 0, "pass", f"{name!r} is not a pass name (a-z, 0-9, _ and -)")])
    return root / PASSES_DIR / TASKS[task].annotation_task / name


# --- export ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    tasks: list[dict[str, Any]]
    # How the predictions' spans were placed (newsgold.scoring.align.KINDS), when any was given by its text.
    alignment: dict[str, int] | None = None


def export_tasks(root: Path, task: str, *, annotations: str | None = None, predictions: Path | None = None,
                 model_version: str = "", unit: OffsetUnit = DEFAULT_UNIT, fuzzy: float | None = None) -> Export:
    """Label Studio tasks for ``task``: the gold (from the release in ``data/``) or a pass as annotations, and a
    system's predictions as pre-annotations (text-anchored spans placed as scoring places them, ``fuzzy`` its
    threshold)."""
    chosen = converter(task)
    interface(load_config(root, task))  # refuse to write tasks for a config Label Studio would not take
    release = Release.load(root / DATA_DIR)
    articles, records = release.articles, release.records
    if annotations is not None and annotations != GOLD:
        folder = annotation_folder(root, task, annotations)
        if not folder.is_dir():
            raise InputError([Problem(str(folder), 0, "-", "no such pass folder")])
        articles = load_corpus(root / RAW_DIR)
        rows = read_gold(root, articles, folder)
        records = {config: [row.data for row in config_rows] for config, config_rows in rows.items()}
    # A layer that has no record at all is not annotated yet: its tasks go out without annotations.
    annotated = annotations is not None and any(records.get(config) for config in chosen.writes)
    offsets = Offsets(unit)
    shown, alignment = None, None
    if predictions is not None:
        shown, alignment = read_predictions(chosen, articles, predictions, release, offsets, fuzzy=fuzzy)
    tasks = chosen.to_tasks(articles, registry=records, offsets=offsets, records=records if annotated else None,
                            predictions=shown, model_version=model_version)
    return Export(tasks, alignment)


def read_predictions(chosen: Converter, articles: Mapping[str, Article], path: Path, release: Release,
                     offsets: Offsets, *, fuzzy: float | None = None) -> tuple[dict[str, Any], dict[str, int] | None]:
    """A system's prediction file, checked by the task's scorer, as regions by task key; and how its spans were
    placed, when any was given by its text (None otherwise).

    Spans given by their text are placed by the scorer's alignment (:func:`newsgold.scoring.aligned_rows`), so
    each region is where scoring counts the span. A span found nowhere has no region: it is a warning, at its
    line, and is left out (a passage cluster keeps its other members).
    """
    from ..scoring import aligned_rows
    from ..scoring import read_predictions as scorer_read
    from ..scoring.align import OFFSETS, anchors, offset_form, tally, unaligned_records, with_places

    alignment = None
    if chosen.task in TEXT_ANCHORED:
        placed = aligned_rows(chosen.task, path, release, fuzzy=fuzzy)  # the scorer's checks, then the alignment
        kinds = tally([row.data for row in placed])
        alignment = kinds if sum(kinds.values()) > kinds[OFFSETS] else None
        for item in unaligned_records([row.data for row in placed]):
            warn(Problem(str(path), item["line"], item["field"], f"{_clipped(item['text'])!r}: {item['reason']}; "
                                                                 "no region drawn (scoring counts it as spurious)"))
        # Each record without its unaligned anchors: an unaligned quote or mention goes, a cluster keeps the rest.
        rows = [Row(offset_form(kept), row.path, row.line) for row in placed
                for kept in with_places([row.data]) if anchors(kept)]
    else:
        scorer_read(chosen.task, path, release)  # the scorer's checks: schema, articles, spans
        rows, problems = read_jsonl(path)
        raise_if(problems)
    units = {unit.key: unit for unit in chosen.units(articles)}
    shown, problems = chosen.predictions(units, rows, offsets, release)
    raise_if(problems)
    return shown, alignment


def _clipped(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_tasks(path: Path, tasks: list[dict[str, Any]]) -> None:
    from ..jsonl import write_text_atomic

    write_text_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")


# --- import ----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    folder: Path
    written: list[Path]
    counts: dict[str, int]
    tasks: int  # tasks whose annotation was read
    notes: list[str] = field(default_factory=list)  # what was left out on purpose, one line each


def read_export(path: Path) -> list[Any]:
    try:
        text, problems = decode_utf8(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError([Problem(str(path), 0, "-", "no such file")]) from None
    raise_if(problems)
    try:
        tasks = json.loads(text)  # type: ignore[arg-type]
    except ValueError as error:
        raise InputError([Problem(str(path), getattr(error, "lineno", 0), "-", f"not a JSON file: {error}")]) from None
    if not isinstance(tasks, list):
        raise InputError([Problem(str(path), 0, "-", "a Label Studio JSON export is a list of tasks")])
    return tasks


def import_tasks(root: Path, task: str, tasks: list[Any], source: str, into: str, *, annotator: str | None = None,
                 newest: bool = False, unit: OffsetUnit = DEFAULT_UNIT) -> ImportReport:
    """Read an export's tasks (``source`` names the export in problems) into the gold or pass ``into``."""
    chosen = converter(task)
    config = interface(load_config(root, task))
    folder = annotation_folder(root, task, into)
    articles = load_corpus(root / RAW_DIR)
    units = {u.key: u for u in chosen.units(articles)}
    offsets = Offsets(unit)
    problems: list[Problem] = []
    notes: list[str] = []

    picked = _pick(tasks, source, units, chosen, annotator, newest, problems, notes)
    existing = {c: _existing(folder, c, problems) for c in chosen.writes}
    registry = _registries(root, folder, chosen, tasks, source, problems)
    registry_records = {c: [row.data for row in rows] for c, rows in registry.items()}
    drafts: list[Draft] = []
    covered: set[str] = set()
    exported_ids: set[str] = set()
    for where, unit_of_task, data, annotation in picked:
        read = Annotation(annotation.get("result"), config, where, data)
        drafts += chosen.from_results(unit_of_task, read, offsets, registry_records)
        problems += read.problems
        covered.add(unit_of_task.key)
        exported_ids.update(i for i in data.get(RECORD_IDS) or [] if isinstance(i, str))
    raise_if(problems)

    if chosen.id_field:
        taken = exported_ids | {str(row.data.get(chosen.id_field)) for rows in existing.values() for row in rows}
        taken |= {str(d.record[chosen.id_field]) for d in drafts if d.record.get(chosen.id_field)}
        assign_ids(drafts, chosen.id_field, taken)
    merged = {c: chosen.merge(c, existing[c], [OriginRow(d.record, source, 0, origin=d.origin) for d in drafts
                                                if d.config == c], covered) for c in chosen.writes}
    raise_if(_check(root, articles, merged, registry))

    to_write = {c: [row.data for row in rows] for c, rows in merged.items()}
    to_write.update({c: [row.data for row in rows] for c, rows in registry.items()
                     if c in chosen.carries and not (folder / f"{c}.jsonl").exists()})
    written = write_annotations(folder, to_write)
    return ImportReport(folder, written, {c: len(records) for c, records in to_write.items()}, len(picked), notes)


def _pick(tasks: list[Any], source: str, units: Mapping[str, Unit], chosen: Converter, annotator: str | None,
          newest: bool, problems: list[Problem], notes: list[str]) -> list[tuple[Where, Unit, dict[str, Any], dict]]:
    """One annotation per task, or problems; every task and region that cannot be placed is named."""
    picked: list[tuple[Where, Unit, dict[str, Any], dict]] = []
    seen: dict[str, Where] = {}
    for index, task in enumerate(tasks):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(Where(source, index).problem("a task is an object with data"))
            continue
        data = task["data"]
        key = data.get(TASK_KEY)
        where = Where(source, index, task.get("id"), key if isinstance(key, str) else None)
        annotations, drafts = (task.get(name) or [] for name in ("annotations", "drafts"))
        wrong = next((name for name, value in (("annotations", annotations), ("drafts", drafts))
                      if not isinstance(value, list)), None)
        if wrong is not None:
            problems.append(where.problem(f"{wrong} must be a list", sub=f".{wrong}"))
            continue
        unit = units.get(where.key) if where.key else None
        if unit is None:
            why = (f"has no {TASK_KEY}" if where.key is None
                   else f"belongs to task {where.key.split(':')[0]}, not {chosen.task}"
                   if not where.key.startswith(f"{chosen.task}:")
                   else f"names no {'pair of articles' if chosen.task == 'doc_pairs' else 'article'} of the corpus")
            problems.append(where.problem(why, sub=f".data.{TASK_KEY}"))
            problems += _unplaced(where, annotations, "its task is unknown")
            continue
        shape = _data_problems(where, data, chosen.data(unit, {}))
        if shape:
            problems += shape + _unplaced(where, annotations, "its task's data is not what the export wrote")
            continue
        stale = [name for name in chosen.shows if data.get(name) != chosen.data(unit, {}).get(name)]
        if stale and annotations:
            problems.append(where.problem(f"the task's {', '.join(stale)} differs from the raw article; push the "
                                          "task again and redo its annotation", sub=f".data.{stale[0]}"))
            problems += _unplaced(where, annotations, "its task shows an old text")
            continue
        notes += [f"{where.task_name}: draft {d.get('id')} is not submitted; left out"
                  for d in drafts if isinstance(d, dict) and d.get("result")]
        annotation = _choose(where, annotations, annotator, newest, problems, notes)
        if annotation is None:
            continue
        j, chosen_annotation = annotation
        if where.key in seen:
            problems.append(where.problem(f"shows {where.key} like {seen[where.key].task_name}; keep one of them",
                                          sub=f".data.{TASK_KEY}"))
            continue
        seen[where.key] = where  # type: ignore[index]
        picked.append((Where(source, index, where.task_id, where.key, j), unit, data, chosen_annotation))
    return picked


def _data_problems(where: Where, data: Mapping[str, Any], written: Mapping[str, Any]) -> list[Problem]:
    """Each field of a task's data that does not hold the JSON type the export wrote there."""
    expected = {**written, RECORD_IDS: [], REGISTRY: {}}
    return [where.problem(f"{name} must be {json_type(value)}, not {json_type(data[name])}", sub=f".data.{name}")
            for name, value in expected.items() if name in data and not isinstance(data[name], type(value))]


def _choose(where: Where, annotations: list[Any], annotator: str | None, newest: bool, problems: list[Problem],
            notes: list[str]) -> tuple[int, dict] | None:
    """The annotation to read: the only one; with ``annotator``, that person's; with ``newest``, the last saved.

    Several annotations and neither option is an error listing them: which one is right is not for the import
    to guess. Skipped (cancelled) annotations are left out and noted.
    """
    usable = []
    for j, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            problems.append(Problem(where.path, 0, f"{where.field()}.annotations[{j}]",
                                    f"{where.task_name}: an annotation is an object"))
            continue
        who = _annotator(annotation)
        if annotation.get("was_cancelled"):
            notes.append(f"{where.task_name}: annotation {annotation.get('id', j)} by {who} was skipped; left out")
        elif annotator is not None and annotator not in _names(annotation):
            notes.append(f"{where.task_name}: annotation {annotation.get('id', j)} by {who} is not by {annotator}; "
                         "left out")
        else:
            usable.append((j, annotation))
    if not usable:
        if not annotations:
            notes.append(f"{where.task_name}: not annotated; its records stay as they are")
        return None
    if len(usable) > 1 and not newest:
        listed = "; ".join(f"annotation {a.get('id', j)} by {_annotator(a)}, saved {_saved(a) or 'unknown'}"
                           for j, a in usable)
        problems.append(where.problem(f"{len(usable)} annotations ({listed}); choose one with --annotator or "
                                      "--newest", sub=".annotations"))
        return None
    usable.sort(key=lambda item: (_saved(item[1]), str(item[1].get("id", item[0]))))
    for j, annotation in usable[:-1]:
        notes.append(f"{where.task_name}: annotation {annotation.get('id', j)} by {_annotator(annotation)} is older "
                     "than another; left out (--newest)")
    return usable[-1]


def _annotator(annotation: dict) -> str:
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("id"))
    return f"user {completed_by}" if completed_by is not None else "unknown"


def _names(annotation: dict) -> set[str]:
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        return {str(completed_by.get(k)) for k in ("id", "email") if completed_by.get(k) is not None}
    return {str(completed_by)} if completed_by is not None else set()


def _saved(annotation: dict) -> str:
    return str(annotation.get("updated_at") or annotation.get("created_at") or "")


def _unplaced(where: Where, annotations: list[Any], why: str) -> list[Problem]:
    """Each region of a task that cannot be placed, by name: nothing leaves an import unreported."""
    problems = []
    for j, annotation in enumerate(annotations):
        results = annotation.get("result") if isinstance(annotation, dict) else None
        for k, result in enumerate(results if isinstance(results, list) else []):
            region_id = result.get("id") if isinstance(result, dict) else None
            if isinstance(result, dict) and result.get("type") == "relation":
                region_id = f"{result.get('from_id')}->{result.get('to_id')}"
            problems.append(Problem(where.path, 0, f"{where.field()}.annotations[{j}].result[{k}]",
                                    f"{where.name(region_id)}: left out: {why}"))
    return problems


def _existing(folder: Path, config: str, problems: list[Problem]) -> list[Row]:
    """The rows of an annotation file that match their schema; the problems of the others are added."""
    rows, found = read_jsonl(folder / f"{config}.jsonl", missing_ok=True)
    problems += found
    return _sound(config, rows, problems)


def _sound(config: str, rows: list[Row], problems: list[Problem]) -> list[Row]:
    # Converters and merges use these rows before the final check: a value of the wrong type never reaches them.
    sound = []
    for row in rows:
        found = record_problems(RECORD_TYPES[config], row, annotation=True)
        problems += found
        if not found:
            sound.append(row)
    return sound


def _registries(root: Path, folder: Path, chosen: Converter, tasks: list[Any], source: str,
                problems: list[Problem]) -> dict[str, list[Row]]:
    """Registries the records refer to: the target's own; else (for ones the tasks carry) the tasks' copy."""
    registries: dict[str, list[Row]] = {}
    for config in ("entities", *chosen.carries):
        path = folder / f"{config}.jsonl"
        if not path.exists() and config == "entities":
            path = root / GOLD_DIR / f"{config}.jsonl"  # a pass shares the gold's entity registry
        if path.exists():
            registries[config] = _existing(path.parent, config, problems)
        elif config in chosen.carries:
            registries[config] = _carried(config, tasks, source, problems)
        else:
            registries[config] = []
    return registries


def _carried(config: str, tasks: list[Any], source: str, problems: list[Problem]) -> list[Row]:
    key = RECORD_TYPES[config].key
    found: dict[tuple[Any, ...], Row] = {}
    for index, task in enumerate(tasks):
        data = task.get("data") if isinstance(task, dict) else None
        registry = data.get(REGISTRY) if isinstance(data, dict) else None
        carried = registry.get(config, []) if isinstance(registry, dict) else []
        for n, record in enumerate(carried if isinstance(carried, list) else []):
            if not isinstance(record, dict):
                continue
            # A key of the wrong type is a schema problem, reported when the records are checked.
            record_key = tuple(json.dumps(record.get(k), sort_keys=True) for k in key)
            where = f"tasks[{index}].data.{REGISTRY}.{config}[{n}]"
            if record_key in found and found[record_key].data != record:
                named = "/".join(str(record.get(k)) for k in key)
                problems.append(Problem(source, 0, where, f"{config} {named} differs from the copy in "
                                                          f"{found[record_key].path}"))
            found.setdefault(record_key, Row(record, where, 0))
    return _sound(config, [OriginRow(row.data, source, 0, origin=Origin(row.path, f"{config} record"))
                           for row in found.values()], problems)


def _check(root: Path, articles: Mapping[str, Article], merged: dict[str, list[Row]],
           registry: dict[str, list[Row]]) -> list[Problem]:
    """The checks of ``newsgold check`` on what would be written, its problems pointing into the export."""
    rows: dict[str, list[Row]] = {config: [] for config in CONFIGS}
    rows["articles"] = article_rows(dict(articles), root / RAW_DIR)
    for config, config_rows in [*registry.items(), *merged.items()]:
        rows[config] = [_copy(row) for row in config_rows]
    return check_annotations(rows, dict(articles))


def _copy(row: Row) -> Row:
    # Deriving adds the released fields (offsets of lines, the boilerplate flag); the files do not carry them.
    if isinstance(row, OriginRow):
        return OriginRow(deepcopy(row.data), row.path, row.line, origin=row.origin)
    return Row(deepcopy(row.data), row.path, row.line)
