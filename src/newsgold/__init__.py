"""newsgold: gold-labelled evaluation data for systems that process news, and the scorers to measure them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .corpus import Article, Entity, Line
from .errors import InputError, Problem
from .spans import Span
from .version import __version__

if TYPE_CHECKING:
    from .release.loading import load
    from .scoring import compare, score

__all__ = ["Article", "Entity", "InputError", "Line", "Problem", "Span", "__version__", "compare", "load", "score"]

# The scorers and the loader pull in numpy, scikit-learn and datasets; import them on first use so that
# `newsgold validate` and friends start fast.
_LAZY = {"load": "newsgold.release.loading", "score": "newsgold.scoring", "compare": "newsgold.scoring"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsgold' has no attribute {name!r}")
