"""Boilerplate in Label Studio: the article's non-empty lines as Paragraphs, one role per line.

Each non-empty line is one paragraph (its number shown beside it), so a region maps to whole lines by index
and never by character offsets. Labelling is fast: pick a role (hotkey) and click a line's "label whole
utterance" button, or select across several lines to give them all that role.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..errors import Problem
from ..jsonl import Row
from ..release.dataset import Release
from .converter import Converter, Prediction
from .core import Annotation, Draft, Records, Result, Unit, line_region
from .offsets import Offsets

CONTROL = "role"


class Boilerplate(Converter):
    task = "boilerplate"
    writes = ("boilerplate",)
    shows = ("lines",)

    def data(self, unit: Unit, registry: Records) -> dict[str, Any]:
        article = unit.article
        return {"article_id": article.article_id,
                "lines": [{"line": str(line.line_no), "text": line.text} for line in article.content_lines]}

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        article = unit.article
        roles = {r["line_no"]: r["role"] for r in records.get("boilerplate", [])
                 if r["article_id"] == article.article_id}
        return [line_region(f"L{line.line_no}", CONTROL, roles[line.line_no], index, line)
                for index, line in enumerate(article.content_lines) if line.line_no in roles]

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        # A system that only says whether a line is boilerplate is shown as body or other, for the annotator
        # to refine; one that gives a role is shown with it.
        results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        problems = []
        for row in rows:
            unit = units.get(f"{self.task}:{row.data.get('article_id')}")
            lines = {line.line_no: (i, line) for i, line in enumerate(unit.article.content_lines)} if unit else {}
            if unit is None or row.data.get("line_no") not in lines:
                problems.append(row.problem("line_no", "not a non-empty line of an article"))
                continue
            index, line = lines[row.data["line_no"]]
            role = row.data.get("role") or ("other" if row.data.get("is_boilerplate") else "body")
            results[unit.key].append(line_region(f"L{line.line_no}", CONTROL, role, index, line))
        return {key: Prediction(result) for key, result in results.items()}, problems

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        article = unit.article
        lines = article.content_lines
        roles: dict[int, tuple[str, Result]] = {}
        for region in annotation.regions:
            span = next((r for r in region.spans() if r.control == CONTROL), None)
            if span is None:
                continue  # reported as a leftover
            if len(span.values) != 1:
                annotation.reject(span, f"a line has one role; this region has {len(span.values)}",
                                  ".value.paragraphlabels")
                continue
            covered = annotation.paragraphs(span, lines)
            if covered is None:
                continue
            role = span.values[0]
            clash = next((line for line in covered if roles.get(line.line_no, (role,))[0] != role), None)
            if clash is not None:
                other_role, other = roles[clash.line_no]
                annotation.reject(span, f"line {clash.line_no} is {role} here but {other_role} in region {other.id}")
                continue
            annotation.take(span)
            for line in covered:
                roles.setdefault(line.line_no, (role, span))
        for line in lines if not annotation.rejected else []:  # a rejected region may have held the line
            if line.line_no not in roles:
                annotation.problems.append(annotation.where.problem(
                    f"line {line.line_no} has no role: {line.text[:40]!r}", sub=".result"))
        return [Draft("boilerplate", {"article_id": article.article_id, "line_no": line.line_no, "text": line.text,
                                      "role": roles[line.line_no][0]}, annotation.origin(roles[line.line_no][1]))
                for line in lines if line.line_no in roles]
