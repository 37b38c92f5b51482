"""The index of releases: a release loads and diffs by its version number in any clone, with or without tags."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsgold
from conftest import REPO, command_env, project_clone, run_cli
from newsgold.errors import InputError
from newsgold.release.build import build
from newsgold.release.revisions import RELEASES, ReleaseEntry, read_index, record_release
from newsgold.version import __version__ as VERSION
from test_hub import git, offline, set_speaker

__all__ = ["offline"]  # a fixture, imported so that pytest finds it here


def released(repo: Path) -> str:
    """Commit the tree as a release (the fixture's version) and record it, as docs/versioning.md says; the
    release commit."""
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Release {VERSION}")
    entry, new = record_release(repo)
    assert new and entry.version == VERSION
    git(repo, "add", RELEASES)
    git(repo, "commit", "-q", "-m", f"Record release {VERSION}")
    return entry.commit


@pytest.fixture
def corrected(mini: Path) -> Path:
    """A checkout whose release is recorded (no tag) and whose working release has one speaker corrected
    since."""
    released(mini)
    set_speaker(mini, "q-a1-01", "bob")
    build(mini)
    git(mini, "commit", "-q", "-am", "Correction")
    return mini


def test_recording_a_release_writes_the_index(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit = released(mini)
    manifest = (mini / "data" / "MANIFEST.json").read_bytes()
    date = subprocess.run(["git", "-C", str(mini), "show", "-s", "--format=%cs", commit], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert read_index(mini) == {VERSION: ReleaseEntry(VERSION, commit, date, hashlib.sha256(manifest).hexdigest())}
    assert json.loads((mini / RELEASES).read_text(encoding="utf-8")) == {
        VERSION: {"commit": commit, "date": date, "manifest_sha256": hashlib.sha256(manifest).hexdigest()}}
    # Recording it again changes nothing; recording another commit as VERSION is refused: a release never moves.
    code, out, _ = run_cli(capsys, "release", "--root", str(mini), "--commit", commit)
    assert code == 0 and out.endswith("already recorded\n")
    code, out, err = run_cli(capsys, "release", "--root", str(mini))
    assert (code, out) == (2, "")
    assert err == (f"{mini / RELEASES}:2: {VERSION}: release {VERSION} is already recorded at commit {commit[:12]}; a "
                   "published release never moves: set a new version in src/newsgold/version.py and rebuild\n")
    assert run_cli(capsys, "release", "--root", str(mini), "--commit", "nope")[2] == (
        f"{mini}:0: --commit: no commit 'nope' in this checkout\n")


def test_a_malformed_index_is_reported_entry_by_entry(tmp_path: Path) -> None:
    (tmp_path / RELEASES).write_text(json.dumps({
        "0.1.0": {"commit": "abc", "date": "23 Nov", "manifest_sha256": "0" * 64},
        "one": {"commit": "a" * 40, "date": "2026-11-23", "manifest_sha256": "0" * 64},
        "0.2.0": {"commit": "a" * 40}}, indent=2), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_index(tmp_path)
    where = tmp_path / RELEASES
    assert str(raised.value).splitlines() == [
        f"{where}:2: 0.1.0.commit: expected a full commit hash (40 hex digits)",
        f"{where}:2: 0.1.0.date: expected a date YYYY-MM-DD",
        f"{where}:7: one: not a version MAJOR.MINOR.PATCH",
        f"{where}:12: 0.2.0: expected an object with exactly commit, date and manifest_sha256"]
    (tmp_path / RELEASES).write_text('{"0.1.0": {}, "0.1.0": {}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate key '0\.1\.0'"):
        read_index(tmp_path)


@pytest.mark.usefixtures("offline")
def test_load_and_diff_find_a_version_through_the_index_without_tags(corrected: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert subprocess.run(["git", "-C", str(corrected), "tag"], capture_output=True, text=True).stdout == ""
    cache = tmp_path / "cache"
    assert newsgold.load("quotes", version=VERSION, root=corrected, cache_dir=cache)[0]["speaker"] == "alice"
    assert newsgold.load("quotes", data_dir=corrected / "data", cache_dir=cache)[0]["speaker"] == "bob"
    capsys.readouterr()  # the progress bars of datasets
    for old in (VERSION, f"v{VERSION}"):
        code, out, err = run_cli(capsys, "diff", old, str(corrected / "data"), "--root", str(corrected))
        assert (code, err) == (1, "")
        assert out.startswith(f"OLD  {VERSION} (") and '  ~ q-a1-01: speaker "alice" → "bob"' in out.splitlines()
    with pytest.raises(InputError) as raised:
        newsgold.load("quotes", version="0.2.0", root=corrected, cache_dir=cache)
    assert str(raised.value) == (f"{corrected}:0: version: no release 0.2.0: not in releases.json "
                                 f"(recorded: {VERSION}) and no tag v0.2.0 (release tags: none)")


@pytest.mark.usefixtures("offline")
def test_an_export_that_is_not_the_recorded_release_is_refused(corrected: Path, tmp_path: Path) -> None:
    index = json.loads((corrected / RELEASES).read_text(encoding="utf-8"))
    index[VERSION]["manifest_sha256"] = "f" * 64
    (corrected / RELEASES).write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(InputError, match=rf"releases.json:0: {VERSION}: data/ of commit \w{{12}} has manifest "
                                         r"sha256 \w{12}, "
                                         r"not the ffffffffffff recorded"):
        newsgold.load("quotes", version=VERSION, root=corrected, cache_dir=tmp_path / "cache")


def test_without_the_commit_only_the_identical_release_is_at_hand(corrected: Path, tmp_path: Path) -> None:
    # A folder that is not a checkout (an installed package) holds data/ and releases.json: the recorded
    # version is there when its data is that release byte for byte, and refused otherwise.
    installed = tmp_path / "installed"
    (installed / "data").mkdir(parents=True)
    (installed / RELEASES).write_bytes((corrected / RELEASES).read_bytes())
    subprocess.run(f"git -C {corrected} archive HEAD~1 data | tar -x -C {installed}", shell=True, check=True)
    from newsgold.release.revisions import release_data

    assert release_data(VERSION, installed, None, tmp_path / "cache")[0] == installed / "data"
    subprocess.run(f"git -C {corrected} archive HEAD data | tar -x -C {installed}", shell=True, check=True)
    with pytest.raises(InputError, match=r"is not a git checkout of newsgold, and its data/ is another build "
                                         r"\(manifest sha256 \w{12}, recorded \w{12}\); clone the repository"):
        release_data(VERSION, installed, None, tmp_path / "cache")


def test_the_committed_index_names_commits_of_this_history() -> None:
    index = read_index(REPO)
    assert "0.1.0" in index
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    shallow = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"], capture_output=True,
                             text=True).stdout.strip()
    for version, entry in index.items():
        shown = subprocess.run(["git", "-C", str(REPO), "show", f"{entry.commit}:data/MANIFEST.json"],
                               capture_output=True)
        if shown.returncode != 0 and shallow == "true":
            pytest.skip("a shallow clone lacks the release commits; fetch the full history")
        assert shown.returncode == 0, f"{version}: commit {entry.commit} is not in this history"
        assert hashlib.sha256(shown.stdout).hexdigest() == entry.manifest_sha256, version
        assert json.loads(shown.stdout)["version"] == version


@pytest.mark.slow
def test_a_fresh_clone_without_tags_loads_and_diffs_0_1_0(tmp_path: Path) -> None:
    clone = project_clone(tmp_path / "clone")
    env = command_env(clone, tmp_path / "home")
    assert subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True).stdout == ""
    loaded = subprocess.run([sys.executable, "-c", "import newsgold; ds = newsgold.load('quotes', version='0.1.0'); "
                             "print(len(ds), ds[0]['quote_id'])"], cwd=clone, env=env, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split()[0] == "73"
    for old in ("0.1.0", "v0.1.0"):
        diffed = subprocess.run(["newsgold", "diff", old, "data"], cwd=clone, env=env, capture_output=True, text=True)
        assert (diffed.returncode, diffed.stderr) == (0, ""), diffed.stdout
        assert diffed.stdout.startswith(f"OLD  0.1.0 ({read_index(clone)['0.1.0'].commit[:12]})")
        assert diffed.stdout.splitlines()[-1] == "the records are identical: scores are comparable between OLD and NEW"
