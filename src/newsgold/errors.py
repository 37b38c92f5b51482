"""Problems found in input, reported as ``path:line: field: message``.

Every check in the package collects :class:`Problem` objects instead of raising on the first one, so that a
user sees all that is wrong with a file at once. :class:`InputError` carries them to the command line, which
prints one per line and exits with status 2.

Input that is valid but almost certainly a mistake (an empty prediction file, a speaker no entity is called)
is not a problem: :func:`warn` issues an :class:`InputWarning`, which the command line prints as one line
``path:line: field: warning: message`` on stderr without changing the exit status, and which a Python caller
sees as an ordinary warning (``warnings.simplefilter("error", InputWarning)`` makes it an error).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_BAD_INPUT = 2
COMMAND_LINE = "<command line>"  # the path of a problem with a command's arguments or options


@dataclass(frozen=True, order=True)
class Problem:
    """One defect at one place: ``path:line: field: message`` (line 0 means the whole file)."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.path}:{self.line}: {self.field or '-'}: {self.message}")


# Every character str.splitlines() breaks at: a field name or a quoted value may hold one.
_LINE_BREAKS = {ord(c): c.encode("unicode_escape").decode("ascii")
                for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with its line breaks written as escapes, so that one problem is always one line."""
    return text.translate(_LINE_BREAKS)


class InputError(Exception):
    """Raised with every problem found; the command line prints them and exits 2."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line, problem.field, problem.message)


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`InputError` when ``problems`` is not empty."""
    if problems:
        raise InputError(problems)


class InputWarning(UserWarning):
    """A likely mistake in valid input, at one place: ``path:line: field: warning: message``."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(Problem(problem.path, problem.line, problem.field, f"warning: {problem.message}")))


def warn(problem: Problem) -> None:
    """Issue an :class:`InputWarning` for ``problem``."""
    warnings.warn(InputWarning(problem), stacklevel=2)


def decode_utf8(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """``data`` as UTF-8 text, or None and a problem for each line that holds a byte UTF-8 does not allow."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(path, number, "-", f"not UTF-8: byte 0x{line[error.start]:02x} at byte "
                                                       f"{error.start + 1} of the line ({error.reason})"))
    return None, problems
