"""``newsgold diff``: records added, removed and changed between two releases, by record key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from newsgold.corpus import sha256_bytes
from newsgold.records import CONFIGS
from newsgold.release.build import build
from newsgold.release.layout import MANIFEST
from newsgold.version import __version__
from test_hub import git, gold_records, set_speaker, write_gold


@pytest.fixture
def two_releases(mini: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The fixture's release, and a copy whose one quote has another speaker."""
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    set_speaker(new, "q-a1-01", "bob")
    build(new)
    return mini / "data", new / "data"


def test_one_changed_quote_is_exactly_what_is_reported(two_releases: tuple[Path, Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_releases
    code, out, err = run_cli(capsys, "diff", str(old), str(new))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"OLD  {old} (version {__version__}, manifest ")
    assert lines[1].startswith(f"NEW  {new} (version {__version__}, manifest ")
    for line, side in ((lines[0], old), (lines[1], new)):
        assert line.endswith(f"manifest {sha256_bytes((side / MANIFEST).read_bytes())[:12]})")
    assert lines[2:] == [
        "quotes: 0 added, 0 removed, 1 changed",
        '  ~ q-a1-01: speaker "alice" → "bob"',
        "unchanged: " + ", ".join(c for c in CONFIGS if c != "quotes"),
        "1 record(s) differ: scores of quotes are not comparable between OLD and NEW",
    ]


def test_json_output(two_releases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_releases
    code, out, _ = run_cli(capsys, "diff", "--json", str(old), str(new))
    report = json.loads(out)
    assert code == 1
    assert report["configs"] == {"quotes": {"added": [], "removed": [], "changed": {"q-a1-01": ["speaker"]}}}
    assert report["comparable"] is False and report["affected_tasks"] == ["quotes"]


def test_identical_releases_are_comparable(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "diff", str(mini), str(mini / "data"))
    assert code == 0
    assert out.splitlines()[-1] == "the records are identical: scores are comparable between OLD and NEW"


def test_added_removed_and_shared_records(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    mentions = gold_records(new, "event_mentions")
    mentions[0]["mention_id"] = "m-a1-99"  # a new key: one removed, one added
    write_gold(new, "event_mentions", mentions)
    entities = gold_records(new, "entities")
    entities[2]["aliases"] = ["Paris", "the French capital"]
    write_gold(new, "entities", entities)
    build(new)
    code, out, _ = run_cli(capsys, "diff", str(mini / "data"), str(new / "data"))
    assert code == 1
    body = out.splitlines()[2:]
    assert body[:6] == [
        "entities: 0 added, 0 removed, 1 changed",
        '  ~ paris: aliases ["Paris"] → ["Paris", "the French capital"]',
        "event_mentions: 1 added, 1 removed, 0 changed",
        "  + m-a1-99",
        "  - m-a1-01",
        "unchanged: " + ", ".join(c for c in CONFIGS if c not in ("entities", "event_mentions")),
    ]
    # entities are referred to by quotes and events: both tasks' scores may move
    assert body[-1] == "3 record(s) differ: scores of quotes, events are not comparable between OLD and NEW"


def test_git_revisions_and_versions(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "release")
    git(mini, "tag", "v0.1.0")
    set_speaker(mini, "q-a1-01", "bob")
    build(mini)
    git(mini, "commit", "-q", "-am", "correction")
    for old in ("v0.1.0", "0.1.0", "HEAD~1"):
        code, out, err = run_cli(capsys, "diff", old, "HEAD", "--root", str(mini))
        assert (code, err) == (1, "")
        assert '  ~ q-a1-01: speaker "alice" → "bob"' in out.splitlines()
    code, out, _ = run_cli(capsys, "diff", "v0.1.0", str(mini / "data"), "--root", str(mini))
    assert code == 1 and out.splitlines()[0].startswith("OLD  v0.1.0 (")


def test_unknown_side_is_one_line(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "diff", "no-such-thing", str(mini / "data"), "--root", str(mini))
    assert (code, out) == (2, "")
    assert err == "no-such-thing:0: -: neither a release folder nor, outside a git checkout, a revision\n"
