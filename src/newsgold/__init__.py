"""newsgold: gold-labelled evaluation data for systems that process news, and the scorers to measure them."""

from .corpus import Article, Entity, Line
from .errors import InputError, Problem
from .spans import Span
from .version import __version__

__all__ = ["Article", "Entity", "InputError", "Line", "Problem", "Span", "__version__"]
