"""What every Label Studio converter shares: tasks, regions, the reading of an export, and its checks.

A Label Studio *task* is one article (or one pair of articles) with its data, and optionally annotations and
predictions, each a list of *results*. A result is a span (``labels`` on a Text, ``paragraphlabels`` on
Paragraphs), a value attached to a span (a per-region ``choices`` or ``textarea`` sharing the span's ``id``),
a value of the whole task (``choices``/``textarea`` without a position) or a ``relation`` between two regions.

Reading an export trusts nothing: Label Studio stores whatever it is sent. Each result is checked against the
labeling config with the SDK's ``LabelInterface`` (controls, labels, value shapes), each span's text against
the raw article, and every result must either end up in a record or be reported by name. A problem names the
place in the export (``tasks[i].annotations[j].result[k]``), the task's id and the region's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import ID_PATTERN, Article, Line
from ..errors import InputError, Problem
from ..jsonl import Row
from ..spans import Span, span_problem
from .offsets import Offsets, utf16_length

if TYPE_CHECKING:
    from label_studio_sdk.label_interface import LabelInterface

TASK_KEY = "newsgold_id"  # the task's external id in its data: Label Studio renumbers tasks on import
RECORD_IDS = "newsgold_record_ids"  # the record ids a task's regions carried when it was exported
REGISTRY = "newsgold_registry"  # registry records (e.g. events) a task carries so that an import can restore them
CONFIG_DIR = Path("annotation") / "labelstudio"

SPAN_KINDS = ("labels", "paragraphlabels")
VALUE_KINDS = ("choices", "textarea")
# The key under which each kind of result holds its labels or values.
VALUE_KEY = {"labels": "labels", "paragraphlabels": "paragraphlabels", "choices": "choices", "textarea": "text"}

Records = Mapping[str, list[dict[str, Any]]]


# --- tasks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What one Label Studio task shows: one article, or the two articles of a pair."""

    key: str  # the task's newsgold_id, e.g. "quotes:a1" or "doc_pairs:a1/a2"
    articles: tuple[Article, ...]

    @property
    def article(self) -> Article:
        return self.articles[0]


def unit_key(task: str, *article_ids: str) -> str:
    return f"{task}:{'/'.join(article_ids)}"


def article_units(task: str, articles: Mapping[str, Article]) -> list[Unit]:
    return [Unit(unit_key(task, article_id), (articles[article_id],)) for article_id in sorted(articles)]


def config_path(root: Path, task: str) -> Path:
    return root / CONFIG_DIR / f"{task}.xml"


def load_config(root: Path, task: str) -> str:
    """The task's labeling config, once Label Studio's own checks (through the SDK) accept it."""
    path = config_path(root, task)
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "-", "no labeling config for this task")])
    config = path.read_text(encoding="utf-8")
    try:
        interface(config)
    except Exception as error:  # the SDK raises its own validation errors and lxml's parse errors
        raise InputError([Problem(str(path), 0, "-", f"not a valid labeling config: {error}")]) from None
    return config


@cache
def interface(config: str) -> LabelInterface:
    """The parsed and validated labeling config (the SDK is imported here: it takes a while to load)."""
    from label_studio_sdk.label_interface import LabelInterface

    parsed = LabelInterface(config)
    parsed.validate()
    return parsed


# --- results written for Label Studio ---------------------------------------------------------------------


def text_region(region_id: str, control: str, label: str, span: Span, article: Article, offsets: Offsets,
                to_name: str = "text") -> dict[str, Any]:
    """A labelled span of a Text object, its offsets in the unit the editor counts."""
    return {"id": region_id, "from_name": control, "to_name": to_name, "type": "labels",
            "value": {"start": offsets.to_studio(article.text, span.start),
                      "end": offsets.to_studio(article.text, span.end),
                      "text": span.text, "labels": [label]}}


def line_region(region_id: str, control: str, label: str, index: int, line: Line,
                to_name: str = "lines") -> dict[str, Any]:
    """A labelled paragraph of a Paragraphs object: the whole of paragraph ``index``, which shows ``line``.

    The editor keeps paragraph indices as strings and measures offsets inside a paragraph in UTF-16 units
    (it reads them from the browser's selection); only the indices carry meaning here.
    """
    return {"id": region_id, "from_name": control, "to_name": to_name, "type": "paragraphlabels",
            "value": {"start": str(index), "end": str(index), "startOffset": 0,
                      "endOffset": utf16_length(line.text), "text": line.text, "paragraphlabels": [label]}}


def attached(region: dict[str, Any], control: str, kind: str, values: list[str]) -> dict[str, Any]:
    """A per-region value (``choices`` or ``textarea``): same id and position as ``region``."""
    position = {k: region["value"][k] for k in ("start", "end", "text") if k in region["value"]}
    if kind == "textarea":
        position.pop("text", None)  # a per-region text area keeps its own values under "text"
    return {"id": region["id"], "from_name": control, "to_name": region["to_name"], "type": kind,
            "value": {**position, VALUE_KEY[kind]: values}}


def whole_task(result_id: str, control: str, kind: str, values: list[str], to_name: str) -> dict[str, Any]:
    """A value of the whole task, e.g. the relation of a pair of articles."""
    return {"id": result_id, "from_name": control, "to_name": to_name, "type": kind,
            "value": {VALUE_KEY[kind]: values}}


def relation(from_id: str, to_id: str) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": []}


# --- reading an export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """One annotation of one task in an export: how problems point at it and name it."""

    path: str
    task_index: int
    task_id: Any = None  # Label Studio's id, absent in a file written by `ls export`
    key: str | None = None  # the newsgold_id
    annotation_index: int | None = None

    @property
    def task_name(self) -> str:
        names = [str(self.task_id)] if self.task_id is not None else []
        if self.key:
            names.append(f"({self.key})" if names else self.key)
        return "task " + (" ".join(names) if names else f"#{self.task_index}")

    def field(self, result_index: int | None = None, sub: str = "") -> str:
        place = f"tasks[{self.task_index}]"
        if self.annotation_index is not None:
            place += f".annotations[{self.annotation_index}]"
        if result_index is not None:
            place += f".result[{result_index}]"
        return place + sub

    def name(self, region_id: Any = None) -> str:
        return self.task_name + (f", region {region_id}" if region_id is not None else "")

    def problem(self, message: str, result_index: int | None = None, sub: str = "",
                region_id: Any = None) -> Problem:
        return Problem(self.path, 0, self.field(result_index, sub), f"{self.name(region_id)}: {message}")


@dataclass(frozen=True)
class Origin:
    """Where a record came from, so that any later check of it names the task and region."""

    field: str
    name: str


@dataclass
class Draft:
    """A record read from an export, with its origin. ``id_prefix`` is set when the record needs a new id."""

    config: str
    record: dict[str, Any]
    origin: Origin
    id_prefix: str | None = None


@dataclass
class OriginRow(Row):
    """A row whose problems point at the export's task and region rather than at a line of a file."""

    origin: Origin = field(default_factory=lambda: Origin("-", "-"))

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.path, 0, self.origin.field, f"{self.origin.name}: {field}: {message}")


@dataclass
class Result:
    """One checked result that is not a relation."""

    index: int
    id: Any
    control: str
    kind: str
    values: list[Any]
    value: dict[str, Any]

    @property
    def has_position(self) -> bool:
        return "start" in self.value or "end" in self.value


@dataclass
class Region:
    """The results that share one id: a span and what is attached to it."""

    id: Any
    results: list[Result]

    def spans(self) -> list[Result]:
        return [r for r in self.results if r.kind in SPAN_KINDS]

    def attached(self, control: str) -> Result | None:
        return next((r for r in self.results if r.control == control and r.kind in VALUE_KINDS), None)


@dataclass
class Link:
    index: int
    from_id: Any
    to_id: Any


class Annotation:
    """One annotation's results, checked against the labeling config and grouped into regions.

    Converters take what they understand (``take``) or report what is wrong (``reject``); whatever is left
    at the end is reported by ``leftovers``, so no result disappears without a word.
    """

    def __init__(self, results: Any, config: LabelInterface, where: Where, data: Mapping[str, Any]) -> None:
        self.where = where
        self.data = data
        self.problems: list[Problem] = []
        self.regions: list[Region] = []
        self.values: list[Result] = []  # results of the whole task
        self.links: list[Link] = []
        self._handled: set[int] = set()
        self.rejected: set[Any] = set()  # ids of regions reported wrong: what hangs on them is not reported again
        if not isinstance(results, list):
            self.problems.append(where.problem("result must be a list", sub=".result"))
            return
        checked = [self._check(index, raw, config) for index, raw in enumerate(results)]
        self.links = [r for r in checked if isinstance(r, Link)]
        # A region is the results sharing the id of a span; a value with no span's id and no position belongs
        # to the whole task. Grouping by id, not by position, keeps a per-region value with its span even if an
        # editor left the position out of it.
        spans = {r.id for r in checked if isinstance(r, Result) and r.kind in SPAN_KINDS}
        by_id: dict[Any, Region] = {}
        for result in checked:
            if not isinstance(result, Result):
                continue
            if result.id in spans or result.has_position:
                if result.id not in by_id:
                    by_id[result.id] = Region(result.id, [])
                    self.regions.append(by_id[result.id])
                by_id[result.id].results.append(result)
            else:
                self.values.append(result)
        known = {region.id for region in self.regions}
        for link in self.links:
            if {link.from_id, link.to_id} & self.rejected:
                self._handled.add(link.index)  # it goes with the region reported wrong
                continue
            for end, region_id in (("from_id", link.from_id), ("to_id", link.to_id)):
                if region_id not in known:
                    self.reject_link(link, f"relation {end} {region_id!r} names no region of this annotation",
                                     sub=f".{end}")

    def _check(self, index: int, raw: Any, config: LabelInterface) -> Result | Link | None:
        if not isinstance(raw, dict):
            self._fail(self.where.problem("a result must be an object", index), index)
            return None
        wrong = _shape_problem(raw)
        if wrong is not None:
            self._fail(self.where.problem(wrong[1], index, wrong[0]), index)
            return None
        if raw.get("type") == "relation":
            return Link(index, raw.get("from_id"), raw.get("to_id"))
        result = self._checked(index, raw, config)
        if result is None and raw.get("id") is not None:
            self.rejected.add(raw.get("id"))
        return result

    def _checked(self, index: int, raw: dict[str, Any], config: LabelInterface) -> Result | None:
        where = self.where
        region_id = raw.get("id")
        control_name = raw.get("from_name")
        controls = {control.name: control for control in config.controls}
        control = controls.get(control_name)
        if control is None:
            self._fail(where.problem(f"unknown control {control_name!r}; the labeling config has "
                                     f"{', '.join(sorted(controls))}", index, ".from_name", region_id), index)
            return None
        kind = str(raw.get("type", "")).lower()
        value = raw.get("value")
        values = value.get(VALUE_KEY.get(kind, ""), None) if isinstance(value, dict) else None
        if control.labels and isinstance(values, list):
            unknown = [v for v in values if v not in control.labels]
            if unknown:
                self._fail(where.problem(f"unknown label {unknown[0]!r} for {control_name}; known: "
                                         f"{', '.join(control.labels)}", index, f".value.{VALUE_KEY[kind]}",
                                         region_id), index)
                return None
        for message in config.validate_region(raw, return_errors=True, region_index=index):
            self._fail(where.problem(_sdk_message(message), index, "", region_id), index)
            return None
        if not isinstance(values, list) or not values:
            self._fail(where.problem(f"{control_name} has no value", index, f".value.{VALUE_KEY[kind]}",
                                     region_id), index)
            return None
        return Result(index, region_id, control.name, kind, values, value)  # type: ignore[arg-type]

    def _fail(self, problem: Problem, *indices: int) -> None:
        self.problems.append(problem)
        self._handled.update(indices)

    # -- for converters

    def take(self, *results: Result | Link | None) -> None:
        """Mark results as turned into a record."""
        self._handled.update(r.index for r in results if r is not None)

    def reject(self, region: Region | Result, message: str, sub: str = "") -> None:
        """Report a region (all its results) or one result as wrong; it is then handled."""
        results = region.results if isinstance(region, Region) else [region]
        first = min(results, key=lambda r: r.index)
        self._fail(self.where.problem(message, first.index, sub, first.id), *(r.index for r in results))
        self.rejected.add(first.id)

    def reject_link(self, link: Link, message: str, sub: str = "") -> None:
        self._fail(self.where.problem(message, link.index, sub, f"{link.from_id}->{link.to_id}"), link.index)

    def origin(self, result: Result) -> Origin:
        return Origin(self.where.field(result.index), self.where.name(result.id))

    def span(self, result: Result, article: Article, offsets: Offsets, region: Region | None = None) -> Span | None:
        """The checked span of a Text region in code points; rejects it (and ``region``) when its text differs."""
        found = self._span(result, article, offsets)
        if found is None and region is not None:
            self._handled.update(r.index for r in region.results)  # the one problem names the whole region
        if found is None:
            self.rejected.add(result.id)
        return found

    def _span(self, result: Result, article: Article, offsets: Offsets) -> Span | None:
        start, end = result.value.get("start"), result.value.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            self.reject(result, "start and end must be integers", ".value")
            return None
        first, last = offsets.from_studio(article.text, start), offsets.from_studio(article.text, end)
        if first is None or last is None:
            self.reject(result, f"offsets [{start}, {end}) are not character boundaries of {article.article_id} "
                                f"in {offsets.unit}", ".value.start")
            return None
        text = result.value.get("text")
        message = None if same_text(article.text[first:last], text) else span_problem(article.text, first, last, text)
        if message:
            self.reject(result, f"{article.article_id}: {message}{_unit_hint(article.text, start, end, text, offsets)}",
                        ".value.text")
            return None
        return Span(first, last, article.text[first:last])

    def paragraphs(self, result: Result, lines: list[Line]) -> list[Line] | None:
        """The lines a Paragraphs region covers (every paragraph from ``start`` to ``end``), text checked."""
        try:
            first, last = int(result.value["start"]), int(result.value["end"])
        except (KeyError, TypeError, ValueError):
            self.reject(result, "start and end must be paragraph numbers", ".value")
            return None
        if not 0 <= first <= last < len(lines):
            self.reject(result, f"paragraphs {first}..{last} outside the task's {len(lines)} lines", ".value.start")
            return None
        covered = lines[first:last + 1]
        text = result.value.get("text")
        # The editor stores the selected text, which may be part of a line; compare as the editor itself does,
        # without white space, so that a region never moves to another line's text unnoticed.
        if text is not None and _squeeze(str(text)) not in _squeeze("".join(line.text for line in covered)):
            lines_text = " | ".join(line.text for line in covered)
            self.reject(result, f"text {_clip(text)!r} is not in line(s) "
                                f"{', '.join(str(line.line_no) for line in covered)}: {_clip(lines_text)!r}",
                        ".value.text")
            return None
        return covered

    def leftovers(self) -> list[Problem]:
        """Every result that is in no record and was not reported: reported now."""
        problems = []
        for region in self.regions:
            why = "its region is not read by this task" if region.spans() else "no labelled span has its id"
            for result in region.results:
                if result.index not in self._handled and result.id not in self.rejected:
                    problems.append(self.where.problem(f"{result.control} {_values(result)} is in no record: {why}",
                                                       result.index, "", result.id))
        for result in self.values:
            if result.index not in self._handled:
                problems.append(self.where.problem(f"{result.control} {_values(result)} is not read by this "
                                                   "task", result.index, "", result.id))
        for link in self.links:
            if link.index not in self._handled and not {link.from_id, link.to_id} & self.rejected:
                problems.append(self.where.problem("relation is in no record", link.index, "",
                                                   f"{link.from_id}->{link.to_id}"))
        return problems


# The fields of a result whose type is checked before any of them is used (Label Studio writes strings).
RESULT_FIELDS = ("id", "from_name", "to_name", "type")
RELATION_FIELDS = ("from_id", "to_id")


def _shape_problem(raw: dict[str, Any]) -> tuple[str, str] | None:
    """``(field, message)`` when a result's names and ids are not strings or its value is not an object.

    A result is checked against the labeling config only once its shape is right, so that no value of the
    wrong type ever reaches the SDK or a lookup by id.
    """
    relation = raw.get("type") == "relation"
    for name in RELATION_FIELDS if relation else RESULT_FIELDS:
        if name in raw and not isinstance(raw[name], str):
            return f".{name}", f"{name} must be a string, not {json_type(raw[name])}"
    if not relation and "value" in raw and not isinstance(raw["value"], dict):
        return ".value", f"value must be an object, not {json_type(raw['value'])}"
    return None


def json_type(value: Any) -> str:
    """The JSON name of a value's type, with its article: ``a string``, ``an object``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names: dict[type, str] = {str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def same_text(raw: str, shown: Any) -> bool:
    """Whether a region's text is the article's text at its offsets, as the editor writes it.

    Measured in the Label Studio 1.23 editor: a region across lines holds each line break as the two
    characters ``\\n``, and where the text is not shown pre-wrapped (the configs here ask for it) a run of
    white space comes as one space. Offsets count the raw characters either way, and a record always takes
    its text from the article, so only white space may differ here, never a letter or a position.
    """
    if not isinstance(shown, str) or not raw:
        return False
    return shown == raw or _collapse(shown.replace("\\n", "\n")) == _collapse(raw)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _sdk_message(message: str) -> str:
    return re.sub(r"^Region \d+: ", "", message)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clip(value: Any, width: int = 40) -> str:
    value = str(value)
    return value if len(value) <= width else value[: width - 1] + "…"


def _values(result: Result) -> str:
    return ", ".join(repr(v) for v in result.values)


def _unit_hint(text: str, start: int, end: int, expected: Any, offsets: Offsets) -> str:
    """Name the other offset unit when the span matches in it: the export came from another editor version."""
    other = Offsets("utf16" if offsets.unit == "codepoints" else "codepoints")
    first, last = other.from_studio(text, start), other.from_studio(text, end)
    if first is not None and last is not None and first < last and same_text(text[first:last], expected):
        return f" (the offsets match in {other.unit}: use --offset-unit {other.unit})"
    return ""


def predicted_span(row: Row, unit: Unit, problems: list[Problem]) -> Span | None:
    """The span ``[start, end)`` (code points) a prediction gives in the unit's article; None, with a problem
    added, when it is not a span of the article."""
    text = unit.article.text
    start, end = row.data.get("start"), row.data.get("end")
    valid = isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
    message = span_problem(text, start, end, text[start:end] if valid else None)
    if message:
        problems.append(row.problem("start", message))
        return None
    return Span.of(text, start, end)  # type: ignore[arg-type]


# --- records --------------------------------------------------------------------------------------------


def assign_ids(drafts: Iterable[Draft], key: str, taken: set[str]) -> None:
    """Give each draft without an id the next free ``<prefix>NN``, in text order, never reusing a taken id."""
    pending = sorted((d for d in drafts if d.id_prefix is not None),
                     key=lambda d: (d.id_prefix, d.record.get("start", 0), d.record.get("end", 0)))
    for draft in pending:
        prefix = draft.id_prefix or ""
        numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", t))]
        new_id = f"{prefix}{max(numbers, default=0) + 1:02d}"
        draft.record[key] = new_id
        taken.add(new_id)
        draft.id_prefix = None


def kept_id(region_id: Any, data: Mapping[str, Any]) -> str | None:
    """A region keeps its id as the record id only when the export wrote it there; new regions get new ids."""
    exported = data.get(RECORD_IDS) or []
    if isinstance(region_id, str) and ID_PATTERN.match(region_id) and region_id in exported:
        return region_id
    return None
