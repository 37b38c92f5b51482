"""Shared fixtures: a copy of a source tree (the repository or the small fixture) to break and rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.dataset import Release

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"


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


# Label Studio: the live server (tests marked ``labelstudio``) and a built tree with the labeling configs.
from labelstudio_server import label_studio_server, labelstudio_tree  # noqa: E402, F401
