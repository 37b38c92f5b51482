"""Events in Label Studio: trigger spans labelled by event type, each linked to an event of the registry.

The label is the event's type, so an annotator sees at a glance what a trigger means; the per-region choice
picks the event id from the registry the task carries (which an import restores into a pass that has none).
A trigger whose label differs from its event's type is refused: the registry holds the type.
"""

from __future__ import annotations

from typing import Any

from ..records import EVENT_TYPES
from ..spans import Span
from .converter import UNTYPED, SpanConverter
from .core import Annotation, Draft, Records, Unit, attached, text_region
from .offsets import Offsets

TRIGGER, EVENT = "trigger", "event"


class Events(SpanConverter):
    task = "events"
    writes = ("event_mentions",)
    carries = ("events",)
    id_field = "mention_id"
    span_control = TRIGGER
    id_prefix = "m"
    # A system's ``event`` is its own cluster id, which names nothing in the registry: its trigger is shown with
    # its type (or untyped) and nothing attached, and the annotator links it to a registry event.

    def options(self, registry: Records) -> dict[str, Any]:
        events = [{"value": e["event_id"], "html": f"{e['event_id']} · {e['type']}: {e['description']}"}
                  for e in sorted(registry.get("events", []), key=lambda e: e["event_id"])]
        return {"events": events, **self.registry_data(registry)}

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        types = _types(records)
        regions = []
        for mention in self.article_records(records, unit):
            label = types.get(mention["event_id"], UNTYPED)
            region = text_region(mention["mention_id"], TRIGGER, label, Span.from_dict(mention), unit.article,
                                 offsets)
            regions += [region, attached(region, EVENT, "choices", [mention["event_id"]])]
        return regions

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
            drafts.append(self.draft(annotation, region, trigger,
                                     {"article_id": article.article_id, **span.to_dict(), "event_id": event_id}))
        return drafts


def _types(records: Records) -> dict[str, str]:
    return {event["event_id"]: event["type"] for event in records.get("events", [])}
