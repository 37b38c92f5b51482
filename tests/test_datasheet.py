"""DATASHEET.md: every section of Datasheets for Datasets, and figures that cannot drift from the data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from newsgold.agreement.datasheet import DATASHEET, blocks, rewrite, stale_blocks
from newsgold.cli import main
from newsgold.release.build import build
from newsgold.version import __version__
from test_hub import gold_records, write_gold

SECTIONS = ("Motivation", "Composition", "Collection process", "Preprocessing, cleaning and labelling", "Uses",
            "Distribution", "Maintenance")
SKELETON = "# Datasheet\n\n" + "".join(f"<!-- generated:{name} -->\n<!-- /generated:{name} -->\n\n"
                                        for name in ("sizes", "labels", "agreement"))


def test_repository_datasheet_matches_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "datasheet", "--check", "--root", str(REPO))
    assert (code, err) == (0, ""), err


def test_datasheet_has_every_section_and_states_its_limits() -> None:
    text = (REPO / DATASHEET).read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, re.M) == list(SECTIONS)
    for needed in ("Five articles, one story", "English only", "CC BY 4.0", "MIT", "scraped news articles",
                   "annotation/guidelines", "annotation/adjudication", "Two independent passes",
                   "cite many of the hard lines"):
        assert needed in text, needed


@pytest.fixture
def sheet_root(tmp_path: Path) -> Path:
    """A copy of the repository's raw articles, gold, passes and datasheet, built and with its figures."""
    root = tmp_path / "repo"
    for part in ("data/raw", "annotation/passes", "annotation/gold"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / DATASHEET, root / DATASHEET)
    build(root)
    code = main(["datasheet", "--root", str(root)])
    assert code == 0
    return root


def test_check_fails_when_a_count_is_altered(sheet_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    path = sheet_root / DATASHEET
    text = path.read_text(encoding="utf-8")
    quotes = len(gold_records(sheet_root, "quotes"))
    altered = text.replace(f"| `quotes` | {quotes} |", f"| `quotes` | {quotes + 1} |", 1)
    assert altered != text
    path.write_text(altered, encoding="utf-8")
    code, _, err = run_cli(capsys, "datasheet", "--check", "--root", str(sheet_root))
    assert code == 1
    assert err.splitlines() == [f"{path}: generated block 'sizes' differs from the data",
                                "run `newsgold datasheet` to rewrite the generated blocks"]
    assert run_cli(capsys, "datasheet", "--root", str(sheet_root))[0] == 0
    assert path.read_text(encoding="utf-8") == text
    assert run_cli(capsys, "datasheet", "--check", "--root", str(sheet_root))[0] == 0


def test_check_fails_when_the_data_changes(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / DATASHEET).write_text(SKELETON, encoding="utf-8")
    assert run_cli(capsys, "datasheet", "--root", str(mini))[0] == 0
    assert run_cli(capsys, "datasheet", "--check", "--root", str(mini))[0] == 0
    write_gold(mini, "quotes", gold_records(mini, "quotes")[:1])
    build(mini)
    code, _, err = run_cli(capsys, "datasheet", "--check", "--root", str(mini))
    assert code == 1
    assert [line.split("'")[1] for line in err.splitlines()[:-1]] == ["sizes", "labels"]


def test_missing_and_unknown_blocks(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / DATASHEET
    path.write_text(SKELETON.replace("agreement", "agreements"), encoding="utf-8")
    code, _, err = run_cli(capsys, "datasheet", "--check", "--root", str(mini))
    assert code == 1
    assert f"{path}: generated block 'agreement' is missing" in err
    assert f"{path}: generated block 'agreements' is not a known block" in err
    code, _, err = run_cli(capsys, "datasheet", "--root", str(mini))
    assert code == 2
    assert err.splitlines() == [f"{path}:0: agreement: generated block is missing: add its markers",
                                f"{path}:0: agreements: unknown generated block"]


def test_rewrite_touches_only_the_blocks(mini: Path) -> None:
    text = "Intro.\n\n<!-- generated:sizes -->\nold\n<!-- /generated:sizes -->\n\nOutro.\n"
    generated = blocks(mini)
    new = rewrite(text, generated)
    assert new.startswith(f"Intro.\n\n<!-- generated:sizes -->\nRelease {__version__}: 3 articles in 1 cluster(s)")
    assert new.endswith("<!-- /generated:sizes -->\n\nOutro.\n")
    assert stale_blocks(new, {"sizes": generated["sizes"]}) == []
