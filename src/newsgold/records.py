"""The record registry: every record type of the released dataset, and what the validator checks of it.

Each :class:`RecordType` is one Hugging Face config (``data/<config>/test.jsonl``), validated by its JSON
Schema (``schema/records/<config>.schema.json``) and by the rules declared here: which fields form its key,
which hold spans, which name records of another type, and whether it must cover every line or pair.
Adding a record type is adding its schema and one entry below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .corpus import Article
from .errors import Problem
from .jsonl import Row

BOILERPLATE_ROLES = ("title", "body", "caption", "metadata", "advertisement", "navigation", "branding",
                     "related", "comment_form", "other")
CONTENT_ROLES = ("title", "body")
RELATIONS = ("exact", "near_duplicate", "partial_overlap", "same_event", "unrelated")
QUOTE_TYPES = ("direct", "mixed", "indirect")
EVENT_TYPES = ("meeting", "travel", "postponement", "military_incident", "agreement", "legal_action", "summit",
               "other")
ENTITY_KINDS = ("person", "organization", "place", "group")
UNKNOWN_SPEAKER = "unknown"


@dataclass(frozen=True)
class Reference:
    """``field`` (a path such as ``speaker`` or ``members[].article_id``) names a record of ``target``."""

    field: str
    target: str
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RecordType:
    config: str
    task: str  # the annotation task whose gold holds it ("corpus" and "registry" for the shared ones)
    key: tuple[str, ...]
    sort: tuple[str, ...]
    spans: tuple[str, ...] = ()  # "" is the record itself; "cue"; "members[]"
    references: tuple[Reference, ...] = ()
    covers: str | None = None  # "lines": one record per non-empty line; "pairs": one per article pair
    derive: Callable[[Row, dict[str, Article]], list[Problem]] | None = field(default=None, compare=False)
    derived: tuple[str, ...] = ()  # fields the build adds, which the gold files do not carry
    articles: str = "articles"  # the config holding the articles its spans and coverage refer to
    unique_span: bool = False  # no two records may mark the same span (scorers pair spans one to one)

    @property
    def schema_id(self) -> str:
        return f"urn:newsgold:records:{self.config}"

    def key_of(self, record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(record.get(name) for name in self.key)

    def sort_key(self, record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(_sortable(record.get(name)) for name in self.sort)


def _sortable(value: Any) -> tuple[int, Any]:
    # None sorts first, and values of different types never meet in a comparison.
    if value is None:
        return (0, "")
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


def _derive_boilerplate(row: Row, articles: dict[str, Article]) -> list[Problem]:
    """Gold boilerplate rows name a line by number; the release adds its offsets and the binary label."""
    record = row.data
    article = articles.get(record.get("article_id"))  # type: ignore[arg-type]
    if article is None or not isinstance(record.get("line_no"), int):
        return []  # the validator reports the unknown article or the bad line number
    line = article.line(record["line_no"])
    if line is None:
        return [row.problem("line_no", f"line {record['line_no']} does not exist (article has {len(article.lines)})")]
    if "text" in record and record["text"] != line.text:
        return [row.problem("text", f"text does not equal line {line.line_no} of the article: {line.text[:40]!r}")]
    record.update(start=line.start, end=line.end, text=line.text)
    if record.get("role") in BOILERPLATE_ROLES:
        record["is_boilerplate"] = record["role"] not in CONTENT_ROLES
    return []


def _derive_passages(row: Row, articles: dict[str, Article]) -> list[Problem]:
    """Members are released in text order, so that a cluster reads the same however it was written."""
    members = row.data.get("members")
    if isinstance(members, list) and all(isinstance(m, dict) for m in members):
        members.sort(key=lambda m: (_sortable(m.get("article_id")), _sortable(m.get("start")), _sortable(m.get("end"))))
    return []


ARTICLE = Reference("article_id", "articles")
RECORD_TYPES: dict[str, RecordType] = {
    rt.config: rt
    for rt in (
        RecordType("articles", "corpus", key=("article_id",), sort=("cluster_id", "article_id")),
        RecordType("boilerplate", "boilerplate", key=("article_id", "line_no"), sort=("article_id", "line_no"),
                   spans=("",), references=(ARTICLE,), covers="lines", derive=_derive_boilerplate,
                   derived=("start", "end", "is_boilerplate")),
        RecordType("doc_pairs", "duplicates", key=("a", "b"), sort=("a", "b"),
                   references=(Reference("a", "articles"), Reference("b", "articles")), covers="pairs"),
        RecordType("passages", "duplicates", key=("passage_cluster_id",), sort=("passage_cluster_id",),
                   spans=("members[]",), references=(Reference("members[].article_id", "articles"),),
                   derive=_derive_passages),
        RecordType("entities", "registry", key=("entity_id",), sort=("entity_id",)),
        RecordType("quotes", "quotes", key=("quote_id",), sort=("article_id", "start", "end", "quote_id"),
                   spans=("", "cue", "speaker_mention"), unique_span=True,
                   references=(ARTICLE, Reference("speaker", "entities", frozenset({UNKNOWN_SPEAKER})))),
        RecordType("events", "events", key=("event_id",), sort=("event_id",),
                   references=(Reference("place", "entities"), Reference("participants[]", "entities"))),
        RecordType("event_mentions", "events", key=("mention_id",), sort=("article_id", "start", "end", "mention_id"),
                   spans=("",), references=(ARTICLE, Reference("event_id", "events")), unique_span=True),
        # Synthetic splits (newsgold.synth): derived from the gold by the build, never annotated; each has the
        # fields of its ordinary config plus provenance, and its articles are the synthetic ones.
        RecordType("articles_synthetic", "corpus", key=("article_id",), sort=("cluster_id", "article_id"),
                   references=(Reference("story", "articles"), Reference("parent", "articles_synthetic"),
                               Reference("ops[].source", "articles"))),
        RecordType("doc_pairs_synthetic", "duplicates", key=("a", "b"), sort=("a", "b"),
                   references=(Reference("a", "articles_synthetic"), Reference("b", "articles_synthetic")),
                   covers="pairs", articles="articles_synthetic"),
        RecordType("boilerplate_synthetic", "boilerplate", key=("article_id", "line_no"),
                   sort=("article_id", "line_no"), spans=("",),
                   references=(Reference("article_id", "articles_synthetic"),
                               Reference("source_article_id", "articles")),
                   covers="lines", articles="articles_synthetic"),
    )
}
CONFIGS: tuple[str, ...] = tuple(RECORD_TYPES)
# Each ordinary config with a synthetic counterpart, which a synthetic release gives as its gold.
SYNTHETIC_CONFIGS = {"articles": "articles_synthetic", "doc_pairs": "doc_pairs_synthetic",
                     "boilerplate": "boilerplate_synthetic"}


def walk(record: Any, path: str) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """Values at ``path`` (``a.b``, ``list[]``, ``list[].field``; "" is the record) as (field, value, container).

    ``container`` is the object that holds the value, so a span inside a list can find its own ``article_id``.
    """
    if path == "":
        yield "", record, record
        return
    yield from _walk(record, path.split("."), "", record)


def _walk(value: Any, parts: list[str], prefix: str, container: Any) -> Iterator[tuple[str, Any, Any]]:
    if not parts:
        yield prefix, value, container
        return
    head, rest = parts[0], parts[1:]
    name, is_list = (head[:-2], True) if head.endswith("[]") else (head, False)
    if not isinstance(value, dict) or name not in value:
        return
    child = value[name]
    here = f"{prefix}.{name}" if prefix else name
    if not is_list:
        yield from _walk(child, rest, here, value)
    elif isinstance(child, list):
        for index, item in enumerate(child):
            yield from _walk(item, rest, f"{here}[{index}]", item if isinstance(item, dict) else value)
