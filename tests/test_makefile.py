"""``make test`` and the browser: installed only where it may be, announced before apt-get runs, and a missing
browser is a failure under CI but one skip line naming ``make browser`` elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import browser
from conftest import REPO


def dry_run(*assignments: str, ci: str | None = None) -> list[str]:
    """The commands ``make test`` would run, with no Chromium found (and the venv taken as installed)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run(["make", "--dry-run", "test", "CHROMIUM=", "STAMP=Makefile", *assignments], cwd=REPO,
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def apt_lines(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines) if "apt-get" in line and not line.startswith("echo")]


def test_make_test_says_what_it_installs_before_apt_runs() -> None:
    for lines in (dry_run("SUDO="), dry_run("SUDO=sudo", ci="true")):  # as root; under CI through sudo
        announced = [n for n, line in enumerate(lines) if line.startswith("echo") and "installing" in line]
        assert announced and apt_lines(lines), lines
        assert announced[0] < apt_lines(lines)[0]
        assert "chromium" in lines[announced[0]]


def test_make_test_leaves_apt_alone_without_root_or_ci() -> None:
    assert apt_lines(dry_run("SUDO=sudo")) == []
    assert apt_lines(dry_run("SUDO=sudo", ci="false")) == []


def test_without_chromium_a_browser_test_skips_naming_make_browser_and_fails_under_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        browser.chromium()
    assert "`make browser`" in str(skipped.value) and "\n" not in str(skipped.value)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        browser.chromium()
    assert str(failed.value).startswith("CI=true: Chromium is not installed")
