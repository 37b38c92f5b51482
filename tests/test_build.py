"""The build is deterministic, refuses changed raw files, and never leaves a half-written release."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from newsgold.errors import InputError
from newsgold.release.build import annotated_configs, build, check_up_to_date

SEEDS = REPO.parent / "shared" / "seeds"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(repo_copy: Path) -> None:
    build(repo_copy)
    first = tree_bytes(repo_copy / "data")
    result = build(repo_copy)
    assert tree_bytes(repo_copy / "data") == first
    assert result.changed == []


def test_committed_release_is_what_the_gold_builds() -> None:
    assert check_up_to_date(REPO) == []


def test_released_files_use_newline_endings_and_schema_key_order(mini: Path) -> None:
    build(mini)
    text = (mini / "data" / "quotes" / "test.jsonl").read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    assert text.startswith('{"quote_id": "q-a1-01", "article_id": "a1", "type": "direct", "start": ')


def test_raw_files_equal_the_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip("the seed folder is not beside this checkout")
    raw = sorted((REPO / "data" / "raw" / "blinken-beijing-2023").glob("*.txt"))
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [p.name for p in raw] == [p.name for p in seeds]
    for ours, theirs in zip(raw, seeds, strict=True):
        assert hashlib.sha256(ours.read_bytes()).hexdigest() == hashlib.sha256(theirs.read_bytes()).hexdigest()


def test_changed_raw_file_is_refused_naming_the_file(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = mini / "data" / "raw" / "mini" / "a1.txt"
    raw.write_bytes(raw.read_bytes().replace(b"Alice", b"Alicia", 1))
    code, out, err = run_cli(capsys, "build", "--root", str(mini))
    assert code == 2
    assert err == f"{raw}:0: sha256: raw file no longer matches the raw manifest (sha256 or size changed)\n"
    assert "Traceback" not in err and out == ""


def test_failed_build_leaves_previous_release_untouched(mini: Path) -> None:
    before = tree_bytes(mini / "data")
    gold = mini / "annotation" / "gold" / "quotes.jsonl"
    gold.write_text(gold.read_text(encoding="utf-8").replace('"We agreed,"', '"We agreed"'), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        build(mini)
    assert [str(p) for p in raised.value.problems] == [
        f"{gold}:1: text: text 'We agreed' does not equal the article's text at [54, 64): 'We agreed,'"
    ]
    assert tree_bytes(mini / "data") == before
    assert not list((mini / "data").glob(".*"))


def test_empty_gold_builds_and_validates(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for gold in (mini / "annotation" / "gold").glob("*.jsonl"):
        gold.write_text("", encoding="utf-8")
    for config in annotated_configs():
        shutil.rmtree(mini / "data" / config)  # dropping gold from a release is done on purpose, config by config
    result = build(mini)
    assert result.rows["articles"] == 3 and result.rows["quotes"] == 0
    assert run_cli(capsys, "validate", str(mini / "data"))[0] == 0


def test_add_copies_articles_and_records_them(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "c1.txt"
    source.write_bytes(b"Headline\nBody text.\n")
    code, out, _ = run_cli(capsys, "add", "other-cluster", str(source), "--root", str(mini))
    assert code == 0 and "added" in out
    assert (mini / "data" / "raw" / "other-cluster" / "c1.txt").read_bytes() == source.read_bytes()
    # unannotated new cluster: the existing boilerplate layer no longer covers every line
    with pytest.raises(InputError) as raised:
        build(mini)
    assert any("missing line label: c1 line 1 'Headline'" in str(p) for p in raised.value.problems)



def test_interrupted_swap_puts_the_previous_release_back(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini)
    before = tree_bytes(mini / "data")
    gold = mini / "annotation" / "gold" / "events.jsonl"
    gold.write_text(gold.read_text(encoding="utf-8").replace("Alice and Bob meet", "Alice and Bob met"),
                    encoding="utf-8")
    calls = {"n": 0}
    rename = Path.rename

    def flaky(self: Path, target: Path) -> Path:  # the fifth move of the swap is interrupted
        calls["n"] += 1
        if calls["n"] == 5 and ".previous-" not in str(self):
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", flaky)
    with pytest.raises(KeyboardInterrupt):
        build(mini)
    monkeypatch.undo()
    assert tree_bytes(mini / "data") == before
    assert not list((mini / "data").glob(".*"))


def test_a_build_that_would_lose_gold_refuses(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {path: path.read_bytes() for path in (mini / "data").rglob("*") if path.is_file()}
    shutil.rmtree(mini / "annotation" / "gold")
    (mini / "annotation" / "gold").mkdir()
    (mini / "annotation" / "gold" / "quotes.jsonl").write_text("", encoding="utf-8")
    code, out, err = run_cli(capsys, "build", "--root", str(mini))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"{mini / 'annotation' / 'gold'}:0: -: no gold record of ")
    assert "quotes (2 records), events (1 record), event_mentions (3 records), which the release has" in err
    assert {path: path.read_bytes() for path in (mini / "data").rglob("*") if path.is_file()} == before
