"""What starting a command costs: the parser is built without the libraries behind the commands, scoring the
shipped release never imports pandas (pyarrow's converters would), and the arrays made buffer to buffer equal
pyarrow's own. (No test times anything: benchmarks/e2e_bench.py measures it.)"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from newsgold.cli import main
from newsgold.release.arrays import booleans, numbers, strings

HEAVY = ("numpy", "pyarrow", "pandas", "jsonschema", "sklearn", "scipy", "tqdm", "yaml", "datasets")
PREDICTIONS = REPO / "baselines" / "predictions"


def imported_after(code: str) -> list[str]:
    """The heavy libraries a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_parser_imports_none_of_the_libraries_behind_the_commands() -> None:
    assert imported_after("from newsgold.cli import parser\nparser().format_help()") == []


@pytest.fixture(scope="module")
def validated() -> None:
    """The shipped release, validated once (in full, which reads its Parquet files through pandas) and remembered,
    as on any machine that has used it."""
    assert main(["validate"]) == 0


@pytest.mark.usefixtures("validated")
@pytest.mark.parametrize("task, a, b", [
    ("doc_pairs", "minhash", "random"),
    ("boilerplate", "trafilatura", "justext"),
    ("quotes", "quote-rules", "quote-registry"),
])
def test_compare_on_the_shipped_release_never_imports_pandas(task: str, a: str, b: str) -> None:
    files = [str(PREDICTIONS / system / f"{task}.jsonl") for system in (a, b)]
    code = ("import contextlib, io\nfrom newsgold.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['compare', *{files!r}, {task!r}]) == 0")
    found = imported_after(code)
    assert "pandas" not in found and "sklearn" not in found and "scipy" not in found, found


@settings(deadline=None)  # the first example pays for importing pyarrow's converters
@given(st.lists(st.text(), max_size=20))
def test_strings_equal_pyarrows(values: list[str]) -> None:
    made = strings(values)
    assert made.equals(pa.array(values, type=pa.string()))
    made.validate(full=True)


@settings(deadline=None)  # the first example pays for importing pyarrow's converters
@given(st.lists(st.booleans(), max_size=40))
def test_booleans_equal_pyarrows(values: list[bool]) -> None:
    made = booleans(np.array(values, dtype=bool))
    assert made.equals(pa.array(values, type=pa.bool_()))
    made.validate(full=True)


@settings(deadline=None)  # the first example pays for importing pyarrow's converters
@given(st.lists(st.one_of(st.none(), st.integers(-(1 << 40), 1 << 40)), max_size=30), st.integers(0, 5))
def test_numbers_equal_pyarrows_with_nulls_slices_and_chunks(values: list[int | None], cut: int) -> None:
    column = pa.chunked_array([pa.array(values[:cut], type=pa.int64()),
                               pa.array(values, type=pa.int64()).slice(min(cut, len(values)))], type=pa.int64())
    expected = np.array([-1 if v is None else v for v in values[:cut] + values[min(cut, len(values)):]],
                        dtype=np.int64)
    assert np.array_equal(numbers(column, np.int64, null=-1), expected)
    floats = pa.array([None if v is None else v / 3 for v in values], type=pa.float64())
    expected_floats = floats.to_numpy(zero_copy_only=False)
    assert np.array_equal(numbers(floats, np.float64, null=np.nan), expected_floats, equal_nan=True)


def test_numbers_refuse_what_is_not_a_number() -> None:
    with pytest.raises(TypeError):
        numbers(pa.array(["a"]), np.int64, null=-1)
