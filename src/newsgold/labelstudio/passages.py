"""Passages in Label Studio: copied spans of one article, each with the id of its cluster.

A cluster spans articles, a task shows one: each member is a ``passage`` span whose per-region text field holds
the cluster id, and an import gathers the members of every task into clusters by that id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..errors import Problem
from ..jsonl import Row
from ..records import RECORD_TYPES
from ..release.dataset import Release
from ..spans import Span
from .converter import Prediction, SpanConverter
from .core import Annotation, Draft, OriginRow, Records, Unit, attached, predicted_span, text_region
from .offsets import Offsets

PASSAGE, CLUSTER = "passage", "cluster"


class Passages(SpanConverter):
    task = "passages"
    writes = ("passages",)
    span_control = PASSAGE

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        article = unit.article
        members = sorted((Span.from_dict(member), cluster["passage_cluster_id"])
                         for cluster in records.get("passages", []) for member in cluster["members"]
                         if member["article_id"] == article.article_id)
        return _regions(members, unit, offsets)

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        members: dict[str, list[tuple[Span, str]]] = defaultdict(list)
        problems: list[Problem] = []
        for number, row in enumerate(rows, start=1):
            for index, member in enumerate(row.data.get("cluster", [])):
                unit = units.get(f"{self.task}:{member.get('article_id')}")
                if unit is None:
                    problems.append(row.problem(f"cluster[{index}].article_id", "unknown article"))
                    continue
                span = predicted_span(Row(member, row.path, row.line), unit, problems)
                if span is not None:
                    # A system's clusters have no ids: each is named by its line in the prediction file.
                    members[unit.key].append((span, f"pred-{number:02d}"))
        predictions = {key: Prediction(_regions(sorted(spans), units[key], offsets)) for key, spans in members.items()}
        return predictions, problems

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        drafts = []
        for region in annotation.regions:
            span_result = next((r for r in region.spans() if r.control == PASSAGE), None)
            if span_result is None:
                continue
            cluster = region.attached(CLUSTER)
            if cluster is None or len(cluster.values) != 1 or not str(cluster.values[0]).strip():
                annotation.reject(region, "a passage needs one cluster id")
                continue
            span = annotation.span(span_result, unit.article, offsets, region)
            if span is None:
                continue
            annotation.take(span_result, cluster)
            member = {"article_id": unit.article.article_id, **span.to_dict()}
            record = {"passage_cluster_id": str(cluster.values[0]).strip(), "members": [member]}
            drafts.append(Draft("passages", record, annotation.origin(span_result)))
        return drafts

    def scope(self, config: str, record: dict[str, Any]) -> set[str]:
        return {f"{self.task}:{member.get('article_id')}" for member in record.get("members", [])
                if isinstance(member, dict)}

    def merge(self, config: str, existing: list[Row], drafts: list[OriginRow], covered: set[str]) -> list[Row]:
        """Clusters gather members across tasks: the target's members in articles not read, and those read."""
        clusters: dict[Any, Row] = {}
        for row in [*existing, *drafts]:
            cluster_id = row.data.get("passage_cluster_id")
            members = [m for m in row.data.get("members", [])
                       if isinstance(row, OriginRow) or not self.scope(config, {"members": [m]}) & covered]
            if not members:
                continue
            if cluster_id not in clusters:
                # A cluster read from the export is named by its first region, so its problems point there.
                clusters[cluster_id] = row if isinstance(row, OriginRow) else Row(dict(row.data), row.path, row.line)
                clusters[cluster_id].data = {"passage_cluster_id": cluster_id, "members": []}
            elif isinstance(row, OriginRow) and not isinstance(clusters[cluster_id], OriginRow):
                clusters[cluster_id] = OriginRow(clusters[cluster_id].data, row.path, row.line, origin=row.origin)
            clusters[cluster_id].data["members"].extend(members)
        for row in clusters.values():
            RECORD_TYPES["passages"].derive(row, {})  # type: ignore[misc]  # puts members in text order
        return list(clusters.values())


def _regions(members: list[tuple[Span, str]], unit: Unit, offsets: Offsets) -> list[dict[str, Any]]:
    regions = []
    for number, (span, cluster_id) in enumerate(members, start=1):
        region = text_region(f"Passage-{number}", PASSAGE, PASSAGE, span, unit.article, offsets)
        regions += [region, attached(region, CLUSTER, "textarea", [cluster_id])]
    return regions
