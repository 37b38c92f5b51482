"""Document pairs in Label Studio: the two articles side by side, their relation, and a one-sentence note."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

from ..corpus import Article
from ..errors import Problem
from ..jsonl import Row
from ..records import RELATIONS
from ..release.dataset import Release
from .converter import Converter, Prediction
from .core import Annotation, Draft, Records, Unit, unit_key, whole_task
from .offsets import Offsets

RELATION, NOTE = "relation", "note"
TO_NAME = "text_a"


class DocPairs(Converter):
    task = "doc_pairs"
    writes = ("doc_pairs",)
    shows = ("text_a", "text_b")

    def units(self, articles: Mapping[str, Article]) -> list[Unit]:
        clusters: dict[str, list[Article]] = {}
        for article in articles.values():
            clusters.setdefault(article.cluster_id, []).append(article)
        return [Unit(unit_key(self.task, a.article_id, b.article_id), (a, b))
                for cluster_id in sorted(clusters)
                for a, b in combinations(sorted(clusters[cluster_id], key=lambda x: x.article_id), 2)]

    def data(self, unit: Unit, registry: Records) -> dict[str, Any]:
        a, b = unit.articles
        return {"a": a.article_id, "b": b.article_id, "text_a": a.text, "text_b": b.text}

    def results(self, unit: Unit, records: Records, offsets: Offsets) -> list[dict[str, Any]]:
        a, b = (article.article_id for article in unit.articles)
        record = next((r for r in records.get("doc_pairs", []) if (r["a"], r["b"]) == (a, b)), None)
        if record is None:
            return []
        result = [whole_task("Relation", RELATION, "choices", [record["relation"]], TO_NAME)]
        if "note" in record:
            result.append(whole_task("Note", NOTE, "textarea", [record["note"]], TO_NAME))
        return result

    def predictions(self, units: Mapping[str, Unit], rows: list[Row], offsets: Offsets,
                    release: Release) -> tuple[dict[str, Prediction], list[Problem]]:
        predictions: dict[str, Prediction] = {}
        problems = []
        for row in rows:
            prediction = row.data
            a, b = sorted((str(prediction.get("a")), str(prediction.get("b"))))
            key = unit_key(self.task, a, b)
            if key not in units:
                problems.append(row.problem("b", f"no pair of articles {a} / {b} in one cluster"))
                continue
            relation = prediction.get("relation")
            if relation is not None and relation not in RELATIONS:
                problems.append(row.problem("relation", f"unknown relation {relation!r}"))
                continue
            score = prediction.get("score")
            # Label Studio takes a prediction's score in [0, 1] only (it sorts tasks by it); others are not shown.
            shown = float(score) if isinstance(score, (int, float)) and 0 <= score <= 1 else None
            result = [whole_task("Relation", RELATION, "choices", [relation], TO_NAME)] if relation else []
            predictions[key] = Prediction(result, shown)
        return predictions, problems

    def records(self, unit: Unit, annotation: Annotation, offsets: Offsets, registry: Records) -> list[Draft]:
        a, b = (article.article_id for article in unit.articles)
        relation = [r for r in annotation.values if r.control == RELATION]
        notes = [r for r in annotation.values if r.control == NOTE]
        if not relation:
            annotation.problems.append(annotation.where.problem("no relation chosen", sub=".result"))
            annotation.take(*notes)  # a note without a relation is no record; the problem above names the pair
            return []
        for extra in relation[1:] + notes[1:]:
            annotation.reject(extra, f"a pair has one {extra.control}; this is another one")
        chosen = relation[0]
        if len(chosen.values) != 1:
            annotation.reject(chosen, f"a pair has one relation; {len(chosen.values)} chosen", ".value.choices")
            return []
        record: dict[str, Any] = {"a": a, "b": b, "relation": chosen.values[0]}
        if notes:
            note = notes[0]
            if len(note.values) != 1 or not isinstance(note.values[0], str):
                annotation.reject(note, "the note is one text", ".value.text")
                return []
            record["note"] = note.values[0]
            annotation.take(note)
        annotation.take(chosen)
        return [Draft("doc_pairs", record, annotation.origin(chosen))]

    def scope(self, config: str, record: dict[str, Any]) -> set[str]:
        return {unit_key(self.task, str(record.get("a")), str(record.get("b")))}
