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

from .boilerplate import Boilerplate
from .converter import Converter
from .doc_pairs import DocPairs
from .events import Events
from .passages import Passages
from .quotes import Quotes

CONVERTERS: dict[str, Converter] = {
    converter.task: converter for converter in (Boilerplate(), DocPairs(), Passages(), Quotes(), Events())
}

__all__ = ["CONVERTERS", "Converter"]
