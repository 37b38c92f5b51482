"""The one span type of the dataset.

A span is ``[start, end)`` in Unicode code points of an article's raw text (Python ``str`` indices), and
always carries its ``text``, which must equal ``raw[start:end]``. Quotes, cues, speaker mentions, event
mentions, passage members and boilerplate lines are all spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, raw: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``raw``, with its text."""
        return cls(start, end, raw[start:end])

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Span:
        return cls(int(value["start"]), int(value["end"]), str(value["text"]))

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, other: Span) -> int:
        """Number of code points the two spans share."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))


def span_problem(raw: str, start: Any, end: Any, text: Any) -> str | None:
    """Why ``(start, end, text)`` is not a valid span of ``raw``, or None when it is."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        return "start and end must be integers"
    if start >= end:
        return f"empty span: start {start} is not before end {end}"
    if start < 0 or end > len(raw):
        return f"offsets [{start}, {end}) outside the article (0..{len(raw)})"
    if raw[start:end] != text:
        return f"text {_clip(text)!r} does not equal the article's text at [{start}, {end}): {_clip(raw[start:end])!r}"
    return None


def _clip(value: Any, width: int = 40) -> str:
    value = str(value)
    return value if len(value) <= width else value[: width - 1] + "…"
