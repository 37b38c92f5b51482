"""Label Studio round trips: the gold out to annotators and back, with nothing lost or moved.

- one converter per task (``boilerplate``, ``doc_pairs``, ``passages``, ``quotes``, ``events``), each with
  ``to_tasks`` (records → Label Studio tasks) and ``from_results`` (an annotation → records),
- :mod:`.converter`: the shape every converter has, and the base of the span tasks (passages, quotes, events);
  :mod:`.core`: regions, the reading and checking of an export; :mod:`.offsets`: offset units,
- :mod:`.exchange`: ``newsgold ls export`` / ``ls import`` (files), :mod:`.client`: ``ls push`` / ``ls pull``
  (a live server), :mod:`.cli`: the commands.

The labeling configs are ``annotation/labelstudio/<task>.xml``; the annotator's workflow is in
``annotation/README.md``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .converter import Converter

    CONVERTERS: dict[str, Converter]

__all__ = ["CONVERTERS", "Converter"]


@cache
def _converters() -> dict[str, Converter]:
    from .boilerplate import Boilerplate
    from .doc_pairs import DocPairs
    from .events import Events
    from .passages import Passages
    from .quotes import Quotes

    return {converter.task: converter for converter in (Boilerplate(), DocPairs(), Passages(), Quotes(), Events())}


# The converters are made on first use, so that the command line can define `newsgold ls` (and its offset
# units, :mod:`.offsets`) without importing them.
def __getattr__(name: str) -> Any:
    if name == "CONVERTERS":
        return _converters()
    if name == "Converter":
        from .converter import Converter

        return Converter
    raise AttributeError(f"module 'newsgold.labelstudio' has no attribute {name!r}")
