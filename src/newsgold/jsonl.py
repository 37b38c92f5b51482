"""JSON Lines in and out: rows that remember where they came from, and one canonical way to write them."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, decode_utf8


@dataclass
class Row:
    """A JSON object read from ``path`` at ``line`` (1-based), so that every problem can point at it."""

    data: dict[str, Any]
    path: str
    line: int
    has_float: bool = False  # any number written with a fraction or exponent; see schemas.schema_problems

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.path, self.line, field, message)


def parse_jsonl(text: str, path: str, first_line: int = 1) -> tuple[list[Row], list[Problem]]:
    """The objects of JSON Lines ``text``, its first line numbered ``first_line``, and a problem for each bad line."""
    rows: list[Row] = []
    problems: list[Problem] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last record; it is not an empty record
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            problems.append(Problem(path, number, "-", "empty line; JSON Lines has one object per line"))
            continue
        floats: list[float] = []

        def parse_float(text: str, floats: list[float] = floats) -> float:
            floats.append(float(text))
            return floats[-1]

        try:
            value = json.loads(line, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys,
                               parse_float=parse_float)
        except _DuplicateKey as error:
            problems.append(Problem(path, number, str(error), "duplicate key in one object"))
            continue
        except ValueError as error:
            problems.append(Problem(path, number, "-", f"not valid JSON: {error}"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(path, number, "-", f"expected a JSON object, got {type(value).__name__}"))
            continue
        rows.append(Row(value, path, number, bool(floats)))
    return rows, problems


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; a record that says two things is refused instead.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity, which are not JSON; refuse them where they are read.
    raise ValueError(f"{name} is not valid JSON")


def read_jsonl(path: Path | str, *, missing_ok: bool = False) -> tuple[list[Row], list[Problem]]:
    """Read a JSON Lines file; problems name the file and line. A missing file is a problem unless allowed."""
    path = Path(path)
    if not path.exists():
        if missing_ok:
            return [], []
        return [], [Problem(str(path), 0, "-", "no such file")]
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [Problem(str(path), 0, "-", f"cannot read: {error.strerror or error}")]
    text, problems = decode_utf8(data, str(path))
    if text is None:
        return [], problems
    return parse_jsonl(text, str(path))


def dumps(record: dict[str, Any]) -> str:
    """One record as one canonical line: keys in the order given, no ASCII escaping, no trailing spaces."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def format_jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(dumps(record) + "\n" for record in records)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp creates the file private (0600); give it the mode a plain open() would have.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    write_text_atomic(path, format_jsonl(records))
