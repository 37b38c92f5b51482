"""Events in Label Studio: trigger spans labelled by event type, each linked to an event of the registry.

The label is the event's type, so an annotator sees at a glance what a trigger means; the per-region choice
picks the event id from the registry the task carries (which an import restores into a pass that has none).
A trigger whose label differs from its event's type is refused: the registry holds the type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..dataset import Release
from ..errors import Problem
from ..jsonl import Row
from ..records import EVENT_TYPES
from ..spans import Span
from .converter import Converter, Prediction
from .core import Annotation, Draft, Records, Unit, attached, kept_id, predicted_span, text_region
from .offsets import Offsets

TRIGGER, EVENT = "trigger", "event"
UNTYPED = "untyped"  # shows a system's trigger with neither type nor event; the annotator must choose


class Events(Converter):
    task = "events"
    writes = ("event_mentions",)
    carries = ("events",)
    id_field = "mention_id"
    shows = ("text",)

    def data(self, unit: Unit, registry: Records) -> dict[str, Any]:
        options = [{"value": e["event_id"], "html": f"{e['event_id']} · {e['type']}: {e['description']}"}
                   for e in sorted(registry.get("events", []), key=lambda e: e["event_id"])]
        return {"article_id": unit.article.article_id, "text": unit.article.text, "events": options,
                **self.registry_data(registry)}

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        article = unit.article
        types = _types(records)
        mentions = sorted((m for m in records.get("event_mentions", []) if m["article_id"] == article.article_id),
                          key=lambda m: (m["start"], m["end"], m["mention_id"]))
        regions = []
        for mention in mentions:
            label = types.get(mention["event_id"], UNTYPED)
            region = text_region(mention["mention_id"], TRIGGER, label, Span.from_dict(mention), article, offsets)
            regions += [region, attached(region, EVENT, "choices", [mention["event_id"]])]
        return regions

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        # A system's ``event`` is its own cluster id, which names nothing in the registry: the trigger is
        # shown with its type (or untyped) and the annotator links it to a registry event.
        results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        problems: list[Problem] = []
        for number, row in enumerate(rows, start=1):
            unit = units.get(f"{self.task}:{row.data.get('article_id')}")
            span = predicted_span(row, unit, problems) if unit is not None else None
            if unit is None or span is None:
                continue
            label = row.data.get("type") or UNTYPED
            results[unit.key].append(text_region(f"Predicted-{number}", TRIGGER, label, span, unit.article, offsets))
        return {key: Prediction(result) for key, result in results.items()}, problems

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        article = unit.article
        types = _types(registry)
        drafts = []
        for region in annotation.regions:
            trigger = next((r for r in region.spans() if r.control == TRIGGER), None)
            if trigger is None:
                continue
            if len(trigger.values) != 1 or trigger.values[0] == UNTYPED:
                annotation.reject(region, f"give the trigger one event type: {', '.join(EVENT_TYPES)}",
                                  ".value.labels")
                continue
            event = region.attached(EVENT)
            if event is None or len(event.values) != 1:
                annotation.reject(region, "choose the trigger's event")
                continue
            event_id = event.values[0]
            if event_id not in types:
                annotation.reject(event, f"unknown event {event_id!r}; add it to events.jsonl first",
                                  ".value.choices")
                annotation.take(*region.results)
                continue
            if types[event_id] != trigger.values[0]:
                annotation.reject(region, f"labelled {trigger.values[0]} but event {event_id} is a "
                                          f"{types[event_id]}", ".value.labels")
                continue
            span = annotation.span(trigger, article, offsets, region)
            if span is None:
                continue
            annotation.take(trigger, event)
            record_id = kept_id(region.id, annotation.data)
            record = {"mention_id": record_id, "article_id": article.article_id, **span.to_dict(), "event_id": event_id}
            drafts.append(Draft("event_mentions", record, annotation.origin(trigger),
                                id_prefix=None if record_id else f"m-{article.article_id}-"))
        return drafts


def _types(records: Records) -> dict[str, str]:
    return {event["event_id"]: event["type"] for event in records.get("events", [])}


CONVERTER = Events()
to_tasks = CONVERTER.to_tasks
from_results = CONVERTER.from_results
