"""The shape every task's converter has: records → Label Studio tasks, and an annotation → records.

A converter names its task, the configs it writes, and fills in six hooks:

- ``units``: the Label Studio tasks of a corpus (one per article by default),
- ``data``: what a task shows (the article's text or lines, the registry entries to choose from),
- ``results``: the regions that show the records of one task,
- ``predictions``: the regions that show a system's output, by task,
- ``records``: the records an annotation of one task holds,
- ``scope``: which tasks a record belongs to, so that an import replaces exactly what it read.

``to_tasks`` and ``from_results`` are the same for every task; a new task is a new subclass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..corpus import ID_PATTERN, Article
from ..dataset import Release
from ..errors import Problem
from ..jsonl import Row
from .core import (
    RECORD_IDS,
    REGISTRY,
    TASK_KEY,
    Annotation,
    Draft,
    OriginRow,
    Records,
    Unit,
    article_units,
)
from .offsets import Offsets


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
        return article_units(self.task, articles)

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
            task: dict[str, Any] = {"data": {TASK_KEY: unit.key, **self.data(unit, registry)}}
            if records is not None:
                result = self.results(unit, records, offsets)
                if self.id_field:
                    task["data"][RECORD_IDS] = sorted({r["id"] for r in result if _is_record_region(r)})
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
        return {REGISTRY: {config: registry.get(config, []) for config in self.carries}} if self.carries else {}


def _is_record_region(result: dict[str, Any]) -> bool:
    # Record ids follow the id pattern (lower case); regions that hold no record of their own (cues, speaker
    # mentions, lines) have ids that start with an upper-case letter, so the two never meet.
    region_id = result.get("id")
    return isinstance(region_id, str) and result.get("type") == "labels" and bool(ID_PATTERN.match(region_id))
