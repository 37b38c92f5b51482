"""The help of every command: plain text, an example that the command's own parser accepts, the exit statuses."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator

import pytest

from newsgold.cli import parser
from newsgold.helptext import EXIT_STATUSES

EXIT_LINES = ["  0  done", "  1  a gate failed", "  2  bad input"]


def commands(top: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                                        argparse.ArgumentParser]]:
    """Every command and subcommand, by its words after ``newsgold``."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from commands(sub, (*path, name))


COMMANDS = dict(commands(parser()))


def examples(help_text: str) -> list[str]:
    found = re.search(r"^examples?:\n((?:  .*\n?)+)", help_text, flags=re.MULTILINE)
    return [line.strip() for line in found.group(1).splitlines()] if found else []


def test_every_command_has_help() -> None:
    assert {" ".join(path) for path in COMMANDS} >= {
        "build", "validate", "add", "check", "score", "compare", "datasheet", "diff", "ls", "ls export", "ls import",
        "ls push", "ls pull", "report", "view", "synth", "baselines", "leaderboard", "release"}


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_help_is_plain_text_with_an_example_the_command_accepts(path: tuple[str, ...]) -> None:
    text = COMMANDS[path].format_help()
    assert "`" not in text and "**" not in text and ":func:" not in text, text
    found = examples(text)
    assert found, f"newsgold {' '.join(path)} --help shows no example"
    for example in found:
        words = shlex.split(example)
        assert words[: 1 + len(path)] == ["newsgold", *path], example
        try:
            args = parser().parse_args(words[1:])
        except SystemExit as exit_:
            pytest.fail(f"{example!r} does not parse (exit {exit_.code})")
        assert callable(args.run)


@pytest.mark.parametrize("argv", [["--help"], ["score", "--help"]], ids=" ".join)
def test_the_exit_statuses_are_in_the_help(argv: list[str]) -> None:
    shown = subprocess.run([sys.executable, "-m", "newsgold", *argv], capture_output=True, text=True, check=True)
    assert "exit status:\n" + "\n".join(EXIT_STATUSES.splitlines()[1:]) in shown.stdout
    for line in EXIT_LINES:
        assert line in shown.stdout
    assert "`" not in shown.stdout and shown.stdout.startswith("usage: newsgold")
