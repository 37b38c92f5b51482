"""Problems found in input, reported as ``path:line: field: message``.

Every check in the package collects :class:`Problem` objects instead of raising on the first one, so that a
user sees all that is wrong with a file at once. :class:`InputError` carries them to the command line, which
prints one per line and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXIT_BAD_INPUT = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One defect at one place: ``path:line: field: message`` (line 0 means the whole file)."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field or '-'}: {self.message}"


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
