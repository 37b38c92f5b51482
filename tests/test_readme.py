"""The READMEs are executed: every shell command and Python block runs, in order, as a new user would run it.

Every fenced ``sh``/``bash``/``shell`` and ``python`` block of the files in ``DOCUMENTS`` is read, so a
command added to them later is run too. They run in a fresh ``git clone --no-tags`` of the repository with
the working tree's files laid over it (``conftest.project_clone``), from its root, with the code of that
clone, caches in a temporary folder, and no Label Studio server configured. Each shell line must exit 0 and
each Python block must run without an exception; afterwards the checkout the tests run from is unchanged.

What is not run is listed in ``NOT_RUN`` with its reason, and must stay short: only what needs a live
server. ``make`` lines are run with ``--dry-run`` (``make test`` is this very suite, and ``make benchmark``
sets up a virtual environment; each of their steps is a command run here or by other tests). A file a command
names that a reader would bring themselves (a Label Studio export) is made by ``PLACEHOLDERS`` first.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, command_env, project_clone
from newsgold.cli import parser

DOCUMENTS = ("README.md", "annotation/README.md")
SHELL = {"sh", "bash", "shell"}
PYTHON = {"python", "py"}
NOT_CODE = {"", "text", "json", "jsonl", "yaml", "xml", "toml", "markdown", "md", "diff"}

# Command lines (regular expressions) that need a live Label Studio server, which tests/test_labelstudio_live.py
# starts and drives: push and pull run there against a real server.
NOT_RUN = {
    r"^newsgold ls (push|pull)\b": "talks to a Label Studio server",
    r"(^|/)label-studio start\b": "starts a Label Studio server",
    r"^export LABEL_STUDIO_": "points the commands at a Label Studio server",
}
# Files a reader brings themselves, made before the commands run: a Label Studio JSON export.
PLACEHOLDERS = {
    "export.json": "newsgold ls export quotes --annotations gold --out export.json",
}
TIMEOUT = 900


@dataclass(frozen=True)
class Step:
    document: str
    line: int
    kind: str  # "shell" or "python"
    code: str

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """Every fenced block as (line of its first code line, language, code), indented blocks de-indented."""
    blocks, lines, number = [], text.splitlines(), 0
    while number < len(lines):
        opening = re.match(r"^( *)```(\S*)\s*$", lines[number])
        number += 1
        if not opening:
            continue
        indent, language, start, body = len(opening.group(1)), opening.group(2).lower(), number + 1, []
        while number < len(lines) and not re.match(r"^ *```\s*$", lines[number]):
            line = lines[number]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            number += 1
        number += 1
        blocks.append((start, language, "\n".join(body) + "\n"))
    return blocks


def shell_commands(code: str, first: int) -> list[tuple[int, str]]:
    """The commands of a shell block, one per line (a line ending in a backslash continues), comments left out."""
    commands, pending, start = [], "", first
    for offset, line in enumerate(code.splitlines()):
        if not pending:
            start = first + offset
        pending += line
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip() and not pending.lstrip().startswith("#"):
            commands.append((start, pending.strip()))
        pending = ""
    return commands


def steps() -> list[Step]:
    found = []
    for document in DOCUMENTS:
        for first, language, code in fenced_blocks((REPO / document).read_text(encoding="utf-8")):
            if language in PYTHON:
                found.append(Step(document, first, "python", code))
            elif language in SHELL:
                found += [Step(document, line, "shell", command) for line, command in shell_commands(code, first)]
            else:
                assert language in NOT_CODE, f"{document}:{first}: a ```{language} block: run it here or list it"
    return found


STEPS = steps()


def not_run(step: Step) -> str | None:
    if step.kind != "shell":
        return None
    return next((reason for pattern, reason in NOT_RUN.items() if re.search(pattern, step.code)), None)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    home = tmp_path_factory.mktemp("readme")
    clone = project_clone(home / "newsgold")
    env = command_env(clone, home)
    for name, command in PLACEHOLDERS.items():
        subprocess.run(command, shell=True, cwd=clone, env=env, check=True, capture_output=True, timeout=TIMEOUT)
        assert (clone / name).exists(), name
    return clone, env


@pytest.fixture(scope="module")
def checkout_status() -> str:
    return _status()


def _status() -> str:
    if not (REPO / ".git").exists():
        return ""
    return subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"],
                          capture_output=True, text=True, check=True).stdout


def test_the_documents_have_commands_to_run() -> None:
    kinds = {(step.document, step.kind) for step in STEPS if not not_run(step)}
    assert kinds >= {(d, "shell") for d in DOCUMENTS} | {("README.md", "python")}
    assert all(any(re.search(pattern, step.code) for step in STEPS) for pattern in NOT_RUN), "a stale NOT_RUN entry"


@pytest.mark.parametrize("step", [s for s in STEPS if not_run(s) and s.code.startswith("newsgold ")],
                         ids=lambda step: step.id)
def test_a_server_command_has_the_right_options(step: Step) -> None:
    # The server is not here, but the command must still be one that newsgold accepts.
    try:
        parser().parse_args(shlex.split(step.code, comments=True)[1:])
    except SystemExit:
        pytest.fail(f"{step.id}: {step.code!r} does not parse")


@pytest.mark.slow
@pytest.mark.parametrize("step", [s for s in STEPS if not not_run(s)], ids=lambda step: step.id)
def test_the_step_runs_as_written(step: Step, project: tuple[Path, dict[str, str]], checkout_status: str) -> None:
    clone, env = project
    if step.kind == "python":
        argv = [sys.executable, "-c", step.code]
    elif re.match(r"^make\s", step.code):
        argv = ["bash", "-c", re.sub(r"^make\s", "make --dry-run ", step.code)]
    else:
        argv = ["bash", "-o", "pipefail", "-c", step.code]
    done = subprocess.run(argv, cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, (f"{step.id}: exit {done.returncode}\n{step.code}\n--- stdout\n{done.stdout[-3000:]}"
                                  f"\n--- stderr\n{done.stderr[-3000:]}")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


@pytest.mark.slow
def test_the_checkout_is_left_as_it_was(project: tuple[Path, dict[str, str]], checkout_status: str) -> None:
    assert _status() == checkout_status
