"""An installed newsgold: its release is read only, and the commands that write need a project.

The wheel is built from this checkout and installed into a fresh virtual environment (without pip; its
dependencies come from the test environment's site-packages through a ``.pth`` file, so nothing is
downloaded). Every command then runs from an empty folder, as a user who ran ``pip install newsgold`` would.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO
from newsgold.scoring import score

pytestmark = pytest.mark.slow

QUOTES = REPO / "baselines" / "predictions" / "quote-rules" / "quotes.jsonl"
NO_PROJECT = "no newsgold project here or in any folder above"


def tree_digest(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel of this checkout installed (not editable)."""
    folder = tmp_path_factory.mktemp("installed")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(folder / "wheel"), str(REPO)], check=True, capture_output=True)
    (wheel,) = (folder / "wheel").glob("newsgold-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    (site,) = (venv / "lib").glob("python*/site-packages")
    # The dependencies are those of the test environment; its own newsgold comes after the installed one.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def newsgold(venv: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(venv / "bin" / "newsgold"), *argv], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def test_writing_commands_refuse_outside_a_project_and_the_release_stays_intact(installed: Path,
                                                                                tmp_path: Path) -> None:
    site = next((installed / "lib").glob("python*/site-packages"))
    package = site / "newsgold"
    assert (package / "_release" / "data" / "MANIFEST.json").is_file()
    before = tree_digest(package)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "x.txt").write_text("A headline\nA line.\n", encoding="utf-8")
    (empty / "export.json").write_text("[]", encoding="utf-8")
    refused = {
        "build": ["build"],
        "build --check": ["build", "--check"],
        "add": ["add", "mycluster", "x.txt"],
        "check": ["check", "annotation/gold"],
        "datasheet": ["datasheet"],
        "baselines": ["baselines", "--jobs", "1", "--bootstrap", "1"],
        "ls import": ["ls", "import", "quotes", "export.json", "--into", "gold"],
    }
    for name, argv in refused.items():
        done = newsgold(installed, empty, *argv)
        assert (done.returncode, done.stdout) == (2, ""), f"{name}: {done.stdout}{done.stderr}"
        assert done.stderr == f"{empty}:0: -: {NO_PROJECT} (a folder with annotation/ and data/raw/); work inside " \
                              "one, or give it with --root\n", name
    # The package is no project, even when named, and no output goes into it.
    for argv in (["build", "--root", str(package / "_release")], ["add", "c", "x.txt", "--root", str(package)]):
        done = newsgold(installed, empty, *argv)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "is inside the installed newsgold package, which is read only" in done.stderr
    done = newsgold(installed, empty, "synth", "--out", str(package / "_release" / "synthetic"), "--n", "5")
    assert done.returncode == 2 and "is inside the installed newsgold package" in done.stderr
    assert sorted(path.name for path in empty.iterdir()) == ["export.json", "x.txt"]  # nothing written here either
    assert tree_digest(package) == before

    # Reading commands read the shipped release; outputs a user names go where the user says.
    done = newsgold(installed, empty, "validate")
    assert done.returncode == 0, done.stderr
    done = newsgold(installed, empty, "score", "quotes", "--pred", str(QUOTES), "--json", "-")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == score("quotes", QUOTES, REPO / "data")  # as the checkout scores it
    load = ("import newsgold, sys; ds = newsgold.load('quotes', cache_dir=sys.argv[1]); print(len(ds))")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(installed / "bin" / "python"), "-c", load, str(tmp_path / "cache")], cwd=empty,
                          capture_output=True, text=True, env=env, timeout=300)
    assert (done.returncode, done.stdout) == (0, "73\n"), done.stderr
    done = newsgold(installed, empty, "synth", "--out", "synthetic", "--n", "20")
    assert done.returncode == 0 and (empty / "synthetic" / "MANIFEST.json").is_file(), done.stderr
    assert tree_digest(package) == before
