"""Content sentences as the duplicates guideline counts them, with the readings its rules leave open.

The guideline counts the content sentences of an article to decide ``near_duplicate`` against
``partial_overlap``: a sentence ends at ``.``, ``?`` or ``!`` (with any closing quotation mark) followed by a new
sentence or the end of the line; an abbreviation's or initialism's full stop ends one only when a new sentence
starts right after it; ends inside quotations count; a line without final punctuation is one sentence, and a
sub-heading none. Some of these need a reader (is ``U.S. His`` one sentence or two? is ``” Xi said.`` a new
sentence?), so this module does not pretend to decide them: it cuts text only where a sentence certainly ends,
and gives every piece the fewest and the most sentences the rules allow. Whatever relies on a count can then
check that its conclusion holds for every reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_TERMINAL = re.compile(r"([.?!…]+)([\"'”’)\]»]*)")
ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)\]»]*$")
_OPENERS = "\"“‘(["
_TOKEN_BEFORE = re.compile(r"(\S+)$")
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "lt", "col", "capt", "cpt", "sgt", "maj", "adm", "cmdr", "gov", "sen",
    "rep", "pres", "rev", "hon", "st", "jr", "sr", "esq", "no", "nos", "vol", "fig", "vs", "etc", "inc", "corp", "co",
    "ltd", "bros", "mt", "ft", "ave", "dept", "est", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
))


def _quoted(text: str) -> list[bool]:
    """For each position of ``text`` (and its end), whether it lies inside a quotation.

    Curly double quotes nest; a straight double quote toggles. Single quotes are left out: ’ is far more often
    an apostrophe than a closing mark.
    """
    depth, straight = 0, False
    inside = [False]
    for char in text:
        if char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        elif char == '"':
            straight = not straight
        inside.append(depth > 0 or straight)
    return inside


def _abbreviation(text: str, stop: int) -> bool:
    """Whether the word before the full stop at ``stop`` may be an abbreviation or an initial."""
    found = _TOKEN_BEFORE.search(text, 0, stop)
    token = found.group(1).lstrip(_OPENERS) if found else ""
    return ("." in token or (len(token) == 1 and token.isalpha()) or token.lower() in ABBREVIATIONS
            or (token.isupper() and len(token) <= 2))


def _breaks(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """Candidate sentence ends inside ``text``: (end, next start, "certain" or "maybe", inside a quotation).

    A sentence end is certain when a lone ``.``, ``?`` or ``!`` (no closing mark, no abbreviation before a
    full stop) is followed by white space and a capital or an opening mark. Ends the rules leave to judgement
    count as "maybe": an abbreviation or initial before a capital (``U.S. His``), a closing quotation mark
    before a capital (a speech tag such as ``” Xi said`` follows as often as a new sentence), an ellipsis,
    a digit or lower case after a full stop, no space after the mark.
    """
    quoted = _quoted(text)
    for match in _TERMINAL.finditer(text):
        end = match.end()
        rest = text[end:]
        following = rest.lstrip()
        if not following:
            continue  # the end of the line, not a break inside it
        start = end + len(rest) - len(following)
        mark, closers, char = match.group(1), match.group(2), following[0]
        lone = mark in (".", "?", "!")
        stop = match.start()
        if start == end:  # no white space: "economies.Instead", but "U.S" is an initialism
            kind = "maybe" if char.isupper() and not _abbreviation(text, stop) else ""
        elif char.isupper() or char in _OPENERS:
            certain = lone and not closers and not (mark == "." and _abbreviation(text, stop))
            kind = "certain" if certain else "maybe"
        elif char.islower():
            kind = "maybe" if mark == "." and not _abbreviation(text, stop) else ""
        else:
            kind = "maybe"
        if kind:
            yield end, start, kind, quoted[end]


def units_of(text: str) -> list[tuple[int, int, int, int]]:
    """The units of a body line as ``(start, end, lo, hi)``: cut at certain sentence ends outside quotations.

    ``lo`` and ``hi`` bound the guideline sentences the unit holds: certain ends inside a quotation add to
    both, "maybe" ends to ``hi`` only. A line without final punctuation is one sentence unless it is a
    sub-heading, which counts none: a single such unit gets ``lo`` one less.
    """
    left, right = len(text) - len(text.lstrip()), len(text.rstrip())
    if left >= right:
        return []
    units = []
    start, lo, hi = left, 1, 1
    for end, next_start, kind, quoted in _breaks(text[:right]):
        if kind == "certain" and not quoted:
            units.append((start, end, lo, hi))
            start, lo, hi = next_start, 1, 1
        elif kind == "certain":
            lo, hi = lo + 1, hi + 1
        else:
            hi += 1
    units.append((start, right, lo, hi))
    if len(units) == 1 and not ENDS_SENTENCE.search(text[:right]):
        units[0] = (left, right, lo - 1, hi)
    return units


def sentence_key(text: str) -> str:
    """What two verbatim copies of a sentence share: compatibility form, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def exact_key(lines: Iterable[str]) -> str:
    """The guideline's ``exact`` test: content lines joined, white space collapsed (in canonical form, NFC)."""
    return " ".join(unicodedata.normalize("NFC", "\n".join(lines)).split())
