"""Span offsets as the dataset counts them and as a Label Studio version counts them.

The dataset counts Unicode code points (Python ``str`` indices). The editor of Label Studio 1.23 counts code
points too (its text model splits the text with ``[...text]``, which iterates code points), and its server
stores offsets exactly as they are sent, so files exchanged with it use code points unchanged. Older editors
counted UTF-16 code units, in which a character outside the Basic Multilingual Plane (an emoji, many CJK
extension characters) is two units (label-studio issues 1008, 1347, 4988). ``utf16`` converts for those.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import Literal

OffsetUnit = Literal["codepoints", "utf16"]
OFFSET_UNITS: tuple[OffsetUnit, ...] = ("codepoints", "utf16")
DEFAULT_UNIT: OffsetUnit = "codepoints"


@lru_cache(maxsize=256)
def _utf16_positions(text: str) -> tuple[int, ...]:
    """UTF-16 offset of every code point boundary: ``positions[i]`` is where code point ``i`` starts."""
    positions = [0]
    for char in text:
        positions.append(positions[-1] + (2 if ord(char) > 0xFFFF else 1))
    return tuple(positions)


def utf16_length(text: str) -> int:
    return _utf16_positions(text)[-1]


class Offsets:
    """Converts offsets into ``text`` between code points and the unit a Label Studio version counts."""

    def __init__(self, unit: OffsetUnit = DEFAULT_UNIT) -> None:
        if unit not in OFFSET_UNITS:
            raise ValueError(f"unknown offset unit {unit!r}; one of {', '.join(OFFSET_UNITS)}")
        self.unit = unit

    def to_studio(self, text: str, offset: int) -> int:
        """The dataset's ``offset`` (code points) in the unit the editor counts."""
        return offset if self.unit == "codepoints" else _utf16_positions(text)[offset]

    def from_studio(self, text: str, offset: int) -> int | None:
        """The editor's ``offset`` in code points; None when it falls inside a surrogate pair or past the end."""
        if self.unit == "codepoints":
            return offset if 0 <= offset <= len(text) else None
        positions = _utf16_positions(text)
        index = bisect_left(positions, offset)
        return index if index < len(positions) and positions[index] == offset else None
