"""Quotes in Label Studio: quote spans by type, cue and speaker-mention spans, and relations between them.

A quote region carries its type as its label, the speaker entity (chosen from the registry the task carries)
and the quote cluster as per-region values, and its id is the quote id. Cues and speaker mentions are spans
of their own, linked from the quote by a relation; one mention may serve several quotes.
"""

from __future__ import annotations

from typing import Any

from ..jsonl import Row
from ..records import QUOTE_TYPES, UNKNOWN_SPEAKER
from ..release.dataset import Release
from ..spans import Span
from .converter import UNTYPED, PredictedValues, SpanConverter
from .core import Annotation, Draft, Link, Records, Region, Unit, attached, relation, text_region
from .offsets import Offsets

TYPE, PART, SPEAKER, CLUSTER = "type", "attribution", "speaker", "quote_cluster"
PARTS = {"cue": "Cue", "speaker_mention": "Speaker"}  # label → region id prefix (upper case: never a record id)


class Quotes(SpanConverter):
    task = "quotes"
    writes = ("quotes",)
    id_field = "quote_id"
    span_control = TYPE
    id_prefix = "q"

    def options(self, registry: Records) -> dict[str, Any]:
        speakers = [{"value": UNKNOWN_SPEAKER, "html": "unknown speaker"}]
        speakers += [{"value": e["entity_id"], "html": f"{e['name']} ({e['entity_id']})"}
                     for e in sorted(registry.get("entities", []), key=lambda e: e["entity_id"])]
        return {"speakers": speakers}

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        article = unit.article
        regions: list[dict[str, Any]] = []
        parts: dict[str, dict[str, Any]] = {}
        links = []
        for quote in self.article_records(records, unit):
            region = text_region(quote["quote_id"], TYPE, quote["type"], Span.from_dict(quote), article, offsets)
            regions += [region, attached(region, SPEAKER, "choices", [quote["speaker"]]),
                        attached(region, CLUSTER, "textarea", [quote["quote_cluster"]])]
            for label, prefix in PARTS.items():
                if quote.get(label) is None:
                    continue
                span = Span.from_dict(quote[label])
                part_id = f"{prefix}-{span.start}-{span.end}"
                parts.setdefault(part_id, text_region(part_id, PART, label, span, article, offsets))
                links.append(relation(quote["quote_id"], part_id))
        return regions + list(parts.values()) + links

    def prediction_values(self, release: Release) -> PredictedValues:
        # A system may name a speaker by id, name or alias (as the scorer reads it); the choice shows the id
        # when the name resolves to one entity, and is left for the annotator when it does not.
        from ..scoring.quotes import speaker_names

        names = speaker_names(release)

        def speaker(region: dict[str, Any], row: Row) -> list[dict[str, Any]]:
            entity = names.get(str(row.data.get("speaker", "")).strip().casefold())
            return [attached(region, SPEAKER, "choices", [entity])] if entity is not None else []

        return speaker

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        article = unit.article
        quotes: dict[Any, tuple[Region, Span]] = {}
        parts: dict[Any, tuple[str, Span]] = {}
        for region in annotation.regions:
            spans = region.spans()
            if len({r.control for r in spans}) > 1:
                annotation.reject(region, "a region is a quote or a cue/speaker mention, not both")
                continue
            if not spans:
                continue  # per-region values without a span: reported as leftovers
            result = spans[0]
            if len(result.values) != 1:
                annotation.reject(region, f"a region has one label; this one has {len(result.values)}",
                                  ".value.labels")
                continue
            label = result.values[0]
            if label == UNTYPED:
                annotation.reject(region, f"give the quote a type: {', '.join(QUOTE_TYPES)}", ".value.labels")
                continue
            span = annotation.span(result, article, offsets, region)
            if span is None:
                continue
            if result.control == TYPE:
                quotes[region.id] = (region, span)
            else:
                parts[region.id] = (label, span)
                annotation.take(result)
        linked: dict[Any, dict[str, tuple[Any, Span]]] = {quote_id: {} for quote_id in quotes}
        used_parts: set[Any] = set()
        known = {region.id for region in annotation.regions}
        for link in annotation.links:
            self._link(annotation, link, quotes, parts, linked, used_parts, known)
        for part_id, (label, _) in parts.items():
            if part_id not in used_parts:
                region = next(r for r in annotation.regions if r.id == part_id)
                annotation.reject(region, f"{label.replace('_', ' ')} is linked to no quote")
        options = annotation.data.get("speakers", [])
        speakers = {str(option.get("value")) for option in options if isinstance(option, dict)}
        drafts = []
        for quote_id, (region, span) in quotes.items():
            draft = self._quote(annotation, region, span, linked[quote_id], speakers)
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _link(self, annotation: Annotation, link: Link, quotes: dict[Any, Any], parts: dict[Any, Any],
              linked: dict[Any, dict[str, tuple[Any, Span]]], used_parts: set[Any], known: set[Any]) -> None:
        ends = (link.from_id, link.to_id)
        if not all(end in known for end in ends):
            return  # reported when the annotation was read
        if not all(end in quotes or end in parts for end in ends):
            # One of its regions was reported wrong already: the relation and the mention it links go with it.
            annotation.take(link)
            used_parts.update(end for end in ends if end in parts)
            return
        quote_id = next((end for end in ends if end in quotes), None)
        part_id = next((end for end in ends if end in parts), None)
        if quote_id is None or part_id is None:
            kind = "two quotes" if quote_id is not None else "two cue/speaker mentions"
            annotation.reject_link(link, f"relation links {kind}; a relation goes from a quote to its cue or "
                                         "speaker mention")
            return
        label, span = parts[part_id]
        previous = linked[quote_id].get(label)
        if previous is not None and previous[0] != part_id:
            annotation.reject_link(link, f"quote {quote_id} has one {label.replace('_', ' ')}; it is already "
                                         f"linked to {previous[0]}")
            return
        linked[quote_id][label] = (part_id, span)
        used_parts.add(part_id)
        annotation.take(link)

    def _quote(self, annotation: Annotation, region: Region, span: Span,
               links: dict[str, tuple[Any, Span]], speakers: set[str]) -> Draft | None:
        article_id = annotation.data.get("article_id")
        result = region.spans()[0]
        speaker, cluster = region.attached(SPEAKER), region.attached(CLUSTER)
        if speaker is None or len(speaker.values) != 1:
            annotation.reject(region, f"choose one speaker for the quote (or {UNKNOWN_SPEAKER})")
            return None
        if speakers and speaker.values[0] not in speakers:
            annotation.reject(speaker, f"unknown speaker {speaker.values[0]!r}", ".value.choices")
            annotation.take(*region.results)
            return None
        if cluster is None or len(cluster.values) != 1 or not str(cluster.values[0]).strip():
            annotation.reject(region, "give the quote one quote_cluster id")
            return None
        annotation.take(*region.results)
        return self.draft(annotation, region, result, {
            "article_id": article_id, "type": result.values[0], **span.to_dict(),
            **{label: links[label][1].to_dict() if label in links else None for label in PARTS},
            "speaker": speaker.values[0], "quote_cluster": str(cluster.values[0]).strip()})
