"""The fast road of ``newsgold validate`` changes how long the checks take, never what they find.

A synthetic release and many broken copies of it are validated with the fast road and with the line road only;
the problems must be the same, and a sound release must take the fast road for every config it can.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsgold.jsonl import dumps
from newsgold.records import CONFIGS
from newsgold.release import fast_checks as fast
from newsgold.release.hub import write_parquet_file
from newsgold.release.layout import release_file
from newsgold.release.validate import RecordChecks, validate_release

REPO = Path(__file__).resolve().parents[1]
Lines = list[str]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsgold.synth.release import write_synthetic_release

    folder = tmp_path_factory.mktemp("fast") / "synth"
    write_synthetic_release(folder, 300, seed=5, source=REPO / "data", progress=False)
    return folder


def test_a_sound_release_takes_the_fast_road_for_every_config_it_can(synthetic: Path) -> None:
    checks = RecordChecks()
    taken = []
    for config in CONFIGS:
        checks.start(config)
        sound = fast.fast_checks(release_file(synthetic, config), synthetic, config, checks.ids, checks.done,
                                 checks.articles)
        if sound is not None:
            taken.append(config)
            checks.accept(sound)
        else:
            for rows in _rows(synthetic, config):
                checks.feed(rows)
        checks.finish()
    assert checks.problems() == []
    # quotes: a null struct (no cue) is refused by Arrow's reader as a null in a required child field.
    assert set(CONFIGS) - set(taken) == {"quotes"}
    assert validate_release(synthetic) == validate_release(synthetic, fast=False) == []


def _rows(folder: Path, config: str) -> list[Any]:
    from newsgold.jsonl import read_jsonl

    rows, problems = read_jsonl(release_file(folder, config))
    assert not problems
    return [rows]


# Each mutation edits the lines of one config; `typed` ones keep every value of its type, so the Parquet file is
# rewritten from the edited records and the relational checks, not the Parquet comparison, must find them.

def _set(index: int, field: str, value: Any) -> Callable[[Lines], Lines]:
    def edit(lines: Lines) -> Lines:
        record = json.loads(lines[index])
        record[field] = value
        return [*lines[:index], dumps(record), *lines[index + 1:]]
    return edit


def _drop(index: int) -> Callable[[Lines], Lines]:
    return lambda lines: lines[:index] + lines[index + 1:]


def _repeat(index: int) -> Callable[[Lines], Lines]:
    return lambda lines: [*lines[:index + 1], lines[index], *lines[index + 1:]]


def _raw(index: int, text: str) -> Callable[[Lines], Lines]:
    return lambda lines: [*lines[:index], text, *lines[index + 1:]]


def _swap_pair(index: int) -> Callable[[Lines], Lines]:
    def edit(lines: Lines) -> Lines:
        record = json.loads(lines[index])
        record["a"], record["b"] = record["b"], record["a"]
        return [*lines[:index], dumps(record), *lines[index + 1:]]
    return edit


def _shuffle(lines: Lines) -> Lines:
    shuffled = list(lines)
    random.Random(1).shuffle(shuffled)
    return shuffled


def _with(index: int, edit: Callable[[str], str]) -> Callable[[Lines], Lines]:
    return lambda lines: [*lines[:index], edit(lines[index]), *lines[index + 1:]]


def _number(line: str, field: str, fraction: str) -> str:
    return re.sub(rf'"{field}": (\d+)', rf'"{field}": \g<1>{fraction}', line, count=1)


MUTATIONS: dict[str, tuple[str, Callable[[Lines], Lines], bool]] = {
    # name: (config, edit, typed)
    "role changed": ("boilerplate_synthetic", _set(7, "role", "advertisement"), True),
    "line label dropped": ("boilerplate_synthetic", _drop(11), True),
    "line label repeated": ("boilerplate_synthetic", _repeat(11), True),
    "label of an empty line": ("boilerplate_synthetic", _set(3, "line_no", 2), True),
    "label past the end": ("boilerplate_synthetic", _set(3, "line_no", 9999), True),
    "span text differs": ("boilerplate_synthetic", _set(5, "text", "Not the line"), True),
    "span offsets off by one": ("boilerplate_synthetic", _set(5, "start", 1), True),
    "unknown article": ("boilerplate_synthetic", _set(5, "article_id", "synth-9999999-00"), True),
    "unknown source article": ("boilerplate_synthetic", _set(5, "source_article_id", "nope"), True),
    "lines shuffled": ("boilerplate_synthetic", _shuffle, True),
    "role not in the inventory": ("boilerplate_synthetic", _set(5, "role", "sidebar"), False),
    "line number written 3.0": ("boilerplate_synthetic", _with(5, lambda s: _number(s, "line_no", ".0")), False),
    "source line as a float": ("boilerplate_synthetic", _with(5, lambda s: _number(s, "source_line_no", ".5")), False),
    "key given twice": ("boilerplate_synthetic", _with(5, lambda s: s[:-1] + ', "role": "body"}'), False),
    "NaN": ("boilerplate_synthetic", _with(5, lambda s: s[:-1] + ', "extra": NaN}'), False),
    "null field": ("boilerplate_synthetic", _set(5, "role", None), False),
    "extra field": ("boilerplate_synthetic", _set(5, "extra", 1), False),
    "empty line": ("boilerplate_synthetic", _raw(5, ""), False),
    "two objects on a line": ("boilerplate_synthetic", _with(5, lambda s: s + " " + s), False),
    "not JSON": ("boilerplate_synthetic", _raw(5, "{not json"), False),
    "pair swapped": ("doc_pairs_synthetic", _swap_pair(4), True),
    "pair dropped": ("doc_pairs_synthetic", _drop(4), True),
    "pair repeated": ("doc_pairs_synthetic", _repeat(4), True),
    "pair across clusters": ("doc_pairs_synthetic", _set(4, "b", "synth-0000001-00"), True),
    "pair with itself": ("doc_pairs_synthetic", _set(4, "b", "synth-0000000-00"), True),
    "relation changed": ("doc_pairs_synthetic", _set(4, "relation", "unrelated"), True),
    "sha256 wrong": ("articles_synthetic", _set(2, "sha256", "0" * 64), True),
    "text changed": ("articles_synthetic", _set(2, "text", "Short."), True),
    "article repeated": ("articles_synthetic", _repeat(2), True),
    "article dropped": ("articles_synthetic", _drop(2), True),
    "unknown parent": ("articles_synthetic", _set(3, "parent", "synth-9999999-09"), True),
    "unknown story": ("articles_synthetic", _set(3, "story", "nope"), True),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_broken_copy_gives_the_same_problems_on_both_roads(synthetic: Path, tmp_path: Path, name: str) -> None:
    config, edit, typed = MUTATIONS[name]
    folder = tmp_path / "release"
    shutil.copytree(synthetic, folder)
    path = release_file(folder, config)
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    edited = edit(lines)
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    if typed:
        write_parquet_file(path.with_suffix(".parquet"), config, [json.loads(line) for line in edited])
    problems = validate_release(folder)
    assert problems, name
    assert problems == validate_release(folder, fast=False)


def test_a_parquet_file_that_differs_gives_the_same_problems_on_both_roads(synthetic: Path, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    shutil.copytree(synthetic, folder)
    path = release_file(folder, "doc_pairs_synthetic")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records[3]["relation"] = "unrelated" if records[3]["relation"] != "unrelated" else "exact"
    write_parquet_file(path.with_suffix(".parquet"), "doc_pairs_synthetic", records)
    problems = validate_release(folder)
    assert problems and problems == validate_release(folder, fast=False)
