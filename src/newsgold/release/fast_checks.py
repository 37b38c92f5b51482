"""The checks of :class:`~newsgold.release.validate.RecordChecks` on one config of a release folder, specialised
for a config that has no problem: the fast road of ``newsgold validate``.

The line road (``RecordChecks.feed``) reads every line into a :class:`~newsgold.jsonl.Row` and runs each check in
general form, collecting every problem with its place. Most configs of most releases have none, and for
millions of rows that generality costs most of the time. The fast road runs the same checks with no problem
list at all: it only decides whether the config is sound. Each check either passes or makes the road give
up, and the config is then checked again from its first line on the line road, which finds and reports every
problem. So the fast road can change how long a check takes, never what it finds; wherever a check would need
the line road's care (a float, a duplicate key, a null in a column that may also be absent), it gives up.

What it checks, for each batch of lines (about ``BATCH_BYTES``):

- each line is one JSON object (``json.loads``; ``NaN``/``Infinity`` and numbers with a fraction or an
  exponent give up, as they need the strict schema check) that the compiled schema validator accepts;
- the same bytes parsed by Arrow with the Parquet file's schema (which refuses a key given twice at any depth)
  equal the Parquet file's next rows;

and across the config, as the line road does: unique keys, no two records marking the same span (where the
record type says so), spans equal to the article's text, references to known ids (only configs whose targets
were checked already), pairs written ``a < b`` within one cluster, the articles' sha256, and coverage: every
content line of every article labelled (``covers == "lines"``, by count, once labels are unique and each
names a content line) or every pair of every cluster (``"pairs"``, likewise).

``tests/test_fast_checks.py`` checks that a release and many broken copies of it give the same problems with
and without the fast road, and that a sound release takes it.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.json as pj
import pyarrow.parquet as pq

from ..columns import columns
from ..corpus import Article, is_blank_text, sha256_text
from ..records import RECORD_TYPES, RecordType, walk
from ..schemas import _accepts
from ..spans import span_problem
from .hub import arrow_schema, parquet_file

BATCH_BYTES = 16 << 20


class _GiveUp(Exception):
    """The config may have a problem: the line road decides."""


@dataclass
class Sound:
    """What the line road would have kept of a sound config: its row count, ids and (for an article config) its
    articles."""

    rows: int
    ids: set[str]
    articles: dict[str, Article] = field(default_factory=dict)


def fast_checks(path: Path, data_dir: Path, config: str, ids: dict[str, set[str]], done: set[str],
                articles: dict[str, dict[str, Article]],
                advance: Callable[[int], object] = lambda size: None) -> Sound | None:
    """``config``'s JSON Lines file at ``path`` checked on the fast road: what it keeps when the config is
    sound, or None when the line road must check it. ``ids``, ``done`` and ``articles`` are the line road's
    (the configs checked so far); none of them is changed. ``advance`` is told the size of each batch read."""
    record_type = RECORD_TYPES[config]
    accepts = _accepts(record_type.schema_id)
    if accepts is None or not _supported(record_type, done):
        return None
    try:
        return _Road(record_type, accepts, data_dir, ids, articles).run(path, advance)
    except (_GiveUp, OSError, UnicodeDecodeError, ValueError, TypeError, OverflowError, KeyError,
            pa.ArrowException):
        return None


def _supported(record_type: RecordType, done: set[str]) -> bool:
    if not all(reference.target in done or (reference.target == record_type.config and len(record_type.key) == 1)
               for reference in record_type.references):
        return False  # the line road keeps such rows until their targets are read
    # Arrow reads an absent field and a null one alike; where the schema tells them apart, the comparison
    # with the Parquet file needs the line road's records.
    return not any(_absent_or_null(column) for column in columns(record_type.config))


def _absent_or_null(column: Any) -> bool:
    if column.nullable and not column.required:
        return True
    nested = list(column.fields) + ([column.item] if column.item is not None else [])
    return any(_absent_or_null(inner) for inner in nested)


def _refuse(text: str) -> Any:
    raise _GiveUp(text)


class _Road:
    def __init__(self, record_type: RecordType, accepts: Any, data_dir: Path, ids: dict[str, set[str]],
                 articles: dict[str, dict[str, Article]]) -> None:
        self.record_type, self.accepts, self.data_dir = record_type, accepts, data_dir
        self.ids, self.all_articles = ids, articles
        self.articles = articles.get(record_type.articles, {})
        self.key_codes: list[dict[Any, int]] = [{} for _ in record_type.key]
        self.key_columns: list[list[np.ndarray]] = [[] for _ in record_type.key]
        self.spans: set[tuple[Any, Any, Any]] = set()
        self.own_articles: dict[str, Article] = {}
        self.labels: Counter[str] = Counter()  # covering layers: rows per article (lines) or per cluster (pairs)
        self.content: tuple[str, frozenset[int]] = ("", frozenset())  # the last article's content line numbers
        self.own_references: set[str] = set()  # values of references to this config's own ids, checked at the end
        self.rows = 0

    def run(self, path: Path, advance: Callable[[int], object]) -> Sound:
        parquet = pq.ParquetFile(parquet_file(self.data_dir, self.record_type.config))
        schema = arrow_schema(self.record_type.config)
        if not parquet.schema_arrow.equals(schema, check_metadata=False):
            raise _GiveUp("schema")
        pending = schema.empty_table()
        stored = parquet.iter_batches(batch_size=4_096)
        options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error",
                                  newlines_in_values=False)
        decode = json.JSONDecoder(parse_constant=_refuse, parse_float=_refuse).decode
        for data in _batches(path):
            lines = data.decode("utf-8").split("\n")
            lines.pop()  # every batch ends with a newline
            records = [decode(line) for line in lines]
            table = pj.read_json(io.BytesIO(data), parse_options=options,
                                 read_options=pj.ReadOptions(use_threads=True, block_size=1 << 24))
            if table.num_rows != len(records):
                raise _GiveUp("rows")
            while pending.num_rows < table.num_rows:
                batch = next(stored, None)
                if batch is None:
                    raise _GiveUp("parquet rows")
                pending = pa.concat_tables([pending, pa.Table.from_batches([batch], schema=schema)])
            if not pending.slice(0, table.num_rows).equals(table.select(schema.names).cast(schema)):
                raise _GiveUp("parquet")
            pending = pending.slice(table.num_rows)
            self.feed(records)
            advance(len(data))
        if pending.num_rows or next(stored, None) is not None or self.rows != parquet.metadata.num_rows:
            raise _GiveUp("parquet rows")
        self.finish()
        key_ids = set(map(str, self.key_codes[0])) if len(self.record_type.key) == 1 else set()
        return Sound(self.rows, key_ids, self.own_articles)

    def feed(self, records: list[Any]) -> None:
        record_type, accepts = self.record_type, self.accepts
        for record in records:
            if not isinstance(record, dict) or not accepts(record):
                raise _GiveUp("schema")
        for position, name in enumerate(record_type.key):
            codes = self.key_codes[position]
            values = [record.get(name) for record in records]
            for value in values:
                if value not in codes:
                    codes[value] = len(codes)
            self.key_columns[position].append(np.fromiter((codes[value] for value in values), dtype=np.int64,
                                                          count=len(values)))
        self.rows += len(records)
        if record_type.config in self.all_articles:
            self._articles(records)
        self._references(records)
        if record_type.unique_span:
            for record in records:
                span = (record.get("article_id"), record.get("start"), record.get("end"))
                if span in self.spans:
                    raise _GiveUp("span")
                self.spans.add(span)
        self._spans(records)
        if record_type.covers == "lines":
            self._lines(records)
        elif record_type.covers == "pairs":
            self._pairs(records)

    def _articles(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            article_id, text = record["article_id"], record["text"]
            if record["sha256"] != sha256_text(text):
                raise _GiveUp("sha256")
            self.own_articles[article_id] = Article(article_id, str(record.get("cluster_id")), text)

    def _references(self, records: list[dict[str, Any]]) -> None:
        for reference in self.record_type.references:
            if "." in reference.field or "[]" in reference.field:
                values = {value for record in records for _, value, _ in walk(record, reference.field)}
            else:
                values = {record.get(reference.field) for record in records}
            named = {value for value in values if isinstance(value, str)} - reference.allow
            if reference.target == self.record_type.config:
                self.own_references |= named
            elif not named <= self.ids.get(reference.target, set()):
                raise _GiveUp("reference")
        if self.record_type.covers == "pairs":
            for record in records:
                a, b = record.get("a"), record.get("b")
                if isinstance(a, str) and isinstance(b, str) and not a < b:
                    raise _GiveUp("pair order")

    def _spans(self, records: list[dict[str, Any]]) -> None:
        articles = self.articles
        if self.record_type.spans == ("",):  # the record is the span (most rows of a large release)
            for record in records:
                article = articles.get(record.get("article_id"))  # type: ignore[arg-type]
                if article is not None and span_problem(article.text, record.get("start"), record.get("end"),
                                                        record.get("text")):
                    raise _GiveUp("span text")
            return
        for span_path in self.record_type.spans:
            for record in records:
                for _, value, container in walk(record, span_path):
                    if not isinstance(value, dict):
                        continue
                    article_id = container.get("article_id", record.get("article_id"))
                    article = articles.get(article_id) if isinstance(article_id, str) else None
                    if article is None:
                        continue  # an unknown article: a reference problem, which gave up already
                    if span_problem(article.text, value.get("start"), value.get("end"), value.get("text")):
                        raise _GiveUp("span text")

    def _lines(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            article_id = record.get("article_id")
            article = self.articles.get(article_id)  # type: ignore[arg-type]
            if article is None:
                continue
            if self.content[0] != article_id:
                self.content = (article.article_id, _content_lines(article.text))
            if record.get("line_no") not in self.content[1]:
                raise _GiveUp("line")
            self.labels[article.article_id] += 1

    def _pairs(self, records: list[dict[str, Any]]) -> None:
        articles = self.articles
        for record in records:
            first, second = articles.get(record.get("a")), articles.get(record.get("b"))  # type: ignore[arg-type]
            if first and second:
                if first.cluster_id != second.cluster_id or first.article_id == second.article_id:
                    raise _GiveUp("pair")
                self.labels[first.cluster_id] += 1

    def finish(self) -> None:
        if self.own_references and not self.own_references <= set(map(str, self.key_codes[0])):
            raise _GiveUp("reference")
        if self.rows and len(self.record_type.key):
            keys = np.stack([np.concatenate(parts) for parts in self.key_columns])
            order = np.lexsort(keys[::-1])
            ordered = keys[:, order]
            if ordered.shape[1] > 1 and np.any(np.all(ordered[:, 1:] == ordered[:, :-1], axis=0)):
                raise _GiveUp("key")
        if not self.rows:
            return  # a layer with no records is not annotated yet: no coverage to check
        if self.record_type.covers == "lines":
            for article in self.articles.values():
                if self.labels.get(article.article_id, 0) != len(_content_lines(article.text)):
                    raise _GiveUp("coverage")
        elif self.record_type.covers == "pairs":
            sizes = Counter(article.cluster_id for article in self.articles.values())
            if any(self.labels.get(cluster, 0) != size * (size - 1) // 2 for cluster, size in sizes.items()):
                raise _GiveUp("coverage")


def _content_lines(text: str) -> frozenset[int]:
    """The numbers of an article's lines that carry a label (``Line.is_blank`` is false)."""
    return frozenset(number for number, piece in enumerate(text.split("\n"), start=1) if not is_blank_text(piece))


def _batches(path: Path) -> Iterator[bytes]:
    """The file in pieces of about BATCH_BYTES, each ending with a newline; a file that does not end with one
    gives up (the line road reads its last line)."""
    with path.open("rb") as stream:
        rest = b""
        while block := stream.read(BATCH_BYTES):
            data = rest + block
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
        if rest:
            raise _GiveUp("last line")
