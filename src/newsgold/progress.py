"""Progress bars on long work: shown on stderr when it is a terminal, or when the work is large."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

LARGE = 100_000  # rows or replicates above which a progress bar is shown even when stderr is not a terminal
LARGE_BYTES = 256 << 20  # the same for bytes read


def progress(items: Iterable[T], *, desc: str, total: int | None = None, large: bool = False) -> Iterator[T]:
    """``items``, with a progress bar on stderr when stderr is a terminal or the work is large."""
    return iter(progress_bar(items, desc=desc, total=total, large=large))


def progress_bar(items: Iterable[T] | None = None, *, desc: str, total: int | None = None, large: bool = False,
                 unit: str = "it") -> tqdm:
    """A bar to ``update`` by hand (bytes: ``unit="B"``), shown as :func:`progress` shows one; it goes when done."""
    show = large or sys.stderr.isatty()
    return tqdm(items, desc=desc, total=total, disable=not show, file=sys.stderr, leave=False, unit=unit,
                unit_scale=unit == "B")
