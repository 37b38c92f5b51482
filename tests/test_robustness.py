"""No input file crashes a command.

A seeded property test changes one field of one record of every kind of file the commands read (the annotation
files, a release's records, a Label Studio export, the prediction files of every task) to a value of another
type: null, a boolean, a list, an object, a float, an integer too large for 64 bits, an empty or a very long
string. Every command that reads that kind of file must then end with exit 0 (the file is still valid) or 2
(bad input, each problem one line ``path:line: field: message``), never with a traceback. The commands:
``check`` and ``build`` (annotation files), ``validate``, ``score --gold-dir`` and ``diff`` (release files),
``ls import`` (exports), ``score``, ``score all`` and ``ls export --predictions`` (prediction files), and the
raw manifest through ``check``, ``build`` and ``validate``; 250 cases in all, from a fixed seed.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI
from newsgold.cli import main
from newsgold.release.validate import validate_release
from newsgold.tasks import TASKS
from test_scoring_support import TASKS as SCORED
from test_scoring_support import mini_data, mini_gold, perfect, write_jsonl

GOLD_FILES = sorted(path.name for path in (MINI / "annotation" / "gold").glob("*.jsonl"))
RELEASE_FILES = sorted(path.relative_to(MINI / "data").as_posix() for path in (MINI / "data").glob("*/test.jsonl")
                       if path.stat().st_size)
PROBLEM = re.compile(r"^\S.*:\d+: \S.*: .+$")
SUMMARY = re.compile(r"^\d+ problem\(s\) in .+$")  # validate's last line

Path_ = tuple[str | int, ...]

# Values of every JSON type, none of them what a field of a newsgold record holds (or, by chance, exactly that).
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.lists(st.one_of(st.integers(-2, 2), st.text(max_size=3)), max_size=2),
    st.dictionaries(st.text(max_size=3), st.one_of(st.integers(-2, 2), st.text(max_size=3)), max_size=2),
    st.floats(allow_nan=False, allow_infinity=False),
    st.one_of(st.integers(2**63, 10**40), st.integers(-(10**40), -(2**63))),
    st.just(""),
    st.integers(2_000, 20_000).map(lambda n: "é" * n),
)
SETTINGS = settings(derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- one field of one record -----------------------------------------------------------------------------


def field_paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """The path of every value inside a record (its fields, their items and fields, ...), the record excluded."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from field_paths(child, (*prefix, key))


def replaced(record: Any, path: Path_, value: Any) -> Any:
    copy = json.loads(json.dumps(record))
    *parents, last = path
    holder = copy
    for part in parents:
        holder = holder[part]
    holder[last] = value
    return copy


@st.composite
def mutation(draw: st.DrawFn, records: list[Any]) -> tuple[int, Path_, Any]:
    """Which record, which of its fields, and the value it gets."""
    index = draw(st.integers(0, len(records) - 1))
    path = draw(st.sampled_from(list(field_paths(records[index]))))
    return index, path, draw(WRONG)


def mutated_lines(path: Path, draw: st.DrawFn) -> str:
    """The lines of a JSON Lines file with one field of one record changed."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    index, field, value = draw(mutation(records))
    records[index] = replaced(records[index], field, value)
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


# --- running a command -----------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    """Run a command in this process; any exception escaping it fails the test with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    except Exception:
        pytest.fail(f"newsgold {' '.join(argv)} crashed:\n{traceback.format_exc()}")
    return code, err.getvalue()


def assert_handled(*argv: str, allowed: tuple[int, ...] = (0, 2)) -> int:
    code, err = run(*argv)
    assert code in allowed, f"newsgold {' '.join(argv)}: exit {code}\n{err}"
    assert "Traceback" not in err
    if code == 2:
        strange = [line for line in err.splitlines() if not (PROBLEM.match(line) or SUMMARY.match(line))]
        assert not strange, f"newsgold {' '.join(argv)}: not problem lines: {strange}"
    return code


counter = itertools.count()


@pytest.fixture(scope="module")
def tree(labelstudio_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the built small tree with the labeling configs; each example imports into its own pass."""
    root = tmp_path_factory.mktemp("robustness") / "tree"
    shutil.copytree(labelstudio_tree, root)
    return root


# --- the files and the commands that read them -------------------------------------------------------------


@settings(SETTINGS, max_examples=80)
@given(data=st.data())
def test_annotation_files_through_check_and_build(tree: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(GOLD_FILES), label="file")
    text = mutated_lines(MINI / "annotation" / "gold" / name, data.draw)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        shutil.copytree(MINI / "data" / "raw", root / "data" / "raw")
        shutil.copytree(MINI / "annotation" / "gold", root / "annotation" / "gold")
        (root / "annotation" / "gold" / name).write_text(text, encoding="utf-8")
        assert_handled("check", str(root / "annotation" / "gold"), "--root", str(root))
        assert_handled("build", "--root", str(root))


@settings(SETTINGS, max_examples=20)
@given(data=st.data())
def test_the_raw_manifest_through_check_build_and_validate(data: st.DataObject) -> None:
    manifest = json.loads((MINI / "data" / "raw" / "MANIFEST.json").read_text(encoding="utf-8"))
    index, path, value = data.draw(mutation(manifest["files"]), label="mutation")
    manifest["files"][index] = replaced(manifest["files"][index], path, value)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        shutil.copytree(MINI / "data", root / "data")
        shutil.copytree(MINI / "annotation" / "gold", root / "annotation" / "gold")
        (root / "data" / "raw" / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
        assert_handled("check", str(root / "annotation" / "gold"), "--root", str(root))
        assert_handled("build", "--root", str(root))
        assert_handled("validate", str(root / "data"))


@settings(SETTINGS, max_examples=50)
@given(data=st.data())
def test_release_files_through_validate_and_score(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(RELEASE_FILES), label="file")
    text = mutated_lines(mini_data() / name, data.draw)
    task = data.draw(st.sampled_from(SCORED), label="task")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "data"
        shutil.copytree(mini_data(), folder)
        (folder / name).write_text(text, encoding="utf-8")
        predictions = write_jsonl(Path(temporary) / f"{task}.jsonl", perfect(task, mini_gold()))
        assert_handled("validate", str(folder))
        # The fast road of validate finds what the line road finds (tests/test_fast_checks.py has more).
        assert validate_release(folder) == validate_release(folder, fast=False)
        assert_handled("score", task, "--pred", str(predictions), "--gold-dir", str(folder))
        assert_handled("diff", str(mini_data()), str(folder), allowed=(0, 1, 2))  # 1: the releases differ


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_label_studio_exports_through_import(tree: Path, data: st.DataObject) -> None:
    task = data.draw(st.sampled_from(sorted(TASKS)), label="task")
    export = tree / f"{task}.export.json"
    if not export.exists():
        assert run("ls", "export", task, "--root", str(tree), "--annotations", "gold", "--out", str(export))[0] == 0
    tasks = json.loads(export.read_text(encoding="utf-8"))
    index, path, value = data.draw(mutation(tasks), label="mutation")
    tasks[index] = replaced(tasks[index], path, value)
    changed = tree / f"{task}.changed.json"
    changed.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert_handled("ls", "import", task, str(changed), "--root", str(tree), "--into", f"case{next(counter)}")


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_prediction_files_through_score_and_export(tree: Path, data: st.DataObject) -> None:
    task = data.draw(st.sampled_from(SCORED), label="task")
    records = perfect(task, mini_gold())
    index, path, value = data.draw(mutation(records), label="mutation")
    records[index] = replaced(records[index], path, value)
    with tempfile.TemporaryDirectory() as temporary:
        predictions = write_jsonl(Path(temporary) / f"{task}.jsonl", records)
        assert_handled("score", task, "--pred", str(predictions), "--gold-dir", str(mini_data()))
        assert_handled("score", "all", "--pred-dir", temporary, "--gold-dir", str(mini_data()))
        if task in TASKS:
            assert_handled("ls", "export", task, "--root", str(tree), "--predictions", str(predictions),
                           "--model-version", "v", "--out", str(Path(temporary) / "tasks.json"))


def test_the_reported_crashes_are_one_line_each(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini / "annotation" / "gold"
    for name, field, value in (("quotes", "speaker", []), ("boilerplate", "line_no", [1]), ("doc_pairs", "a", {})):
        path = gold / f"{name}.jsonl"
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        records[0][field] = value
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    code, err = run("check", str(gold), "--root", str(mini))
    assert code == 2
    assert err.splitlines() == [f"{gold / 'boilerplate.jsonl'}:1: line_no: [1] is not of type 'integer'",
                                f"{gold / 'doc_pairs.jsonl'}:1: a: {{}} is not of type 'string'",
                                f"{gold / 'quotes.jsonl'}:1: speaker: [] is not of type 'string'"]
