"""Prediction files read in columns give what reading them line by line gives: every record checked, the same
records kept and the same problems, on generated files, valid and broken, in batches of any size. And a
release folder found valid is trusted again only while it is unchanged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI
from newsgold.errors import InputError, Problem
from newsgold.release import validate
from newsgold.release.dataset import Release
from newsgold.scoring import tables
from newsgold.scoring.core import load_rows
from newsgold.scoring.tables import flat_schema, load_table

IDS = ["a1", "a2", "b-1", "x_9"]
GOOD = {
    "doc_pairs": st.fixed_dictionaries(
        {"a": st.sampled_from(IDS), "b": st.sampled_from(IDS)},
        optional={"relation": st.sampled_from(["exact", "near_duplicate", "unrelated"]),
                  "score": st.one_of(st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False))}),
    "boilerplate": st.fixed_dictionaries(
        {"article_id": st.sampled_from(IDS), "line_no": st.integers(1, 40), "is_boilerplate": st.booleans()},
        optional={"role": st.sampled_from(["title", "body", "advertisement"])}),
}
# Lines that a careless writer produces; each is one line of the file (some are two objects, or none).
BROKEN = [
    '',
    '   ',
    '\r',
    '[1, 2]',
    '5',
    'null',
    '{}',
    '{"a": "a1", "b": "a2", "relation": null}',
    '{"a": "a1", "b": "a2"}',
    '{"a": "a1", "b": "a2", "score": NaN}',
    '{"a": "a1", "b": "a2", "score": Infinity}',
    '{"a": "a1", "b": "a2", "score": 1e400}',
    '{"a": "a1", "b": "a2", "score": "1"}',
    '{"a": 1, "b": "a2", "score": 1}',
    '{"a": "a1", "a": "a2", "score": 1}',
    '{"a": "a1", "b": "a2", "score": 1, "extra": 1}',
    '{"a": "A1", "b": "a2", "score": 1}',
    '{"a": "a1\\n", "b": "a2", "score": 1}',
    '{"a": "a1", "b": "a2", "relation": "same"}',
    '{"a": "a1", "b": "a2", "score": 1} {"a": "a1", "b": "a2", "score": 2}',
    '{"a": "a1", "b": "a2", "score": 1',
    '{"a": "a1", "b": {"x": 1}, "score": 1}',
    '{"a": "' + "a" * 201 + '", "b": "a2", "score": 1}',
    '{"article_id": "a1", "line_no": 5.0, "is_boilerplate": true}',
    '{"article_id": "a1", "line_no": 0, "is_boilerplate": true}',
    '{"article_id": "a1", "line_no": 1, "is_boilerplate": 1}',
    '{"article_id": "a1", "line_no": 1, "is_boilerplate": true, "role": null}',
    '{"article_id": "a1", "line_no": 99999999999999999999, "is_boilerplate": true}',
    '\ufeff{"a": "a1", "b": "a2", "score": 1}',
    '{"a": "a1", "b": "a2", "score": 1}\r',
    '{"a": "a\\u0031", "b": "a2", "score": 1}',
    '{"a": "\\ud800", "b": "a2", "score": 1}',
]


def lines_of(name: str) -> st.SearchStrategy[list[str]]:
    good = GOOD[name].map(lambda record: json.dumps(record))
    return st.lists(st.one_of(good, good, good, st.sampled_from(BROKEN)), max_size=30)


def by_lines(path: Path, name: str) -> tuple[list[tuple[int, dict]], set[str]]:
    rows, problems = load_rows(path, name)
    # Beyond JSON Schema: an integer must fit a 64-bit column (no line number or offset is that large).
    wide = [row for row in rows if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 1 << 63
                                       for v in row.data.values())]
    problems += [Problem(row.path, row.line, "line_no", f"{row.data['line_no']} is out of range "
                                                        f"(at most {(1 << 63) - 1})") for row in wide]
    return [(row.line, row.data) for row in rows if row not in wide], {str(p) for p in problems}


def by_columns(path: Path, name: str) -> tuple[list[tuple[int, dict]], set[str]]:
    records, problems = load_table(path, name)
    return list(zip(records.lines.tolist(), records, strict=True)), {str(p) for p in problems}


@pytest.mark.parametrize("name", list(GOOD))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_columns_equal_lines(name: str, data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = data.draw(lines_of(name))
    ending = data.draw(st.sampled_from(["\n", ""]))
    monkeypatch.setattr(tables, "BATCH_BYTES", data.draw(st.sampled_from([16, 200, 1 << 20])))
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(("\n".join(lines) + (ending if lines else "")).encode("utf-8", "surrogatepass"))
    assert by_columns(path, name) == by_lines(path, name)


def test_a_valid_file_is_read_in_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc_pairs.jsonl"
    path.write_text("".join(json.dumps({"a": "a1", "b": f"b{i}", "relation": "exact"}) + "\n" for i in range(1000)))
    monkeypatch.setattr(tables, "parse_jsonl", lambda *args: pytest.fail("read line by line"))
    records, problems = load_table(path, "doc_pairs")
    assert len(records) == 1000 and not problems and records.lines[-1] == 1000


def test_only_flat_schemas_have_columns() -> None:
    assert flat_schema("doc_pairs") is not None and flat_schema("boilerplate") is not None
    assert flat_schema("passages") is None  # members are a list of objects


# ---------------------------------------------------------------------------------------------------------
# A folder validated once


@pytest.fixture
def release_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(validate, "RACY_SECONDS", 0.0)  # the copy is seconds old; here that is old enough
    monkeypatch.setenv(validate.CACHE_ENV, str(tmp_path / "cache"))
    return Path(shutil.copytree(MINI / "data", tmp_path / "data"))


def test_a_valid_folder_is_checked_once(release_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not validate.known_valid(release_copy)
    Release.load(release_copy)
    assert validate.known_valid(release_copy)
    monkeypatch.setattr(validate, "validate_release", lambda folder: pytest.fail("validated again"))
    Release.load(release_copy)


@pytest.mark.parametrize("change", ["same size", "restored time", "new file", "removed file", "copied folder"])
def test_any_change_is_validated_again(release_copy: Path, change: str) -> None:
    Release.load(release_copy)
    target = release_copy / "doc_pairs" / "test.jsonl"
    status = target.stat()
    folder = release_copy
    if change in ("same size", "restored time"):
        data = target.read_bytes()
        target.write_bytes(data[:-2] + (b"x" if data[-2:-1] != b"x" else b"y") + data[-1:])
        if change == "restored time":
            os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))
    elif change == "new file":
        (release_copy / "doc_pairs" / "extra.jsonl").write_text("{}\n")
    elif change == "removed file":
        (release_copy / "croissant.json").unlink()
    else:
        folder = Path(shutil.copytree(release_copy, release_copy.parent / "copy"))
    assert not validate.known_valid(folder)
    if change != "copied folder":
        with pytest.raises(InputError):
            Release.load(folder)


def test_a_young_folder_is_not_remembered(release_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "RACY_SECONDS", 3600.0)
    Release.load(release_copy)
    assert not validate.known_valid(release_copy)
