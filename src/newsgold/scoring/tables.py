"""Prediction files as Arrow tables, every record checked against its JSON Schema, read in batches.

Scorers of flat records (``doc_pairs``, ``boilerplate``: scalar fields only) read predictions column by column
instead of one Python object per line. A file is read in batches of about ``BATCH_BYTES``, cut at line ends;
each batch takes one of two roads, and both check every record:

- **Columns.** ``pyarrow.json`` parses the batch with the schema's Arrow types, refusing any field the schema
  does not name, and the schema's rules are then checked on whole columns: required fields, ``anyOf`` of
  required fields, ``enum``, ``pattern``, ``maxLength``, ``minimum``/``maximum``, finite numbers. The batch
  is taken only when the parse and every check pass **and** nothing in it could read differently line by
  line: no ``null`` anywhere in its bytes (Arrow cannot tell an explicit null from an absent field), no
  empty line and no two objects on one line (each line is exactly one row), no byte-order mark. An integer
  written ``5.0``, a string where a number belongs, a repeated key, a nested value: the parser refuses them.
- **Lines.** Any other batch is read line by line as every JSON Lines file is (:func:`newsgold.jsonl.parse_jsonl`
  and the schema's validator), and each problem is reported as ``path:line: field: message``.

So the column road accepts a batch only where the line road accepts every line of it with the same values;
``tests/test_scoring_tables.py`` checks it on generated files, valid and broken. The speed comes from the
valid files, which are read at the speed of the Arrow parser.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from ..columns import Column, _column
from ..errors import Problem
from ..jsonl import Row, parse_jsonl
from ..release.arrays import booleans, strings
from ..schemas import _resolve, prediction_schema
from .core import IN_MEMORY, LARGE, check_rows, load_rows, progress, warn_empty

BATCH_BYTES = 32 << 20
_BOM = b"\xef\xbb\xbf"
_BLANK_LINE = re.compile(rb"(?:^|\n)[ \t\r]*(?:\n|$)")
_TWO_OBJECTS = re.compile(rb"\}[ \t\r]*\{")
# Patterns RE2 (Arrow) and Python's re read alike: ASCII classes and literals, quantifiers, ^ and $ (where
# Python's $ also matches before a final newline, so it accepts all that RE2 accepts).
_SIMPLE_PATTERN = re.compile(r"\^?(?:\[[A-Za-z0-9_\-]+\]|[A-Za-z0-9_\-]|[*+?]|\{\d+(?:,\d*)?\})*\$?")
_PLAIN_KEYWORDS = {"description", "title", "$comment", "examples"}


@dataclass
class RecordTable(Sequence[dict[str, Any]]):
    """Checked prediction records as columns: ``table`` and the line each row was read from."""

    table: pa.Table
    lines: np.ndarray
    path: str

    def __len__(self) -> int:
        return self.table.num_rows

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self.table.slice(index if index >= 0 else len(self) + index, 1).to_pylist()[0]
        return {key: value for key, value in row.items() if value is not None}  # absent fields are null

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for batch in self.table.to_batches():
            for row in batch.to_pylist():
                yield {key: value for key, value in row.items() if value is not None}

    def column(self, name: str) -> pa.ChunkedArray:
        return self.table.column(name)

    def problem(self, index: int, field: str, message: str) -> Problem:
        return Problem(self.path, int(self.lines[index]), field, message)

    def value(self, index: int, name: str) -> Any:
        return self.table.column(name)[index].as_py()

    def where(self, keep: np.ndarray) -> RecordTable:
        if keep.all():
            return self  # no copy of a table that loses no row (millions of rows are hundreds of MiB)
        return RecordTable(self.table.filter(booleans(keep)), self.lines[keep], self.path)


# ---------------------------------------------------------------------------------------------------------
# The schema, as columns and checks


@dataclass(frozen=True)
class FlatSchema:
    """A prediction schema whose records are objects of scalar fields, and its rules in column form."""

    name: str
    columns: tuple[Column, ...]
    properties: dict[str, dict[str, Any]]  # each field's schema, references resolved
    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]  # at least one of these sets of fields is present

    @property
    def arrow(self) -> pa.Schema:
        from ..release.hub import arrow_type

        return pa.schema([pa.field(c.name, arrow_type(c), nullable=True) for c in self.columns])


@cache
def flat_schema(name: str) -> FlatSchema | None:
    """The prediction schema ``name`` in column form, or None when a rule of it has no column check here."""
    schema = prediction_schema(name)
    top = set(schema) - _PLAIN_KEYWORDS - {"$schema", "$id", "type", "properties", "required", "anyOf",
                                           "additionalProperties"}
    if top or schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        return None
    any_of = []
    for alternative in schema.get("anyOf", []):
        if set(alternative) != {"required"}:
            return None
        any_of.append(tuple(alternative["required"]))
    properties = {}
    for key, value in schema["properties"].items():
        resolved = _field_schema(value)
        if resolved is None:
            return None
        properties[key] = resolved
    required = tuple(schema.get("required", ()))
    columns = tuple(_column(key, value, required=key in required) for key, value in properties.items())
    return FlatSchema(name, columns, properties, required, tuple(any_of))


def _field_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    if "$ref" in schema:
        if set(schema) - _PLAIN_KEYWORDS - {"$ref"}:
            return None
        schema = _resolve(schema)
    rules = set(schema) - _PLAIN_KEYWORDS
    kind = schema.get("type")
    if "enum" in schema:
        if kind not in (None, "string") or not all(isinstance(v, str) for v in schema["enum"]):
            return None
        return dict(schema, type="string") if rules <= {"type", "enum"} else None
    allowed = {"string": {"type", "pattern", "maxLength", "minLength"}, "integer": {"type", "minimum", "maximum"},
               "number": {"type", "minimum", "maximum"}, "boolean": {"type"}}
    if not isinstance(kind, str) or kind not in allowed or not rules <= allowed[kind]:
        return None
    if "pattern" in schema and not _SIMPLE_PATTERN.fullmatch(schema["pattern"]):
        return None
    return schema


def _columns_pass(table: pa.Table, schema: FlatSchema) -> bool:
    """Whether every row of a parsed batch meets every rule of the schema (nulls are absent fields)."""
    present = {name: pc.is_valid(table.column(name)) for name in table.column_names}
    for name in schema.required:
        if not pc.all(present[name]).as_py():
            return False
    for alternatives in (schema.any_of,) if schema.any_of else ():
        met = None
        for fields in alternatives:
            together = present[fields[0]]
            for name in fields[1:]:
                together = pc.and_(together, present[name])
            met = together if met is None else pc.or_(met, together)
        if met is not None and not pc.all(met).as_py():
            return False
    for name, rules in schema.properties.items():
        column = table.column(name)
        checks = []
        if "enum" in rules:
            checks.append(pc.is_in(column, value_set=strings(rules["enum"])))
        if "pattern" in rules:
            checks.append(pc.match_substring_regex(column, rules["pattern"]))
        if rules["type"] == "number":
            checks.append(pc.is_finite(column))
        # Absent (null) values pass: whether a field must be there is the required rules' question.
        if not all(pc.all(check, skip_nulls=True, min_count=0).as_py() for check in checks):
            return False
        lengths = pc.min_max(pc.utf8_length(column)) if "maxLength" in rules or "minLength" in rules else None
        if not (_within(lengths, rules.get("minLength"), rules.get("maxLength"))
                and _within(pc.min_max(column) if "minimum" in rules or "maximum" in rules else None,
                            rules.get("minimum"), rules.get("maximum"))):
            return False
    return True


def _within(extremes: pa.StructScalar | None, low: float | None, high: float | None) -> bool:
    """Whether the least and the greatest value of a column (nulls left out) lie within ``[low, high]``. The bounds
    are compared in Python: a Python number given to Arrow would go through its pandas-importing converter."""
    if extremes is None:
        return True
    least, greatest = extremes["min"].as_py(), extremes["max"].as_py()
    if least is None:  # no value at all
        return True
    return (low is None or least >= low) and (high is None or greatest <= high)


# ---------------------------------------------------------------------------------------------------------
# Reading


def _batches(path: Path) -> Iterator[tuple[bytes, int]]:
    """The file in pieces of about BATCH_BYTES, each ending at a line end, with the number of its first line."""
    line = 1
    with path.open("rb") as stream:
        rest = b""
        while True:
            block = stream.read(BATCH_BYTES)
            if not block:
                break
            data = rest + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            yield data[:cut], line
            line += data.count(b"\n", 0, cut)
            rest = data[cut:]
        if rest:
            yield rest, line


def _by_columns(data: bytes, schema: FlatSchema) -> pa.Table | None:
    """The batch as a table when the column road takes it (see the module docstring), else None."""
    if data.startswith(_BOM) or b"null" in data:
        return None
    body = data[:-1] if data.endswith(b"\n") else data
    if _BLANK_LINE.search(body) or _TWO_OBJECTS.search(body):
        return None
    options = pj.ParseOptions(explicit_schema=schema.arrow, unexpected_field_behavior="error",
                              newlines_in_values=False)
    try:
        table = pj.read_json(io.BytesIO(data), parse_options=options,
                             read_options=pj.ReadOptions(use_threads=True, block_size=1 << 24))
    except (pa.ArrowException, ValueError, UnicodeDecodeError):
        return None
    if table.num_rows != body.count(b"\n") + 1:
        return None
    table = table.select([c.name for c in schema.columns]).cast(schema.arrow)
    return table if _columns_pass(table, schema) else None


INT64 = (-(1 << 63), (1 << 63) - 1)


def _out_of_range(rows: list[Row], schema: FlatSchema) -> tuple[list[Row], list[Problem]]:
    """Integers a column cannot hold: valid JSON Schema, but no line number or offset is that large."""
    integers = [c.name for c in schema.columns if c.kind == "integer"]
    kept, problems = [], []
    for row in rows:
        wide = [name for name in integers if isinstance(row.data.get(name), int)
                and not INT64[0] <= row.data[name] <= INT64[1]]
        if wide:
            problems.append(row.problem(wide[0], f"{row.data[wide[0]]} is out of range (at most {INT64[1]})"))
        else:
            kept.append(row)
    return kept, problems


def _by_lines(rows: list[Row], schema: FlatSchema, path: str) -> tuple[pa.Table, np.ndarray]:
    records = [{c.name: row.data.get(c.name) for c in schema.columns} for row in rows]
    return (pa.Table.from_pylist(records, schema=schema.arrow),
            np.array([row.line for row in rows], dtype=np.int64))


def load_table(source: str | Path | Sequence[Mapping[str, Any]], name: str) -> tuple[RecordTable, list[Problem]]:
    """The records of a prediction file (or list of records) that match schema ``name``, as a table, and every
    problem of the others; as :func:`newsgold.scoring.core.load_rows` reads them, in columns."""
    schema = flat_schema(name)
    if schema is None:
        raise ValueError(f"the {name} schema is not flat; read it with load_rows")
    if not isinstance(source, (str, Path)):
        rows, problems = load_rows(source, name)
        rows, wide = _out_of_range(rows, schema)
        problems += wide
        table, lines = _by_lines(rows, schema, IN_MEMORY)
        return RecordTable(table, lines, IN_MEMORY), problems
    path = Path(source)
    if not path.is_file():
        rows, problems = load_rows(source, name)  # the reader's own words for a missing or unreadable file
        rows, wide = _out_of_range(rows, schema)
        problems += wide
        return RecordTable(*_by_lines(rows, schema, str(path)), str(path)), problems
    tables: list[pa.Table] = []
    numbers_of: list[np.ndarray] = []
    problems = []
    size = path.stat().st_size
    for data, first in progress(_batches(path), desc=f"reading {name}", total=math.ceil(size / BATCH_BYTES),
                                large=size >= LARGE * 100):
        table = _by_columns(data, schema)
        if table is not None:
            tables.append(table)
            numbers_of.append(np.arange(first, first + table.num_rows, dtype=np.int64))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            rows, problems = load_rows(path, name)  # the whole file, as the reader reports it
            rows, wide = _out_of_range(rows, schema)
            problems += wide
            return RecordTable(*_by_lines(rows, schema, str(path)), str(path)), problems
        rows, found = parse_jsonl(text, str(path), first)
        valid_rows, checked = check_rows(rows, name)
        valid_rows, wide = _out_of_range(valid_rows, schema)
        problems += found + checked + wide
        table, numbers = _by_lines(valid_rows, schema, str(path))
        tables.append(table)
        numbers_of.append(numbers)
    table = pa.concat_tables(tables) if tables else schema.arrow.empty_table()
    if not table.num_rows and not problems:
        warn_empty(path)
    numbers = np.concatenate(numbers_of) if numbers_of else np.zeros(0, dtype=np.int64)
    return RecordTable(table, numbers, str(path)), problems
