"""What the scoring tests share: the small release built once, perfect predictions, synthetic releases.

This module holds no test; the scoring tests import from it.
"""

from __future__ import annotations

import atexit
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from conftest import MINI, copy_tree
from newsgold.corpus import Article
from newsgold.records import BOILERPLATE_ROLES, CONTENT_ROLES, EVENT_TYPES, QUOTE_TYPES, RELATIONS
from newsgold.release.build import build
from newsgold.release.dataset import Release
from newsgold.scoring import read_predictions, scorer
from newsgold.scoring.boilerplate import gold_texts
from newsgold.scoring.core import Options

TASKS = ("boilerplate", "boilerplate_text", "doc_pairs", "passages", "quotes", "events")


@cache
def mini_data() -> Path:
    """The small fixture, built into a temporary folder once per test run: a valid release to score against."""
    root = Path(tempfile.mkdtemp(prefix="newsgold-scoring-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    copy_tree(MINI, root)
    build(root)
    return root / "data"


@cache
def mini_gold() -> Release:
    return Release.load(mini_data())


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def relation_score(relation: str) -> float:
    return float(len(RELATIONS) - RELATIONS.index(relation))


def perfect(task: str, gold: Release) -> list[dict[str, Any]]:
    """The predictions that say exactly what the gold says."""
    records = gold.records
    if task == "boilerplate":
        return [{"article_id": r["article_id"], "line_no": r["line_no"],
                 "is_boilerplate": r["role"] not in CONTENT_ROLES, "role": r["role"]} for r in records["boilerplate"]]
    if task == "boilerplate_text":
        return [{"article_id": a, "text": t} for a, t in gold_texts(gold, gold.articles).items()]
    if task == "doc_pairs":
        return [{"a": r["a"], "b": r["b"], "relation": r["relation"], "score": relation_score(r["relation"])}
                for r in records["doc_pairs"]]
    if task == "passages":
        return [{"cluster": [{k: m[k] for k in ("article_id", "start", "end")} for m in c["members"]]}
                for c in records["passages"]]
    if task == "quotes":
        return [{"article_id": q["article_id"], "start": q["start"], "end": q["end"], "type": q["type"],
                 "speaker": q["speaker"]} for q in records["quotes"]]
    if task == "events":
        types = {e["event_id"]: e["type"] for e in records["events"]}
        return [{"article_id": m["article_id"], "start": m["start"], "end": m["end"], "event": m["event_id"],
                 "type": types[m["event_id"]]} for m in records["event_mentions"]]
    raise ValueError(task)


def numbers(report: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a report by dotted path (numbers and nulls)."""
    out: dict[str, Any] = {}
    if isinstance(report, dict):
        for key, value in report.items():
            out.update(numbers(value, f"{prefix}{key}."))
    elif report is None or (isinstance(report, (int, float)) and not isinstance(report, bool)):
        out[prefix[:-1]] = report
    return out


RATES = ("precision", "recall", "f1", "accuracy", "macro_f1", "conll_f1", "roc_auc", "average_precision")


def rate_paths(report: dict[str, Any]) -> dict[str, Any]:
    """The rates of a report (metrics bounded by [0, 1]), bootstrap intervals and counts left out."""
    return {path: value for path, value in numbers(report).items()
            if path.split(".")[-1] in RATES and not path.startswith(("ci.", "bootstrap.", "counts."))}


def defined_rates(task: str, predictions: list[dict[str, Any]], gold: Release) -> dict[str, Any]:
    """The rates of a report in which a rate with a zero denominator is NaN instead of 0."""
    chosen = scorer(task)
    records = read_predictions(task, predictions, gold)
    return rate_paths(chosen.report(chosen.statistics(records, gold, None).total(), Options(undefined=math.nan)))


# ---------------------------------------------------------------------------------------------------------
# Synthetic releases, built in memory for property tests

WORDS = ("alpha", "beta", "gamma", "delta", "news", "said", "met", "talks", "Paris", "😀")


def _spans(draw: Callable[..., Any], length: int, most: int) -> list[tuple[int, int]]:
    """Disjoint spans [start, end) of a text of ``length`` code points."""
    if length < 2:
        return []
    points = sorted(draw(st.sets(st.integers(0, length), max_size=2 * most)))
    return [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2) if points[i] < points[i + 1]]


@st.composite
def releases(draw: Callable[..., Any]) -> Release:
    """A small release with every layer annotated: random texts, spans, clusters and labels."""
    n = draw(st.integers(1, 4))
    articles = {}
    for i in range(n):
        lines = draw(st.lists(st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join), min_size=1, max_size=6))
        article_id = f"a{i}"
        articles[article_id] = Article.from_text(article_id, "c", "\n".join(lines) + "\n")
    entities = [{"entity_id": e, "name": e.title() + " Example", "kind": "person", "aliases": [e.title()]}
                for e in ("alice", "bob")]
    records: dict[str, list[dict[str, Any]]] = {"entities": entities, "boilerplate": [], "quotes": [],
                                                "event_mentions": [], "passages": [], "doc_pairs": []}
    events = [{"event_id": f"ev{i}", "type": draw(st.sampled_from(EVENT_TYPES))}
              for i in range(draw(st.integers(1, 3)))]
    records["events"] = events
    members = []
    for article_id, article in articles.items():
        for line in article.content_lines:
            records["boilerplate"].append({"article_id": article_id, "line_no": line.line_no,
                                           "role": draw(st.sampled_from(BOILERPLATE_ROLES))})
        text = article.text
        for number, (start, end) in enumerate(_spans(draw, len(text), 4)):
            records["quotes"].append({"quote_id": f"q-{article_id}-{number}", "article_id": article_id, "start": start,
                                      "end": end, "text": text[start:end], "type": draw(st.sampled_from(QUOTE_TYPES)),
                                      "speaker": draw(st.sampled_from(("alice", "bob", "unknown")))})
        for number, (start, end) in enumerate(_spans(draw, len(text), 4)):
            records["event_mentions"].append({"mention_id": f"m-{article_id}-{number}", "article_id": article_id,
                                              "start": start, "end": end, "text": text[start:end],
                                              "event_id": draw(st.sampled_from([e["event_id"] for e in events]))})
        members += [(article_id, start, end) for start, end in _spans(draw, len(text), 3)]
    clusters = draw(st.integers(0, 3))
    if clusters and len(members) >= 2:
        assignment = [draw(st.integers(0, clusters - 1)) for _ in members]
        for c in range(clusters):
            chosen = [m for m, a in zip(members, assignment, strict=True) if a == c]
            if len(chosen) >= 2:
                records["passages"].append({"passage_cluster_id": f"p{c}", "members": [
                    {"article_id": a, "start": s, "end": e, "text": articles[a].text[s:e]} for a, s, e in chosen]})
    for a, b in combinations(sorted(articles), 2):
        records["doc_pairs"].append({"a": a, "b": b, "relation": draw(st.sampled_from(RELATIONS))})
    return Release(Path("<synthetic>"), "0.0.0", "0" * 64, articles, records)
