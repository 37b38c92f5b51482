"""Progress bars on long work: shown on stderr when it is a terminal, or when the work is large."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

LARGE = 100_000  # rows or replicates above which a progress bar is shown even when stderr is not a terminal
LARGE_BYTES = 256 << 20  # the same for bytes read


def progress(items: Iterable[T], *, desc: str, total: int | None = None, large: bool = False) -> Iterator[T]:
    """``items``, with a progress bar on stderr when stderr is a terminal or the work is large."""
    if not (large or sys.stderr.isatty()):
        return iter(items)  # no bar: tqdm (and the package metadata it reads) is not even imported
    from tqdm import tqdm

    return iter(tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False))


class _NoBar:
    """What :func:`progress_bar` gives when no bar is shown."""

    def update(self, n: float = 1) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        pass


def progress_bar(*, desc: str, total: int | None = None, large: bool = False, unit: str = "it") -> Any:
    """A bar to ``update`` by hand (bytes: ``unit="B"``) and use as a context manager, shown as :func:`progress`
    shows one; it goes when done."""
    if not (large or sys.stderr.isatty()):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(desc=desc, total=total, file=sys.stderr, leave=False, unit=unit, unit_scale=unit == "B")
