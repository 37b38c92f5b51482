"""The shape every task's converter has: records → Label Studio tasks, and an annotation → records.

A converter names its task, the configs it writes, and fills in six hooks:

- ``units``: the Label Studio tasks of a corpus (one per article by default),
- ``data``: what a task shows (the article's text or lines, the registry entries to choose from),
- ``results``: the regions that show the records of one task,
- ``predictions``: the regions that show a system's output, by task,
- ``records``: the records an annotation of one task holds,
- ``scope``: which tasks a record belongs to, so that an import replaces exactly what it read.

``to_tasks`` and ``from_results`` are the same for every task; a new task is a new subclass.

:class:`SpanConverter` is the base of the tasks that show one article's text and label spans of it (passages,
quotes, events): the task's data, a system's spans as typed regions, the records of an article in text order,
and the ids a record keeps or is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..corpus import ID_PATTERN, Article
from ..errors import Problem
from ..jsonl import Row
from ..release.dataset import Release
from . import core
from .core import Annotation, Draft, OriginRow, Records, Region, Result, Unit, kept_id, predicted_span, text_region
from .offsets import Offsets

UNTYPED = "untyped"  # the label of a system's span that has no type: the annotator must give it one
# What a task shows beside a system's span region: values attached to it, from the prediction row.
PredictedValues = Callable[[dict[str, Any], Row], list[dict[str, Any]]]


@dataclass
class Prediction:
    """A system's output for one task: its regions and, when the system gives one, its score in [0, 1]."""

    result: list[dict[str, Any]]
    score: float | None = None


class Converter:
    task: str = ""  # a key of newsgold.tasks.TASKS; writes + carries are that task's configs
    writes: tuple[str, ...] = ()  # configs built from the regions
    carries: tuple[str, ...] = ()  # registry configs a task carries in its data, restored when the target has none
    id_field: str | None = None  # the key of records whose ids travel as region ids
    shows: tuple[str, ...] = ()  # data fields that show the article: an import refuses them when they changed

    # -- hooks

    def units(self, articles: Mapping[str, Article]) -> list[Unit]:
        return core.article_units(self.task, articles)

    def data(self, unit: Unit, registry: Records) -> dict[str, Any]:
        raise NotImplementedError

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        raise NotImplementedError

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        """Regions showing a system's output (rows of a prediction file the scorer has checked), by task key."""
        raise NotImplementedError

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        raise NotImplementedError

    def scope(self, config: str, record: dict[str, Any]) -> set[str]:
        """The keys of the tasks a record belongs to (by default the task of its article)."""
        article_id = record.get("article_id")
        return {f"{self.task}:{article_id}"} if isinstance(article_id, str) else set()

    # -- shared

    def to_tasks(self, articles: Mapping[str, Article], *, registry: Records, offsets: Offsets,
                 records: Records | None = None, predictions: dict[str, Prediction] | None = None,
                 model_version: str = "") -> list[dict[str, Any]]:
        """One Label Studio task per unit: its data, the records as an annotation, a system's output as a prediction.

        With ``records`` every task gets an annotation, an empty one where the records have nothing for it
        (an article without quotes is annotated too). Without them the tasks are left to annotate.
        """
        tasks = []
        for unit in self.units(articles):
            task: dict[str, Any] = {"data": {core.TASK_KEY: unit.key, **self.data(unit, registry)}}
            if records is not None:
                result = self.results(unit, records, offsets)
                if self.id_field:
                    task["data"][core.RECORD_IDS] = sorted({r["id"] for r in result if _is_record_region(r)})
                task["annotations"] = [{"result": result}]
            if predictions is not None and unit.key in predictions:
                prediction = predictions[unit.key]
                entry: dict[str, Any] = {"model_version": model_version, "result": prediction.result}
                if prediction.score is not None:
                    entry["score"] = prediction.score
                task["predictions"] = [entry]
            tasks.append(task)
        return tasks

    def from_results(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        """The records of one annotation; every result not in a record is added to the annotation's problems."""
        drafts = self.records(unit, annotation, offsets, registry)
        annotation.problems += annotation.leftovers()
        return drafts

    def merge(self, config: str, existing: list[Row], drafts: list[OriginRow], covered: set[str]) -> list[Row]:
        """The target's records outside the tasks read, and the records read from those tasks."""
        kept = [row for row in existing if not self.scope(config, row.data) & covered]
        return kept + list(drafts)

    def registry_data(self, registry: Records) -> dict[str, Any]:
        """The registry records the tasks carry, so that an import into an empty pass can restore them."""
        return {core.REGISTRY: {config: registry.get(config, []) for config in self.carries}} if self.carries else {}


class SpanConverter(Converter):
    """A task that shows one article's text and labels spans of it with ``span_control``."""

    shows = ("text",)
    span_control: str = ""  # the control whose labels mark the task's spans
    id_prefix: str = ""  # a new record's id is ``<id_prefix>-<article_id>-NN`` (tasks with ``id_field``)

    # -- hooks

    def options(self, registry: Records) -> dict[str, Any]:
        """What a task offers to choose from besides the text (registry entries), by data field."""
        return {}

    def prediction_values(self, release: Release) -> PredictedValues:
        """What to attach to a system's span region (by default nothing)."""
        return lambda region, row: []

    # -- shared

    def data(self, unit: Unit, registry: Records) -> dict[str, Any]:
        return {"article_id": unit.article.article_id, "text": unit.article.text, **self.options(registry)}

    def article_records(self, records: Records, unit: Unit) -> list[dict[str, Any]]:
        """The records of the task's config about the unit's article, in text order."""
        config, article_id = self.writes[0], unit.article.article_id
        id_field = self.id_field
        return sorted((r for r in records.get(config, []) if r["article_id"] == article_id),
                      key=lambda r: (r["start"], r["end"], r[id_field] if id_field else ""))

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        """One region per predicted span, labelled with its type (or ``untyped``), and the values it attaches.

        A system's regions are named by their line in the prediction file (an upper-case id: never a record's).
        """
        values = self.prediction_values(release)
        results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        problems: list[Problem] = []
        for number, row in enumerate(rows, start=1):
            unit = units.get(f"{self.task}:{row.data.get('article_id')}")
            span = predicted_span(row, unit, problems) if unit is not None else None
            if unit is None or span is None:
                continue
            region = text_region(f"Predicted-{number}", self.span_control, row.data.get("type") or UNTYPED, span,
                                 unit.article, offsets)
            results[unit.key] += [region, *values(region, row)]
        return {key: Prediction(result) for key, result in results.items()}, problems

    def draft(self, annotation: Annotation, region: Region, result: Result, fields: dict[str, Any]) -> Draft:
        """A record with the region's id when the export carried it as a record id, else marked for a new id."""
        if self.id_field is None:
            raise TypeError(f"{self.task} records have no id to keep")
        record_id = kept_id(region.id, annotation.data)
        prefix = f"{self.id_prefix}-{fields['article_id']}-"
        return Draft(self.writes[0], {self.id_field: record_id, **fields}, annotation.origin(result),
                     id_prefix=None if record_id else prefix)


def _is_record_region(result: dict[str, Any]) -> bool:
    # Record ids follow the id pattern (lower case); regions that hold no record of their own (cues, speaker
    # mentions, lines) have ids that start with an upper-case letter, so the two never meet.
    region_id = result.get("id")
    return isinstance(region_id, str) and result.get("type") == "labels" and bool(ID_PATTERN.match(region_id))
