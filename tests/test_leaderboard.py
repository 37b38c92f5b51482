"""The leaderboard: every baseline on every task with intervals, ranked, and the committed one still true."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import MINI, REPO, run_cli
from newsgold import leaderboard
from newsgold.baselines import BASELINES
from newsgold.baselines.run import generated_files, run
from newsgold.dataset import Release
from newsgold.scoring.core import weighted_sum

NUMBER = r"-?\d\.\d{3}"
CELL = re.compile(rf"^(—|{NUMBER} \[{NUMBER}, {NUMBER}\]|{NUMBER} †)$")


@pytest.fixture(scope="module")
def board_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("board")
    run(folder, Release.load(MINI / "data"), bootstrap=50, seed=0, jobs=1)
    return folder


def _tables(markdown: str) -> dict[str, list[list[str]]]:
    """Each ``## `` section's table rows, as lists of cells (header and rule left out)."""
    tables: dict[str, list[list[str]]] = {}
    section = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            section = line[3:]
            tables[section] = []
        elif line.startswith("| ") and section and not line.startswith("| system |"):
            tables[section].append([cell.strip() for cell in line.strip("|").split(" | ")])
    return tables


def assert_complete(folder: Path) -> None:
    """Every baseline is a row of its format's table, and every shown number has its interval (or says why not)."""
    board = json.loads((folder / leaderboard.JSON).read_text(encoding="utf-8"))
    markdown = (folder / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    tables = _tables(markdown)
    for baseline in BASELINES:
        rows = board["tables"][baseline.name]["rows"]
        assert baseline.system in [row["system"] for row in rows], (baseline.system, baseline.name)
        section = tables[leaderboard.TITLES[baseline.name]]
        link = f"[{baseline.system}](baselines/predictions/{baseline.system}/{baseline.name}.jsonl)"
        assert link in [row[0] for row in section]
    for name, table in board["tables"].items():
        for row in table["rows"]:
            for path, metric in row["metrics"].items():
                assert metric["value"] is None or metric["ci"] is not None or "†" in markdown, (name, path)
        for cells in tables[leaderboard.TITLES[name]]:
            assert all(CELL.match(cell) for cell in cells[1:]), cells
    dataset = board["dataset"]
    assert dataset["version"] in markdown and dataset["manifest_sha256"] in markdown


def test_every_baseline_on_every_task_with_intervals(board_dir: Path) -> None:
    assert_complete(board_dir)
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    assert board["bootstrap"] == {"replicates": 50, "seed": 0, "unit": "article", "confidence": 0.95}
    assert board["dataset"]["version"] == Release.load(MINI / "data").version
    assert [s["system"] for s in board["systems"]] == [b.system for b in BASELINES]
    libraries = {s["system"]: s["library"] for s in board["systems"]}
    assert libraries["trafilatura"].startswith("trafilatura ") and libraries["random"] is None


def test_rows_are_ranked_by_the_first_column(board_dir: Path) -> None:
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    for name, table in board["tables"].items():
        first = table["columns"][0]
        assert first == leaderboard.COLUMNS[name][0]
        values = [row["metrics"][first]["value"] for row in table["rows"]]
        assert values == sorted(values, reverse=True)


def test_the_json_keeps_each_full_report(board_dir: Path) -> None:
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    for name, table in board["tables"].items():
        for row in table["rows"]:
            report = row["report"]
            assert report["task"] == name
            assert report["bootstrap"]["replicates"] == 50
            assert report["dataset"]["manifest_sha256"] == board["dataset"]["manifest_sha256"]


def test_a_metric_undefined_for_every_system_is_left_out_with_a_note() -> None:
    report = {"task": "doc_pairs", "dataset": {"version": "9.9.9", "manifest_sha256": "f" * 64},
              "relations": {"macro_f1": 0.5, "accuracy": 0.5}, "duplicate": {"f1": 0.0},
              "scores": {"roc_auc": None, "spearman": 0.25},
              "ci": {"relations": {"macro_f1": [0.25, 0.75], "accuracy": [0.25, 0.75]},
                     "scores": {"spearman": [0.0, 0.5]}}}
    board = leaderboard.document([leaderboard.Entry("s", "doc_pairs", "p/s/doc_pairs.jsonl", report)],
                                 bootstrap=10, seed=0)
    markdown = leaderboard.to_markdown(board)
    assert "`scores.roc_auc`" not in markdown.split("Not shown")[0]
    assert "Not shown, undefined on this release for every system: `scores.roc_auc`." in markdown
    row = "| [s](p/s/doc_pairs.jsonl) | 0.500 [0.250, 0.750] | 0.500 [0.250, 0.750] | 0.000 † | 0.250 [0.000, 0.500] |"
    assert row in markdown
    assert "† No interval" in markdown


def test_leaderboard_command_prints_the_file(board_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "leaderboard", "--out", str(board_dir))
    assert code == 0
    assert out == (board_dir / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    code, _, err = run_cli(capsys, "leaderboard", "--out", str(board_dir / "nowhere"))
    assert code == 2 and "newsgold baselines" in err


# Each run differs in what must not matter: the BLAS kernel (OpenBLAS picks one per CPU; forcing another is how a
# test on one machine sees what another machine computes), the thread count and the hash seed.
MACHINES: dict[str, dict[str, str]] = {
    "the CPU's own kernel": {"PYTHONHASHSEED": "0"},
    "OPENBLAS_CORETYPE=Haswell, one thread": {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1",
                                              "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "1"},
    "OPENBLAS_CORETYPE=SkylakeX": {"OPENBLAS_CORETYPE": "SkylakeX", "PYTHONHASHSEED": "2"},
}


@pytest.mark.slow
def test_the_committed_leaderboard_is_what_every_machine_computes() -> None:
    """The regression guard: regenerate everything as differently configured machines would, compare byte for byte.

    It fails when a scorer moves a number, a baseline changes its output, the release changes without the
    leaderboard being regenerated (`newsgold baselines`, then commit the diff), or a number depends on the CPU.
    """
    committed = generated_files(REPO)
    assert {leaderboard.MARKDOWN, leaderboard.JSON} <= committed, "run `newsgold baselines` and commit its output"
    assert_complete(REPO)
    base = {k: v for k, v in os.environ.items()
            if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "PYTHONHASHSEED")}
    runs = {name: subprocess.Popen([sys.executable, "-m", "newsgold", "baselines", "--check", "--jobs", "1",
                                    "--out", str(REPO), "--gold-dir", str(REPO / "data")],
                                   env={**base, **extra}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, extra in MACHINES.items()}
    for name, process in runs.items():
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, f"{name}: exit {process.returncode}\n{out}{err[-2000:]}"


def test_weighted_sums_do_not_depend_on_the_order_of_the_articles() -> None:
    rng = np.random.default_rng(7)
    values = rng.random((500, 3)) * 10.0 ** rng.integers(-8, 8, size=(500, 3))
    weights = rng.integers(0, 4, size=500)
    expected = [math.fsum((w * v) for w, v in zip(weights.tolist(), values[:, c].tolist(), strict=True))
                for c in range(3)]
    assert weighted_sum(weights, values).tolist() == expected
    order = rng.permutation(500)
    assert weighted_sum(weights[order], values[order]).tolist() == expected
    counts = rng.integers(0, 10**6, size=(500, 2, 2))
    assert weighted_sum(weights, counts).tolist() == (weights[:, None, None] * counts).sum(axis=0).tolist()
    assert weighted_sum(weights, counts).dtype == np.int64
