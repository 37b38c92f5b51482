"""The help of the command line: plain text, one example per command, and what the exit statuses mean.

Every command is added with :func:`add_command`, which gives it a description, an example that the tests parse
with the command's own parser (so an example cannot drift from the options), and, where asked, the exit
statuses. Help is plain text: no markup, since a terminal shows it as written. A command whose code is heavy to
import runs through a :class:`Command`, which imports it only when the command runs.
"""

from __future__ import annotations

import argparse
import importlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EXIT_STATUSES = ("exit status:\n"
                 "  0  done\n"
                 "  1  a gate failed (score --fail-under) or files would change (--check, diff: records differ)\n"
                 "  2  bad input: every problem on one line, path:line: field: message")


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose paragraphs to the terminal, and keeps a paragraph whose lines are indented (an example, a
    table of exit statuses) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.strip("\n").split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith(" ") for line in lines[1:]) or paragraph.startswith(" "):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent,
                                                subsequent_indent=indent))
        return "\n\n".join(paragraphs)


def epilog(examples: list[str], *, exit_statuses: bool = False) -> str:
    """The text below the options: the examples, each on its own line, then the exit statuses if asked."""
    text = ("example:\n" if len(examples) == 1 else "examples:\n") + "\n".join(f"  {line}" for line in examples)
    return text + ("\n\n" + EXIT_STATUSES if exit_statuses else "")


def add_command(subparsers: Any, name: str, *, help: str, description: str | None = None, example: str | list[str],
                exit_statuses: bool = False) -> argparse.ArgumentParser:
    """Add the command ``name``: ``help`` is its line in the list of commands, ``description`` (default: the
    same) heads its own help, and ``example`` is a whole command line, starting with ``newsgold``."""
    examples = [example] if isinstance(example, str) else example
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=description or help[0].upper() + help[1:] + ".",
        epilog=epilog(examples, exit_statuses=exit_statuses), formatter_class=HelpFormatter)
    return parser


@dataclass(frozen=True)
class Command:
    """The function ``module.function`` that runs a command, imported when the command runs: the parser is built
    from the commands' definitions alone, without the code behind them nor the libraries it needs."""

    module: str
    function: str

    def __call__(self, args: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(self.module), self.function)
        return run(args)
