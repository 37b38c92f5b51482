"""Any valid records of any task come back from Label Studio exactly: astral characters, both offset units."""

from __future__ import annotations

import json
import shutil
import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from newsgold.corpus import Article, write_raw_manifest
from newsgold.labelstudio import CONVERTERS
from newsgold.labelstudio.exchange import import_tasks
from newsgold.labelstudio.offsets import OFFSET_UNITS, Offsets
from newsgold.records import BOILERPLATE_ROLES, EVENT_TYPES, QUOTE_TYPES, RELATIONS, UNKNOWN_SPEAKER
from newsgold.release.build import gold_lines
from newsgold.tasks import TASKS

Records = dict[str, list[dict[str, Any]]]
# Astral characters (an emoji, a mathematical letter, a flag's two halves), other non-ASCII text, no-break spaces.
ALPHABET = "ab c“”é\u00a0😀𝒜🇫🇷\n"
ENTITIES = [{"entity_id": "alice", "name": "Alice", "kind": "person", "aliases": []},
            {"entity_id": "bob", "name": "Bob", "kind": "person", "aliases": []}]
ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True)


@st.composite
def corpus(draw: st.DrawFn) -> dict[str, Article]:
    count = draw(st.integers(2, 3))
    texts = draw(st.lists(st.text(ALPHABET, min_size=1, max_size=40).filter(lambda t: not t.isspace()),
                          min_size=count, max_size=count))
    return {f"a{i}": Article.from_text(f"a{i}", "c", text) for i, text in enumerate(texts, start=1)}


@st.composite
def span(draw: st.DrawFn, article: Article) -> dict[str, Any]:
    """A span that neither starts nor ends with white space, as the guidelines have it."""
    text = article.text
    starts = [i for i, char in enumerate(text) if not char.isspace()]
    start = draw(st.sampled_from(starts))
    end = draw(st.sampled_from([i + 1 for i in starts if i >= start]))
    return {"start": start, "end": end, "text": text[start:end]}


@st.composite
def records_for(draw: st.DrawFn, task: str, articles: dict[str, Article]) -> Records:
    names = sorted(articles)
    if task == "boilerplate":
        return {"boilerplate": [{"article_id": a, "line_no": line.line_no, "text": line.text,
                                 "role": draw(st.sampled_from(BOILERPLATE_ROLES))}
                                for a in names for line in articles[a].content_lines]}
    if task == "doc_pairs":
        pairs = []
        for a, b in combinations(names, 2):
            pair = {"a": a, "b": b, "relation": draw(st.sampled_from(RELATIONS))}
            if draw(st.booleans()):
                pair["note"] = draw(st.text(ALPHABET, max_size=12))
            pairs.append(pair)
        return {"doc_pairs": pairs}
    if task == "passages":
        clusters = []
        for number in range(draw(st.integers(0, 3))):
            members = []
            for _ in range(draw(st.integers(2, 3))):
                article_id = draw(st.sampled_from(names))
                members.append({"article_id": article_id, **draw(span(articles[article_id]))})
            unique = {(m["article_id"], m["start"], m["end"]): m for m in members}
            if len(unique) >= 2:
                clusters.append({"passage_cluster_id": f"p{number}", "members": [unique[k] for k in sorted(unique)]})
        return {"passages": clusters}
    if task == "quotes":
        quote_ids = draw(st.lists(ids, max_size=4, unique=True))
        quotes = []
        for quote_id in quote_ids:
            article_id = draw(st.sampled_from(names))
            article = articles[article_id]
            quotes.append({"quote_id": quote_id, "article_id": article_id, "type": draw(st.sampled_from(QUOTE_TYPES)),
                           **draw(span(article)), "cue": draw(st.none() | span(article)),
                           "speaker_mention": draw(st.none() | span(article)),
                           "speaker": draw(st.sampled_from(["alice", "bob", UNKNOWN_SPEAKER])),
                           "quote_cluster": draw(ids)})
        return {"quotes": _one_per_span(quotes)}
    events = [{"event_id": f"ev-{n}", "type": draw(st.sampled_from(EVENT_TYPES)), "date": None, "place": None,
               "participants": [], "description": draw(st.text(ALPHABET, min_size=1, max_size=10))}
              for n in range(draw(st.integers(1, 2)))]
    mentions = []
    for mention_id in draw(st.lists(ids, max_size=4, unique=True)):
        article_id = draw(st.sampled_from(names))
        mentions.append({"mention_id": mention_id, "article_id": article_id, **draw(span(articles[article_id])),
                         "event_id": draw(st.sampled_from([e["event_id"] for e in events]))})
    return {"events": events, "event_mentions": _one_per_span(mentions)}


def _one_per_span(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid gold marks a span once (quotes and event mentions); keep the first record of each span."""
    seen: dict[tuple[str, int, int], dict[str, Any]] = {}
    for record in records:
        seen.setdefault((record["article_id"], record["start"], record["end"]), record)
    return list(seen.values())


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, dict[str, Article], Records]:
    task = draw(st.sampled_from(sorted(TASKS)))
    articles = draw(corpus())
    return task, draw(st.sampled_from(OFFSET_UNITS)), articles, draw(records_for(task, articles))


def source_tree(root: Path, articles: dict[str, Article]) -> None:
    raw = root / "data" / "raw"
    for article in articles.values():
        path = raw / article.cluster_id / f"{article.article_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(article.text.encode("utf-8"))
    write_raw_manifest(raw)
    shutil.copytree(REPO / "annotation" / "labelstudio", root / "annotation" / "labelstudio")
    gold = root / "annotation" / "gold"
    gold.mkdir(parents=True)
    (gold / "entities.jsonl").write_text(gold_lines("entities", ENTITIES), encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_any_records_come_back_exactly(case: tuple[str, str, dict[str, Article], Records]) -> None:
    task, unit, articles, records = case
    converter = CONVERTERS[task]
    registry = {"entities": ENTITIES, **records}
    tasks = converter.to_tasks(articles, registry=registry, offsets=Offsets(unit), records=records)  # type: ignore[arg-type]
    served = json.loads(json.dumps(tasks, ensure_ascii=False))  # the trip through Label Studio's JSON
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source_tree(root, articles)
        report = import_tasks(root, task, served, "export.json", "p", unit=unit)  # type: ignore[arg-type]
        for config in TASKS[task].configs:
            written = (report.folder / f"{config}.jsonl").read_text(encoding="utf-8")
            assert written == gold_lines(config, records[config]), config
        assert report.notes == []
