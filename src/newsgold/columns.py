"""The typed columns of every config, read off its JSON Schema.

The JSON Schemas say what a record may look like; the Parquet files, the dataset card's ``features`` and the
Croissant metadata need one concrete type per field. :func:`columns` turns a record schema into that typed
tree once, so that every typed view of the release is derived from the same reading of the same schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from .schemas import _resolve, record_schema

SCALARS = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class Column:
    """One field: a scalar, a struct of columns, or a list of one item column.

    ``nullable``: JSON null is a valid value. ``required``: the field is always present; an absent optional
    field and a null one are both null in a typed table. ``labels``: the closed set of values of an enum
    field, in schema order (the class-label order).
    """

    name: str
    kind: str  # one of SCALARS, "struct" or "list"
    description: str = ""
    required: bool = True
    nullable: bool = False
    labels: tuple[str, ...] = ()
    fields: tuple[Column, ...] = field(default=(), repr=False)
    item: Column | None = field(default=None, repr=False)

    @property
    def optional(self) -> bool:
        """Whether a typed table may hold null here (absent or null in the JSON)."""
        return self.nullable or not self.required


@cache
def columns(config: str) -> tuple[Column, ...]:
    """The top-level columns of ``config`` in schema property order."""
    root = _column("", record_schema(config), required=True)
    if root.kind != "struct":
        raise ValueError(f"record schema of {config!r} is not an object")
    return root.fields


def _column(name: str, schema: dict[str, Any], *, required: bool, description: str = "") -> Column:
    description = description or schema.get("description", "")
    if "$ref" in schema:
        return _column(name, _resolve(schema), required=required, description=description)
    nullable = False
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        # Only "X or null" has one typed column; any other union cannot be one Arrow type.
        kept = [a for a in alternatives if _resolve(a).get("type") != "null"]
        if len(kept) != 1 or len(alternatives) != 2:
            raise ValueError(f"field {name!r}: only a union of one type and null can be typed")
        inner = _column(name, kept[0], required=required, description=description)
        return replace(inner, nullable=True)
    kind = schema.get("type")
    if isinstance(kind, list):
        types = [t for t in kind if t != "null"]
        if len(types) != 1:
            raise ValueError(f"field {name!r}: only a union of one type and null can be typed")
        nullable, kind = "null" in kind, types[0]
    if kind is None and "enum" in schema:
        kind = "string" if all(isinstance(v, str) for v in schema["enum"]) else None
    labels = tuple(schema.get("enum", ())) if kind == "string" else ()
    if kind in SCALARS:
        return Column(name, kind, description, required, nullable, labels)
    if kind == "object":
        needed = set(schema.get("required", ()))
        members = tuple(_column(key, value, required=key in needed)
                        for key, value in schema.get("properties", {}).items())
        return Column(name, "struct", description, required, nullable, fields=members)
    if kind == "array":
        item = _column("item", schema.get("items", {}), required=True)
        return Column(name, "list", description, required, nullable, item=item)
    raise ValueError(f"field {name!r}: schema type {kind!r} has no typed column")


def from_typed(record: dict[str, Any], config: str) -> dict[str, Any]:
    """A row of a typed table as its JSON record: drop the nulls that stand for absent optional fields.

    A typed table has every column in every row, so an optional field that the JSON leaves out is null there;
    a field whose schema allows null keeps its null.
    """
    return _strip(record, columns(config))


def _strip(record: dict[str, Any], fields: tuple[Column, ...]) -> dict[str, Any]:
    out = {}
    for column in fields:
        value = record.get(column.name)
        if value is None and not column.required and not column.nullable:
            continue
        out[column.name] = _strip_value(value, column)
    return out


def _strip_value(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.kind == "struct":
        return _strip(value, column.fields)
    if column.kind == "list" and column.item is not None:
        return [_strip_value(item, column.item) for item in value]
    return value
