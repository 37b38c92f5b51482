"""The JSON Schemas in ``schema/``: the one source of every record and prediction shape.

The validator, the canonical key order of written files, the docs and the tests all read them from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .jsonl import Row
from .paths import schema_dir

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from referencing import Registry


@cache
def _all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema under ``schema/`` by its ``$id``."""
    schemas = {}
    for path in sorted(schema_dir().rglob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema["$id"]] = schema
    return schemas


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schema_id, Resource.from_contents(schema)) for schema_id, schema in _all_schemas().items()
    )


def record_schema(config: str) -> dict[str, Any]:
    return _all_schemas()[f"urn:newsgold:records:{config}"]


def prediction_schema(name: str) -> dict[str, Any]:
    return _all_schemas()[f"urn:newsgold:predictions:{name}"]


def _is_whole_int(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _strict_validator() -> Any:
    """Draft 2020-12 where only a whole int is an integer. JSON Schema counts 5.0 as an integer; offsets and line
    numbers must be written as integers, so a float never reaches an index operation downstream. (``jsonschema``
    is imported here, on first use: the compiled check accepts valid records without it.)"""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator,
                             type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_int))


@cache
def _validator(schema_id: str) -> Any:
    return _strict_validator()(_all_schemas()[schema_id], registry=_registry())


@cache
def _accepts(schema_id: str) -> Callable[[Any], bool] | None:
    """A compiled check of the same schema (jsonschema-rs, Draft 2020-12), or None where it is not installed.

    It is used only to accept: checking a record takes microseconds instead of a millisecond, which is what
    keeps validating and scoring millions of records fast. It implements the same draft, and tests/test_synth.py
    checks that it accepts exactly what the full validator accepts; a record it does not accept goes to the full
    validator, whose messages the problems report.
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    registry = jsonschema_rs.Registry(list(_all_schemas().items()))
    return jsonschema_rs.validator_for(_all_schemas()[schema_id], registry=registry).is_valid


def schema_problems(row: Row, schema_id: str, *, may_lack: Collection[str] = ()) -> list[Problem]:
    """Every way ``row`` breaks the schema, as problems naming the field.

    ``may_lack`` names top-level fields the schema requires that the row may leave out (the fields a build
    derives, in an annotation row).
    """
    accepts = _accepts(schema_id)
    try:
        # The compiled check takes 5.0 for an integer, so rows with a float in them get the strict one.
        if accepts is not None and not row.has_float and accepts(row.data):
            return []
    except (TypeError, ValueError, OverflowError):
        pass  # a value JSON has no type for: the full validator says what is wrong with it
    return [_to_problem(row, error) for error in _validator(schema_id).iter_errors(row.data)
            if not (error.validator == "required" and not error.absolute_path and _missing(error) in may_lack)]


def _missing(error: ValidationError) -> str:
    """The field a ``required`` error names."""
    return error.message.split("'")[1]


def fits_schema(row: Row, schema_id: str) -> bool:
    """Whether ``row`` matches the schema (the same verdict as ``not schema_problems(row, schema_id)``)."""
    accepts = _accepts(schema_id)
    try:
        if accepts is not None and not row.has_float:
            return accepts(row.data)
    except (TypeError, ValueError, OverflowError):
        pass
    return bool(_validator(schema_id).is_valid(row.data))


def prediction_schemas() -> list[str]:
    """The name of every prediction schema (``schema/predictions/<name>.schema.json``), sorted."""
    prefix = "urn:newsgold:predictions:"
    return sorted(schema_id[len(prefix):] for schema_id in _all_schemas() if schema_id.startswith(prefix))


def field_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _to_problem(row: Row, error: ValidationError) -> Problem:
    path = field_path(error.absolute_path)
    if error.validator == "required":
        return row.problem(field_path([*error.absolute_path, _missing(error)]), "required field is missing")
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return row.problem(field_path([*error.absolute_path, extra[0]]) if extra else path, "unknown field")
    # Rules between fields (offsets or text, in the prediction schemas): say them in words, not as the record's
    # repr, which can be long.
    if error.validator == "anyOf" and all(_only_required(alternative) for alternative in error.validator_value):
        return row.problem(path or "-", "give " + ", or ".join(" and ".join(alternative["required"])
                                                               for alternative in error.validator_value))
    if error.validator == "dependentRequired":
        needed, _, given = error.message.partition(" is a dependency of ")
        return row.problem(field_path([*error.absolute_path, needed.strip("'")]),
                           f"required when {given.strip(chr(39))} is given")
    if error.validator == "not" and _only_required(error.validator_value):
        first, *rest = error.validator_value["required"]
        return row.problem(field_path([*error.absolute_path, rest[-1] if rest else first]),
                           f"not allowed with {first}" if rest else "not allowed")
    if error.validator == "oneOf" and error.context:
        # A nullable field: report why the non-null alternative failed, which is what the writer meant.
        meant = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        if isinstance(error.instance, (dict, str)) and meant:
            return _to_problem(row, max(meant, key=lambda e: len(e.absolute_path)))
    return row.problem(path or "-", _short(error.message))


def _only_required(schema: Any) -> bool:
    return isinstance(schema, dict) and set(schema) == {"required"}


def _short(message: str, width: int = 160) -> str:
    return message if len(message) <= width else message[: width - 1] + "…"


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target, _, pointer = schema["$ref"].partition("#")
        schema = _all_schemas()[target]
        for part in filter(None, pointer.split("/")):
            schema = schema[part]
    return schema


def _object_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    schema = _resolve(schema)
    if "properties" in schema:
        return schema
    for alternative in schema.get("oneOf", []):
        found = _object_schema(alternative)
        if found is not None:
            return found
    return None


def ordered(value: Any, schema: dict[str, Any]) -> Any:
    """``value`` with object keys in the schema's property order, recursively (unknown keys last, sorted)."""
    schema = _resolve(schema)
    if isinstance(value, list):
        items = schema.get("items", {})
        return [ordered(item, items) for item in value]
    if isinstance(value, dict):
        object_schema = _object_schema(schema) or {}
        properties = object_schema.get("properties", {})
        keys = [k for k in properties if k in value] + sorted(k for k in value if k not in properties)
        return {k: ordered(value[k], properties.get(k, {})) for k in keys}
    return value


def schema_files() -> list[Path]:
    return sorted(schema_dir().rglob("*.schema.json"))
