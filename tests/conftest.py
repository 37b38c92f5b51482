"""Shared fixtures: a copy of a source tree (the repository or the small fixture) to break and rebuild."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.release.dataset import Release
from newsgold.release.validate import CACHE_ENV

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"


@pytest.fixture(autouse=True, scope="session")
def validation_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folders found valid are remembered in a cache of the test session's own, never in the user's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ[CACHE_ENV] = str(folder)
    return folder


def copy_tree(source: Path, target: Path) -> Path:
    for part in ("data", "annotation/gold"):
        if (source / part).exists():
            shutil.copytree(source / part, target / part, ignore=shutil.ignore_patterns(".build-*", ".previous-*"))
    return target


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture tree (two articles, every layer annotated)."""
    return copy_tree(MINI, tmp_path / "mini")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's raw articles, gold and release."""
    return copy_tree(REPO, tmp_path / "repo")


def with_synthetic(release: Release) -> Release:
    """The release with a synthetic split: its own articles, pairs and line labels under the synthetic configs.

    The small fixture is too short for ``newsgold synth`` to derive documents from; this stands in for them.
    """
    records = dict(release.records)
    for ordinary, synthetic in (("articles", "articles_synthetic"), ("doc_pairs", "doc_pairs_synthetic"),
                                ("boilerplate", "boilerplate_synthetic")):
        records[synthetic] = [dict(record) for record in release.records[ordinary]]
    return Release(release.data_dir, release.version, release.manifest_sha256, release.articles, records)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def project_clone(target: Path) -> Path:
    """What a new user has: a ``git clone --no-tags`` of this repository, with the working tree's files laid over
    it (so that the changes not committed yet are what is tested). Skips outside a git checkout."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout (a clone is needed)")
    subprocess.run(["git", "clone", "--quiet", "--no-tags", str(REPO), str(target)], check=True, capture_output=True)
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        source, copy = REPO / relative, target / relative
        if source.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
        elif copy.is_file():  # deleted in the working tree, not yet committed
            copy.unlink()
    return target


def command_env(project: Path, home: Path) -> dict[str, str]:
    """The environment to run ``newsgold`` and Python in ``project`` as its user would: its own code first on
    the path, a ``newsgold`` command on PATH, and caches under ``home`` (never the user's)."""
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "newsgold"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m newsgold "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LABEL_STUDIO_", "HF_", "PYTHON", "NEWSGOLD_"))}
    env.update(PYTHONPATH=str(project / "src"), PATH=os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent),
                                                                       env.get("PATH", "")]),
               HF_HOME=str(home / "hf"), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    return env


# Label Studio: the live server (tests marked ``labelstudio``) and a built tree with the labeling configs.
from labelstudio_server import label_studio_server, labelstudio_tree  # noqa: E402, F401
