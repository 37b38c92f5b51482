"""The leaderboard: every baseline on every task and split with intervals, oracles apart, submissions added by
one command, and the committed board still true on every machine."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import MINI, REPO, run_cli, with_synthetic
from newsgold.baselines import BASELINES, ORACLE, leaderboard
from newsgold.baselines.leaderboard import REAL, SYNTHETIC
from newsgold.baselines.run import add, check, generated_files, run
from newsgold.errors import InputError
from newsgold.release.dataset import Release
from newsgold.scoring.core import weighted_sum

NUMBER = r"-?\d\.\d{3}"
CELL = re.compile(rf"^(—|{NUMBER} \[{NUMBER}, {NUMBER}\]|{NUMBER} [†‡])$")


@pytest.fixture(scope="module")
def mini() -> Release:
    return with_synthetic(Release.load(MINI / "data"))


@pytest.fixture(scope="module")
def board_dir(tmp_path_factory: pytest.TempPathFactory, mini: Release) -> Path:
    folder = tmp_path_factory.mktemp("board")
    run(folder, mini, bootstrap=50, seed=0, jobs=1)
    return folder


def _sections(markdown: str) -> dict[str, dict[str, list[list[str]]]]:
    """Each ``## `` section's ranked and oracle rows, as lists of cells (headers and rules left out)."""
    sections: dict[str, dict[str, list[list[str]]]] = {}
    part = "ranked"
    title = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            title, part = line[3:], "ranked"
            sections[title] = {"ranked": [], "oracle": []}
        elif line.startswith("Oracle, not ranked"):
            part = "oracle"
        elif line.startswith("| ") and title and not line.startswith(("| # |", "| system |")):
            sections[title][part].append([cell.strip() for cell in line.strip("|").split(" | ")])
    return sections


def _title(name: str, split: str) -> str:
    return leaderboard._title(name, split)


def assert_complete(folder: Path) -> None:
    """Every baseline is a row of its table on each split, oracles apart and unranked, every shown number with
    its interval (or a note saying why not), the rule on the board."""
    board = json.loads((folder / leaderboard.JSON).read_text(encoding="utf-8"))
    markdown = (folder / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    sections = _sections(markdown)
    assert board["rule"] in markdown and "**oracle**" in board["rule"]
    splits = {table["split"] for table in board["tables"].values()}
    for baseline in BASELINES:
        for split in (REAL, SYNTHETIC):
            if split not in splits or (split == SYNTHETIC and not baseline.synthetic):
                continue
            table = board["tables"][leaderboard.table_key(baseline.name, split)]
            part = "oracle" if baseline.inputs == ORACLE else "rows"
            assert baseline.system.name in [row["system"] for row in table[part]], (baseline.system.name, split)
            folder_name = f"{baseline.system.name}/synthetic" if split == SYNTHETIC else baseline.system.name
            link = f"[{baseline.system.name}](baselines/predictions/{folder_name}/{baseline.name}.jsonl)"
            cells = sections[_title(baseline.name, split)]["oracle" if part == "oracle" else "ranked"]
            assert any(link in row[0 if part == "oracle" else 1] for row in cells), link
    for table in board["tables"].values():
        ranks = [row["rank"] for row in table["rows"]]
        # Competition ranks: each row's rank is 1 + the number of rows with a better value (ties share one).
        values = [row["metrics"][table["columns"][0]]["value"] for row in table["rows"]]
        finite = [-math.inf if v is None else v for v in values]
        assert ranks == [1 + sum(other > value for other in finite) for value in finite]
        assert all(row["inputs"] == "text" for row in table["rows"])
        assert all(row["inputs"] == "oracle" and "rank" not in row for row in table["oracle"])
        for row in table["rows"] + table["oracle"]:
            for path, metric in row["metrics"].items():
                assert metric["value"] is None or metric["ci"] is not None or "† No interval" in markdown \
                    or "‡ No interval" in markdown, path
        section = sections[_title(table["format"], table["split"])]
        for cells in section["ranked"]:
            assert all(CELL.match(cell) for cell in cells[3:]), cells
        for cells in section["oracle"]:
            assert all(CELL.match(cell) for cell in cells[2:]), cells
    dataset = board["dataset"]
    assert dataset["version"] in markdown and dataset["manifest_sha256"] in markdown


def test_every_baseline_on_every_task_and_split_with_intervals(board_dir: Path, mini: Release) -> None:
    assert_complete(board_dir)
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    assert board["bootstrap"] == {"replicates": 50, "seed": 0, "unit": leaderboard.bootstrap_units(),
                                  "confidence": 0.95}
    assert board["bootstrap"]["unit"]["events"] == {"coref": "article cluster", "spans": "article",
                                                    "coref_end_to_end": "article cluster"}
    assert board["bootstrap"]["unit"]["passages"] == {"links": "article cluster", "b3": "article cluster"}
    assert set(board["bootstrap"]["unit"]["quotes"].values()) == {"article"}
    markdown = (board_dir / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    assert ("and of the stories (article clusters) for the metrics of clusters (`links.*`, `b3.*`, `coref.*`, "
            "`coref_end_to_end.*`)") in markdown
    # The small release is one story: the metrics of clusters have no interval, and the note says why.
    events = board["tables"]["events"]["rows"][0]
    assert events["metrics"]["coref.conll_f1"]["ci"] is None
    assert events["metrics"]["spans.strict.f1"]["ci"] is not None
    assert "‡ No interval: these articles are one story" in markdown
    assert board["dataset"]["version"] == mini.version
    assert [s["system"] for s in board["systems"]] == list(dict.fromkeys(b.system.name for b in BASELINES))
    libraries = {s["system"]: s["library"] for s in board["systems"]}
    assert libraries["trafilatura"].startswith("trafilatura ") and libraries["random"] is None
    assert list(board["tables"]) == ["boilerplate", "boilerplate_synthetic", "boilerplate_text", "doc_pairs",
                                     "doc_pairs_synthetic", "passages", "quotes", "events"]


def test_each_system_says_what_it_reads_and_what_it_was_developed_on(board_dir: Path) -> None:
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    markdown = (board_dir / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    for info in board["systems"]:
        assert info["reads"] and info["developed_on"], info["system"]
        assert f"| {info['system']} | {info['inputs']} | {info['reads']} | {info['developed_on']} |" in markdown
    classifier = next(info for info in board["systems"] if info["system"] == "line-classifier")
    assert classifier["supervised"] and "supervised" in classifier["reads"]
    assert "leave-one-article-out" in classifier["developed_on"]


def test_rows_are_ranked_by_the_first_column(board_dir: Path) -> None:
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    for name, table in board["tables"].items():
        first = table["columns"][0]
        assert first == leaderboard.COLUMNS[table["format"]][0]
        for part in ("rows", "oracle"):
            values = [row["metrics"][first]["value"] for row in table[part]]
            assert values == sorted(values, reverse=True), name


def test_the_json_keeps_each_full_report_and_rebuilds_the_board(board_dir: Path) -> None:
    board = json.loads((board_dir / leaderboard.JSON).read_text(encoding="utf-8"))
    for table in board["tables"].values():
        for row in table["rows"] + table["oracle"]:
            report = row["report"]
            assert report["task"] == table["format"]
            assert report["bootstrap"]["replicates"] == 50
            assert report["dataset"]["manifest_sha256"] == board["dataset"]["manifest_sha256"]
    rebuilt = leaderboard.document(leaderboard.entries_of(board), bootstrap=50, seed=0)
    assert leaderboard.to_json(rebuilt) == (board_dir / leaderboard.JSON).read_text(encoding="utf-8")


def _doc_pairs_report(matrix_rows: dict[str, int], accuracy: float) -> dict:
    labels = ["exact", "near_duplicate", "partial_overlap", "same_event", "unrelated"]
    matrix = [[matrix_rows.get(label, 0) if column == 3 else 0 for column in range(6)] for label in labels]
    return {"task": "doc_pairs", "dataset": {"version": "9.9.9", "manifest_sha256": "f" * 64},
            "relations": {"macro_f1": 0.5, "accuracy": accuracy,
                          "confusion": {"gold": labels, "predicted": [*labels, "none"], "matrix": matrix}},
            "duplicate": {"f1": 0.0}, "scores": {"roc_auc": None, "spearman": 0.25},
            "ci": {"relations": {"macro_f1": [0.25, 0.75], "accuracy": [0.25, 0.75]},
                   "scores": {"spearman": [0.0, 0.5]}}}


def test_notes_say_what_a_table_cannot_show() -> None:
    report = _doc_pairs_report({"same_event": 9, "partial_overlap": 1}, 0.9)
    entries = [leaderboard.Entry("s", "doc_pairs", "p/s/doc_pairs.jsonl", report),
               leaderboard.Entry("floor", "doc_pairs", "p/floor/doc_pairs.jsonl", report, floor=True),
               leaderboard.Entry("weak", "doc_pairs", "p/weak/doc_pairs.jsonl",
                                 {**report, "relations": {**report["relations"], "macro_f1": 0.25}})]
    markdown = leaderboard.to_markdown(leaderboard.document(entries, bootstrap=10, seed=0))
    assert ("This table cannot separate systems: its 10 gold pairs are 9 `same_event` and 1 `partial_overlap`, so "
            "predicting `same_event` for every pair already scores `relations.accuracy` 0.900") in markdown
    assert "Ranked below the floor `floor`: `weak`." in markdown
    # A tie shares its rank and keeps the order the systems were given in, whatever their names.
    assert "| 1 | *[floor](p/floor/doc_pairs.jsonl)* (floor) |" in markdown
    assert markdown.index("| 1 | [s](p/s/doc_pairs.jsonl)") < markdown.index("| 1 | *[floor]")
    assert "| 3 | [weak](p/weak/doc_pairs.jsonl)" in markdown
    assert "`scores.roc_auc`" not in markdown.split("Not shown")[0]
    assert "Not shown, undefined on this release for every system: `scores.roc_auc`." in markdown
    cells = "0.500 [0.250, 0.750] | 0.900 [0.250, 0.750] | 0.000 † | 0.250 [0.000, 0.500]"
    assert f"| 1 | [s](p/s/doc_pairs.jsonl) |  | {cells} |" in markdown
    assert "† No interval" in markdown
    balanced = _doc_pairs_report({"same_event": 5, "partial_overlap": 5}, 0.5)
    markdown = leaderboard.to_markdown(leaderboard.document(
        [leaderboard.Entry("s", "doc_pairs", "p/s/doc_pairs.jsonl", balanced)], bootstrap=10, seed=0))
    assert "cannot separate" not in markdown


def test_an_oracle_is_listed_apart_and_never_ranked() -> None:
    report = _doc_pairs_report({"same_event": 2}, 1.0)
    entries = [leaderboard.Entry("cheat", "doc_pairs", "p/cheat/doc_pairs.jsonl", report, inputs="oracle",
                                 reads="the gold"),
               leaderboard.Entry("honest", "doc_pairs", "p/honest/doc_pairs.jsonl",
                                 {**report, "relations": {**report["relations"], "macro_f1": 0.25}})]
    board = leaderboard.document(entries, bootstrap=10, seed=0)
    table = board["tables"]["doc_pairs"]
    assert [(row["rank"], row["system"]) for row in table["rows"]] == [(1, "honest")]
    assert [row["system"] for row in table["oracle"]] == ["cheat"]
    markdown = leaderboard.to_markdown(board)
    assert markdown.index("| 1 | [honest]") < markdown.index("Oracle, not ranked") < markdown.index("| [cheat]")


def test_leaderboard_command_prints_the_file(board_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "leaderboard", "--out", str(board_dir))
    assert code == 0
    assert out == (board_dir / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    code, _, err = run_cli(capsys, "leaderboard", "--out", str(board_dir / "nowhere"))
    assert code == 2 and "newsgold baselines" in err


# --- leaderboard add -----------------------------------------------------------------------------------------


def _meta(tmp_path: Path, **fields: object) -> Path:
    meta = {"inputs": "raw article text", "url": "https://example.org/sys", "version": "1.0", "uses_gold": False,
            **fields}
    path = tmp_path / f"meta-{len(list(tmp_path.glob('meta-*')))}.json"
    path.write_text(json.dumps({k: v for k, v in meta.items() if v is not None}), encoding="utf-8")
    return path


def _submission(tmp_path: Path, name: str, files: dict[str, list[dict]]) -> Path:
    folder = tmp_path / name
    for relative, records in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


GOOD_QUOTES = [{"article_id": "a1", "start": 54, "end": 64, "type": "direct", "speaker": "Alice"}]
GOOD_PAIRS = [{"a": "a1", "b": "a2", "relation": "partial_overlap"}, {"a": "a1", "b": "a3", "relation": "unrelated"},
              {"a": "a2", "b": "a3", "relation": "unrelated"}]


@pytest.fixture
def cli_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "board"
    assert run_cli(capsys, "baselines", "--gold-dir", str(MINI / "data"), "--out", str(out), "--bootstrap", "20",
                   "--jobs", "1")[0] == 0
    return out


def test_add_puts_a_submission_on_the_board_and_regeneration_keeps_it(
        tmp_path: Path, cli_board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = _submission(tmp_path, "pred", {"quotes.jsonl": GOOD_QUOTES, "doc_pairs.jsonl": GOOD_PAIRS})
    common = ["--pred-dir", str(pred), "--out", str(cli_board), "--gold-dir", str(MINI / "data")]
    code, out, err = run_cli(capsys, "leaderboard", "add", "my-system", *common, "--meta", str(_meta(tmp_path)))
    assert code == 0, err
    assert re.search(r"^quotes: end_to_end\.f1 0\.667, rank \d of 3$", out, re.M), out
    assert re.search(r"^doc_pairs: relations\.macro_f1 1\.000, rank \d of 5$", out, re.M), out
    stored = cli_board / "baselines" / "submissions" / "my-system"
    assert sorted(p.name for p in stored.iterdir()) == ["doc_pairs.jsonl", "meta.json", "quotes.jsonl"]
    board = json.loads((cli_board / leaderboard.JSON).read_text(encoding="utf-8"))
    row = next(r for r in board["tables"]["quotes"]["rows"] if r["system"] == "my-system")
    assert row["predictions"] == "baselines/submissions/my-system/quotes.jsonl"
    assert row["metrics"]["end_to_end.f1"]["ci"] is not None and row["reads"] == "raw article text"
    info = next(s for s in board["systems"] if s["system"] == "my-system")
    assert (info["library"], info["url"], info["inputs"]) == ("my-system 1.0", "https://example.org/sys", "text")
    markdown = (cli_board / leaderboard.MARKDOWN).read_text(encoding="utf-8")
    assert "[my-system 1.0](https://example.org/sys)" in markdown

    # An oracle submission (it declares gold) goes into the oracle rows.
    code, out, err = run_cli(capsys, "leaderboard", "add", "with-gold", *common,
                             "--meta", str(_meta(tmp_path, uses_gold=True, inputs="text and the gold registry")))
    assert code == 0, err
    assert "quotes: end_to_end.f1 0.667, oracle rows, not ranked" in out
    board = json.loads((cli_board / leaderboard.JSON).read_text(encoding="utf-8"))
    assert "with-gold" in [r["system"] for r in board["tables"]["quotes"]["oracle"]]
    assert "with-gold" not in [r["system"] for r in board["tables"]["quotes"]["rows"]]
    assert [s["system"] for s in board["systems"]][-2:] == ["my-system", "with-gold"]

    # Regenerating scores the stored submissions again: nothing moves.
    code, _, err = run_cli(capsys, "baselines", "--gold-dir", str(MINI / "data"), "--out", str(cli_board),
                           "--bootstrap", "20", "--jobs", "1", "--check")
    assert code == 0, err
    # Replacing needs --replace.
    code, _, err = run_cli(capsys, "leaderboard", "add", "my-system", *common, "--meta", str(_meta(tmp_path)))
    assert code == 2 and "give --replace" in err
    fewer = _submission(tmp_path, "fewer", {"quotes.jsonl": []})
    code, _, err = run_cli(capsys, "leaderboard", "add", "my-system", "--pred-dir", str(fewer), "--out",
                           str(cli_board), "--gold-dir", str(MINI / "data"), "--meta", str(_meta(tmp_path)),
                           "--replace")
    assert code == 0, err
    assert sorted(p.name for p in stored.iterdir()) == ["meta.json", "quotes.jsonl"]
    board = json.loads((cli_board / leaderboard.JSON).read_text(encoding="utf-8"))
    assert "my-system" not in [r["system"] for r in board["tables"]["doc_pairs"]["rows"]]


def test_add_reads_each_file_once_and_warns_once(
        tmp_path: Path, cli_board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quotes = [{**GOOD_QUOTES[0], "speaker": "Nobody Known"}]
    pred = _submission(tmp_path, "pred", {"quotes.jsonl": quotes})
    code, _, err = run_cli(capsys, "leaderboard", "add", "my-system", "--pred-dir", str(pred), "--out",
                           str(cli_board), "--gold-dir", str(MINI / "data"), "--meta", str(_meta(tmp_path)))
    assert code == 0, err
    warning = f"{pred / 'quotes.jsonl'}:1: speaker: warning: 'Nobody Known' resolves to no entity"
    assert err.count(warning) == 1, err
    # Regenerating reads the stored submission once too.
    code, _, err = run_cli(capsys, "baselines", "--gold-dir", str(MINI / "data"), "--out", str(cli_board),
                           "--bootstrap", "20", "--jobs", "1", "--check")
    assert code == 0, err
    assert err.count("'Nobody Known' resolves to no entity") == 1, err


def test_add_refuses_a_bad_submission_and_writes_nothing(
        tmp_path: Path, cli_board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {name: (cli_board / name).read_bytes() for name in (leaderboard.JSON, leaderboard.MARKDOWN)}
    good = _submission(tmp_path, "good", {"quotes.jsonl": GOOD_QUOTES})
    cases = [
        (["Bad Name", good, _meta(tmp_path)], "'Bad Name' is not a valid name"),
        (["random", good, _meta(tmp_path)], "'random' is a reference system's name"),
        (["ok", good, _meta(tmp_path, url="ftp://x", uses_gold="no", version=None, extra=1)], "url: expected an http"),
        (["ok", good, _meta(tmp_path, uses_gold="no")], "uses_gold: expected true or false"),
        (["ok", good, _meta(tmp_path, version=None)], "version: missing"),
        (["ok", good, _meta(tmp_path, extra=1)], "extra: unknown field"),
        (["ok", good, _meta(tmp_path, inputs="a | b")], "inputs: must not hold a |"),
        (["ok", _submission(tmp_path, "misnamed", {"quote.jsonl": GOOD_QUOTES}), _meta(tmp_path)],
         "unknown prediction file 'quote.jsonl'"),
        (["ok", _submission(tmp_path, "synth", {"synthetic/doc_pairs.jsonl": GOOD_PAIRS}), _meta(tmp_path)],
         "the release has no synthetic split"),
        (["ok", _submission(tmp_path, "broken", {"quotes.jsonl": [{"article_id": "nope", "start": 0, "end": 1}]}),
          _meta(tmp_path)], "quotes.jsonl:1: article_id: unknown article id 'nope'"),
        (["ok", _submission(tmp_path, "empty", {}), _meta(tmp_path)], "no such folder"),
    ]
    for (name, pred, meta), message in cases:
        code, _, err = run_cli(capsys, "leaderboard", "add", name, "--pred-dir", str(pred), "--meta", str(meta),
                               "--out", str(cli_board), "--gold-dir", str(MINI / "data"))
        assert code == 2 and message in err, (message, err)
        assert "Traceback" not in err
    other = tmp_path / "other"
    shutil.copytree(cli_board, other)
    board = json.loads((other / leaderboard.JSON).read_text(encoding="utf-8"))
    board["dataset"]["manifest_sha256"] = "0" * 64
    (other / leaderboard.JSON).write_text(json.dumps(board), encoding="utf-8")
    code, _, err = run_cli(capsys, "leaderboard", "add", "ok", "--pred-dir", str(good), "--meta",
                           str(_meta(tmp_path)), "--out", str(other), "--gold-dir", str(MINI / "data"))
    assert code == 2 and "the board scored release" in err
    assert {name: (cli_board / name).read_bytes() for name in before} == before
    assert not (cli_board / "baselines" / "submissions").exists()


def test_a_submission_on_the_synthetic_split(tmp_path: Path, mini: Release) -> None:
    out = tmp_path / "board"
    run(out, mini, bootstrap=5, seed=0, jobs=1)
    pred = _submission(tmp_path, "pred", {"synthetic/doc_pairs.jsonl": GOOD_PAIRS, "synthetic/boilerplate.jsonl": [],
                                          "doc_pairs.jsonl": GOOD_PAIRS})
    added = add(out, "dup", pred, _meta(tmp_path), mini)
    # In the scorers' order, the real split before the synthetic one.
    assert [(e.name, e.split) for e in added.entries] == [("boilerplate", SYNTHETIC), ("doc_pairs", REAL),
                                                         ("doc_pairs", SYNTHETIC)]
    table = added.board["tables"]["doc_pairs_synthetic"]
    dup = next(row for row in table["rows"] if row["system"] == "dup")
    assert dup["rank"] == 1  # a perfect submission, tied with any other perfect row
    assert dup["predictions"] == "baselines/submissions/dup/synthetic/doc_pairs.jsonl"
    assert check(out, mini, bootstrap=5, seed=0) == []
    with pytest.raises(InputError, match=r"no synthetic gold for 'quotes\.jsonl'"):
        add(out, "dup2", _submission(tmp_path, "bad", {"synthetic/quotes.jsonl": GOOD_QUOTES}), _meta(tmp_path),
            mini)


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
        out, err = process.communicate(timeout=1800)
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
