"""Predictions anchored by text: finding the place in the article that a quote, an event mention or a passage
member names by its words, and saying how it was found.

Wherever a prediction of ``quotes``, ``events`` or ``passages`` has ``start`` and ``end``, it may instead give
``text``, and then optionally ``occurrence`` (1-based, among the places the text matches, in reading order) or
``context`` (a longer string of the article that contains ``text``). This module turns such a record into the
offset form before the scorers' usual checks (:func:`checked`), so that everything after it sees spans.

**Stages.** A text is looked for in three stages, and the first stage that yields a free place wins:

1. ``exact``: the text as given, ``raw.find(text)`` (every match, overlapping ones included);
2. ``normalised``: the text and the article both normalised (:func:`normalise`), the match mapped back to
   the raw code points it came from;
3. ``fuzzy``, only when a threshold is given (``--fuzzy THRESHOLD``): the window of the normalised article with
   the highest ``rapidfuzz.fuzz.partial_ratio_alignment`` score against the normalised text, if at least the
   threshold (ties: the earlier window). Its boundaries are then set on places that are not inside a word (a
   word is a run of letters and digits) and moved, one such place at a time, while that raises ``fuzz.ratio``
   of the window and the text: paraphrased words change the window's length, which ``partial_ratio`` keeps.

**Normalisation** maps each raw character (with the combining marks that follow it) through Unicode NFKC
(so ``…`` becomes ``...``, a no-break space a space, ``ﬁ`` ``fi``), then curly and angle quotes to ``'`` and
``"``, dash variants (hyphen, en and em dash, minus, ...) to ``-``, drops soft hyphens and zero-width
characters, turns every run of white space into one space, and every run of spaces and dashes that holds a dash
into one ``-`` (so ``a — b``, ``a--b`` and ``a - b`` agree). The text is normalised the same way and stripped.
Every normalised character remembers the raw characters it came from, so a normalised match maps back to raw
offsets (a match that starts or ends inside the expansion of one raw character takes the whole character).

**Choosing a place.** The places a stage finds are taken in reading order, except that a place that begins or
ends inside a word (a letter or digit on both sides of its boundary: ``met`` in ``sometimes``) comes after
every place that does not. With ``occurrence: k``, the ``k``-th place of the first stage that finds ``k`` places
or more (the fuzzy stage finds one place, so it serves ``k = 1`` only). With ``context``, the context is aligned
first (the same stages), and the text is looked for inside each place of the context in turn; the record's
stage is the later of the two. Otherwise, the first place in reading order that is not yet taken. A place is
taken by every prediction given by offsets (all of them, wherever they are in the file) and by every earlier
text-anchored prediction, in file order; a place is its article and its exact ``[start, end)``. So the same text
given twice lands on its first and its second occurrence, and reordering two records with the same text swaps
their places.

**Records.** An aligned record gets ``start``, ``end``, ``text`` (the article's own text there) and
``alignment``: ``exact``, ``normalised`` or ``fuzzy``; ``occurrence`` and ``context`` are dropped. A record that
aligns nowhere keeps its fields, gets ``alignment: "unaligned"`` and ``unaligned: {line, field, reason}``, and
is scored as a prediction of a place where there is no gold span (:func:`placed`): a spurious span, or a
passage member that matches nothing. A record with both offsets and text is checked for agreement (the text
equals the article's there, or does after normalisation; otherwise a problem) and gets ``alignment``: how they
agreed, unless it already says (a file written by ``newsgold align``).

**Reports.** The statistics of a file with any text-anchored record count, per article, the records (passage
members) given by ``offsets`` and those aligned ``exact``, ``normalised``, ``fuzzy`` or ``unaligned``
(:func:`counts`); the report has them as ``alignment.<kind>`` (:func:`section`), and
``newsgold.scoring.score`` adds ``alignment.unaligned_records``, every unaligned record with its line.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import COMMAND_LINE, InputError, Problem
from ..jsonl import Row
from ..release.dataset import Release
from ..spans import span_problem
from .core import LARGE, article_problem, progress

METHODS = ("exact", "normalised", "fuzzy")
UNALIGNED = "unaligned"
OFFSETS = "offsets"
KINDS = (OFFSETS, *METHODS, UNALIGNED)  # the columns of the alignment counts, and the keys of the report section
ANCHOR_FIELDS = ("text", "occurrence", "context")  # the fields of the text form, dropped once aligned

Place = tuple[int, int]  # [start, end) in code points of the raw text
Region = tuple[int, int]

# ---------------------------------------------------------------------------------------------------------
# Normalisation

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TABLE = str.maketrans({**dict.fromkeys(_SINGLE_QUOTES, "'"), **dict.fromkeys(_DOUBLE_QUOTES, '"'),
                        **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_INVISIBLE, None)})
_SPACES = re.compile(r"\s+")  # Python's \s is exactly str.isspace()
_DASH_RUN = re.compile(r"[ -]*-[ -]*")


def _units(raw: str) -> Iterator[tuple[str, int, int]]:
    """Each raw character with the combining marks after it: its translated NFKC form and its ``[i, j)``."""
    n = len(raw)
    i = 0
    while i < n:
        j = i + 1
        while j < n and not raw[j].isascii() and unicodedata.combining(raw[j]):
            j += 1
        piece = raw[i:j]
        if not piece.isascii():
            piece = unicodedata.normalize("NFKC", piece).translate(_TABLE)
        yield piece, i, j
        i = j


def _collapse(text: str) -> str:
    return _DASH_RUN.sub("-", _SPACES.sub(" ", text))


def normalise(text: str) -> str:
    """The normalised form of a text to look for (see the module docstring), stripped of outer spaces."""
    if not text.isascii():
        text = "".join(piece for piece, _, _ in _units(text))
    return _collapse(text).strip(" ")


@dataclass(frozen=True)
class Normalised:
    """A normalised article: ``text[k]`` came from the raw characters ``[lo[k], hi[k])``."""

    text: str
    lo: list[int]
    hi: list[int]

    @classmethod
    def of(cls, raw: str) -> Normalised:
        chars: list[str] = []
        lo: list[int] = []
        hi: list[int] = []
        run: list[tuple[str, int, int]] = []  # a run of spaces and dashes, collapsed when it ends

        def flush() -> None:
            dashes = [(i, j) for ch, i, j in run if ch == "-"]
            chars.append("-" if dashes else " ")
            lo.append(dashes[0][0] if dashes else run[0][1])
            hi.append(dashes[-1][1] if dashes else run[-1][2])
            run.clear()

        for piece, i, j in _units(raw):
            for ch in piece:
                if ch == "-" or ch.isspace():
                    run.append(("-" if ch == "-" else " ", i, j))
                    continue
                if run:
                    flush()
                chars.append(ch)
                lo.append(i)
                hi.append(j)
        if run:
            flush()
        return cls("".join(chars), lo, hi)

    def raw_place(self, start: int, end: int) -> Place:
        """The raw ``[start, end)`` of the normalised characters ``[start, end)``."""
        return self.lo[start], self.hi[end - 1]

    def window(self, region: Region) -> Region:
        """The normalised characters that come from inside the raw region."""
        return bisect_left(self.lo, region[0]), bisect_right(self.hi, region[1])


# ---------------------------------------------------------------------------------------------------------
# Places


def splits_word(raw: str, place: Place) -> bool:
    """Whether the place begins or ends inside a word: a letter or digit on both sides of a boundary."""
    start, end = place
    return ((0 < start < len(raw) and raw[start - 1].isalnum() and raw[start].isalnum())
            or (0 < end < len(raw) and raw[end - 1].isalnum() and raw[end].isalnum()))


def ranked(raw: str, places: list[Place]) -> list[Place]:
    """Places in reading order, those that split a word after all the others."""
    if len(places) < 2:
        return places
    return sorted(places, key=lambda place: (splits_word(raw, place), place))


def exact_places(raw: str, text: str, region: Region) -> list[Place]:
    """Every place of ``text`` inside ``raw[region]`` (overlapping ones included), :func:`ranked`."""
    places = []
    at = raw.find(text, region[0], region[1])
    while at >= 0:
        places.append((at, at + len(text)))
        at = raw.find(text, at + 1, region[1])
    return ranked(raw, places)


def normalised_places(raw: str, norm: Normalised, needle: str, region: Region) -> list[Place]:
    """Every place of the normalised ``needle`` in the normalised article inside the raw region, as raw
    places (places that map to the same raw span once), :func:`ranked`."""
    if not needle:
        return []
    start, end = norm.window(region)
    places: list[Place] = []
    at = norm.text.find(needle, start, end)
    while at >= 0:
        place = norm.raw_place(at, at + len(needle))
        if not places or places[-1] != place:
            places.append(place)
        at = norm.text.find(needle, at + 1, end)
    return ranked(raw, places)


def _fuzz() -> Any:
    try:
        from rapidfuzz import fuzz
    except ImportError:
        raise InputError([Problem(COMMAND_LINE, 0, "--fuzzy", "fuzzy alignment needs rapidfuzz: "
                                                               "pip install 'newsgold[fuzzy]'")]) from None
    return fuzz


def _starts(text: str, lo: int, hi: int) -> list[int]:
    """Where a fuzzy match may start: anywhere but inside a word or on a space."""
    return [i for i in range(lo, hi)
            if text[i] != " " and (i == lo or not (text[i - 1].isalnum() and text[i].isalnum()))]


def _ends(text: str, lo: int, hi: int) -> list[int]:
    """Where a fuzzy match may end: anywhere but inside a word or after a space."""
    return [i for i in range(lo + 1, hi + 1)
            if text[i - 1] != " " and (i == hi or not (text[i - 1].isalnum() and text[i].isalnum()))]


def _refine(fuzz: Any, text: str, needle: str, start: int, end: int, region: Region) -> Region | None:
    """The window ``[start, end)`` moved to token or word boundaries, then one boundary at a time to the next
    or previous one while ``fuzz.ratio`` rises (the first best move, in a fixed order, each time)."""
    starts, ends = _starts(text, *region), _ends(text, *region)
    if not starts or not ends:
        return None
    s = max(bisect_right(starts, start) - 1, 0)
    e = min(bisect_left(ends, end), len(ends) - 1)
    if starts[s] >= ends[e]:
        return None
    best = fuzz.ratio(needle, text[starts[s]:ends[e]])
    while True:
        moves = [(s - 1, e), (s + 1, e), (s, e - 1), (s, e + 1)]
        scored = [(fuzz.ratio(needle, text[starts[a]:ends[b]]), a, b) for a, b in moves
                  if 0 <= a < len(starts) and 0 <= b < len(ends) and starts[a] < ends[b]]
        top = max(scored, key=lambda item: item[0], default=None)
        if top is None or top[0] <= best:
            return starts[s], ends[e]
        best, s, e = top


def fuzzy_place(norm: Normalised, needle: str, region: Region, threshold: float,
                free: Callable[[Place], bool]) -> Place | None:
    """The free raw place whose normalised window best matches ``needle`` (``partial_ratio >= threshold``),
    inside the raw region; a taken best place splits the search around it. Ties go to the earlier window."""
    if not needle:
        return None
    fuzz = _fuzz()
    found: list[tuple[float, int, Place, Region, Region]] = []  # score, start, place, window, searched part

    def search(part: Region) -> None:
        if part[1] - part[0] <= 0:
            return
        hit = fuzz.partial_ratio_alignment(needle, norm.text[part[0]:part[1]], score_cutoff=threshold)
        if hit is None:
            return
        window = _refine(fuzz, norm.text, needle, part[0] + hit.dest_start, part[0] + hit.dest_end, part)
        if window is not None:
            found.append((hit.score, window[0], norm.raw_place(*window), window, part))

    search(norm.window(region))
    while found:
        found.sort(key=lambda item: (-item[0], item[1]))
        _, _, place, window, part = found.pop(0)
        if free(place):
            return place
        search((part[0], window[0]))
        search((window[1], part[1]))
    return None


# ---------------------------------------------------------------------------------------------------------
# Aligning one record


@dataclass(frozen=True)
class Found:
    """Where a text was placed and how, or (``place`` None) why it was not."""

    place: Place | None
    method: str = UNALIGNED
    reason: str = ""


class Article:
    """An article's raw text, its normalised form made on first use, and the places taken in it."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.taken: set[Place] = set()
        self._normalised: Normalised | None = None

    @property
    def normalised(self) -> Normalised:
        if self._normalised is None:
            self._normalised = Normalised.of(self.raw)
        return self._normalised

    def stages(self, text: str, region: Region, fuzzy: float | None, free: Callable[[Place], bool],
               needle: list[str]) -> Iterator[tuple[str, list[Place]]]:
        """The places of ``text`` in ``region``, stage by stage (the fuzzy stage: its best free place)."""
        yield "exact", exact_places(self.raw, text, region)
        if not needle:
            needle.append(normalise(text))
        yield "normalised", normalised_places(self.raw, self.normalised, needle[0], region)
        if fuzzy is not None:
            place = fuzzy_place(self.normalised, needle[0], region, fuzzy, free)
            yield "fuzzy", [] if place is None else [place]

    def find(self, text: str, region: Region, occurrence: int | None, fuzzy: float | None, where: str) -> Found:
        """Place ``text`` inside ``region`` by the rules of the module docstring (``where`` ends the reason)."""
        free = self.is_free
        needle: list[str] = []  # the normalised text, made when the exact stage fails
        most = 0
        for method, places in self.stages(text, region, fuzzy if occurrence in (None, 1) else None, free, needle):
            most = max(most, len(places))
            if occurrence is not None:
                if len(places) >= occurrence:
                    place = places[occurrence - 1]
                    if free(place):
                        return Found(place, method)
                    return Found(None, reason=f"occurrence {occurrence} {where} is already taken by an earlier "
                                              "prediction")
                continue
            for place in places:
                if free(place):
                    return Found(place, method)
        if occurrence is not None and most:
            return Found(None, reason=f"occurrence {occurrence} asked, but the text matches {most} "
                                      f"place{'s' if most > 1 else ''} {where}")
        if most:
            return Found(None, reason=f"every place it matches {where} is already taken by an earlier prediction")
        return Found(None, reason=f"not found {where}")

    def is_free(self, place: Place) -> bool:
        return place not in self.taken

    def locate(self, text: str, occurrence: int | None, context: str | None, fuzzy: float | None) -> Found:
        """The place of a text-anchored record, with or without its context."""
        whole = (0, len(self.raw))
        if context is None:
            return self.find(text, whole, occurrence, fuzzy, "in the article")
        tried: set[Place] = set()
        reasons: list[str] = []
        for method, places in self.stages(context, whole, fuzzy, lambda place: place not in tried, []):
            for place in places:
                if place in tried:
                    continue
                tried.add(place)
                found = self.find(text, place, None, fuzzy, "inside its context")
                if found.place is not None:
                    return Found(found.place, max(method, found.method, key=METHODS.index))
                reasons.append(found.reason)
        return Found(None, reason=reasons[0] if reasons else "context not found in the article")


# ---------------------------------------------------------------------------------------------------------
# Rows: text-anchored records to the offset form


def anchors(data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The anchored parts of a record with the prefix of their field names: the record itself, or the
    members of a passage cluster."""
    if "cluster" in data:
        return [(f"cluster[{n}].", member) for n, member in enumerate(data["cluster"])]
    return [("", data)]


def is_text_anchored(anchor: Mapping[str, Any]) -> bool:
    return "start" not in anchor and "text" in anchor


def is_unaligned(anchor: Mapping[str, Any]) -> bool:
    return anchor.get("alignment") == UNALIGNED


def _clip(value: str, width: int = 40) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _check_threshold(fuzzy: float | None) -> None:
    if fuzzy is not None and not (isinstance(fuzzy, (int, float)) and 0 < fuzzy <= 100):
        raise ValueError(f"the fuzzy threshold is a rapidfuzz score in (0, 100], not {fuzzy!r}")


def anchor_rows(rows: list[Row], gold: Release, *, fuzzy: float | None = None) -> tuple[list[Row], list[Problem]]:
    """Every row, in order, with each text-anchored record (or passage member) placed or marked unaligned and
    each record that gives offsets and text checked for agreement; and the problems found.

    Rows with nothing to align are returned as they are (the same objects).
    """
    _check_threshold(fuzzy)
    if fuzzy is not None:
        _fuzz()  # a missing optional dependency is said once, before any work
    articles: dict[str, Article] = {}

    def article(article_id: str) -> Article:
        if article_id not in articles:
            articles[article_id] = Article(gold.articles[article_id].text)
        return articles[article_id]

    # Every place given by offsets is taken before any text is placed.
    for row in rows:
        for _, anchor in anchors(row.data):
            if "start" in anchor and anchor["article_id"] in gold.articles:
                article(anchor["article_id"]).taken.add((anchor["start"], anchor["end"]))
    out, problems = [], []
    for row in progress(rows, desc="aligning", large=len(rows) >= LARGE):
        if not any("text" in anchor for _, anchor in anchors(row.data)):
            out.append(row)
            continue
        converted = []
        for prefix, anchor in anchors(row.data):
            if "text" not in anchor:
                converted.append(anchor)
                continue
            article_id = anchor["article_id"]
            problem = article_problem(row, f"{prefix}article_id", article_id, gold)
            if problem is None and is_text_anchored(anchor) and anchor["text"].isspace():
                problem = row.problem(f"{prefix}text", "is white space only")
            if problem is not None:
                problems.append(problem)
                converted.append({**anchor, "alignment": UNALIGNED})  # not scored: the file has a problem
                continue
            if is_text_anchored(anchor):
                converted.append(_place(article(article_id), anchor, row, prefix, fuzzy))
            else:
                agreed, problem = _agreement(article(article_id).raw, anchor, row, prefix)
                if problem is not None:
                    problems.append(problem)
                converted.append(agreed)
        data = {**row.data, "cluster": converted} if "cluster" in row.data else converted[0]
        out.append(Row(dict(data), row.path, row.line, row.has_float))
    return out, problems


def _place(article: Article, anchor: Mapping[str, Any], row: Row, prefix: str, fuzzy: float | None) -> dict[str, Any]:
    found = article.locate(anchor["text"], anchor.get("occurrence"), anchor.get("context"), fuzzy)
    if found.place is None:
        return {**anchor, "alignment": UNALIGNED,
                "unaligned": {"line": row.line, "field": f"{prefix}text", "reason": found.reason}}
    article.taken.add(found.place)
    start, end = found.place
    kept = {key: value for key, value in anchor.items() if key not in ANCHOR_FIELDS}
    return {**kept, "start": start, "end": end, "text": article.raw[start:end], "alignment": found.method}


def _agreement(raw: str, anchor: Mapping[str, Any], row: Row, prefix: str) -> tuple[dict[str, Any], Problem | None]:
    """An anchor with offsets and text: labelled by how the text agrees, or a problem when it does not."""
    start, end, text = anchor["start"], anchor["end"], anchor["text"]
    if span_problem(raw, start, end, raw[start:end]):
        return dict(anchor), None  # bad offsets: the scorer's own check says so
    there = raw[start:end]
    method = "exact" if there == text else "normalised" if normalise(there) == normalise(text) else None
    if method is None:
        return dict(anchor), row.problem(f"{prefix}text", f"{_clip(text)!r} does not match the article's text at "
                                                          f"[{start}, {end}): {_clip(there)!r}")
    return {**anchor, "alignment": anchor.get("alignment", method)}, None


Check = Callable[[list[Row], Release], tuple[list[dict[str, Any]], list[Problem]]]


def checked(rows: list[Row], gold: Release, check: Check, *,
            fuzzy: float | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The hook of the scorers: align the rows, run the scorer's checks on the placed ones, and keep the
    unaligned records (after the checked ones) so that they are scored as spurious."""
    rows, problems = anchor_rows(rows, gold, fuzzy=fuzzy)
    records, more = check([row for row in rows if not is_unaligned(row.data)], gold)
    return records + [row.data for row in rows if is_unaligned(row.data)], problems + more


def offset_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """A checked record as ``newsgold align`` writes it: placed anchors in the offset form, unaligned ones as
    they were given (so that scoring the written file aligns them again, and again finds nothing)."""
    def one(anchor: Mapping[str, Any]) -> dict[str, Any]:
        if is_unaligned(anchor):
            return {key: value for key, value in anchor.items() if key not in ("alignment", "unaligned")}
        return dict(anchor)

    if "cluster" in data:
        return {**data, "cluster": [one(member) for member in data["cluster"]]}
    return one(data)


# ---------------------------------------------------------------------------------------------------------
# Scoring: unaligned records as spurious, counts and the report section

IntArray = NDArray[np.int64]


def placed(records: Sequence[dict[str, Any]], gold: Release) -> Sequence[dict[str, Any]]:
    """The records with each unaligned anchor at a place of its article where no gold span can be: the ``k``-th
    unaligned anchor (in record order) at ``[len(text) + k, len(text) + k + 1)``, past the article's end, so it
    overlaps nothing and no two of them share a place. The scorers then count it as any prediction that
    matches nothing."""
    if not any(is_unaligned(anchor) for record in records for _, anchor in anchors(record)):
        return records
    counter = itertools.count()

    def one(anchor: dict[str, Any]) -> dict[str, Any]:
        if not is_unaligned(anchor):
            return anchor
        start = len(gold.articles[anchor["article_id"]].text) + next(counter)
        return {**anchor, "start": start, "end": start + 1}

    return [{**r, "cluster": [one(m) for m in r["cluster"]]} if "cluster" in r else one(r) for r in records]


def with_places(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records without their unaligned anchors, for what needs a place in the text (drawing them): an
    unaligned record is left out, and so is an unaligned member of a passage cluster."""
    out = []
    for record in records:
        if "cluster" in record:
            out.append({**record, "cluster": [m for m in record["cluster"] if not is_unaligned(m)]})
        elif not is_unaligned(record):
            out.append(record)
    return out


def counts(records: Sequence[dict[str, Any]], index: Mapping[str, int]) -> dict[str, IntArray]:
    """``{"alignment": counts[article, kind]}`` in ``KINDS`` order, when any record carries an alignment
    (otherwise nothing, so that offset-only reports are as they were)."""
    kinds = [(anchor["article_id"], anchor.get("alignment", OFFSETS)) for record in records
             for _, anchor in anchors(record)]
    if all(kind == OFFSETS for _, kind in kinds):
        return {}
    out = np.zeros((len(index), len(KINDS)), dtype=np.int64)
    for article_id, kind in kinds:
        if article_id in index:
            out[index[article_id], KINDS.index(kind)] += 1
    return {"alignment": out}


def tally(records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many anchors of the records were placed each way (``KINDS``, in order), as placed by
    :func:`anchor_rows` or written in the offset form: an anchor with text and no place is unaligned."""
    out = dict.fromkeys(KINDS, 0)
    for record in records:
        for _, anchor in anchors(record):
            out[anchor.get("alignment", UNALIGNED if is_text_anchored(anchor) else OFFSETS)] += 1
    return out


def section(counts: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """The report's ``alignment`` section from summed counts, or nothing."""
    if "alignment" not in counts:
        return {}
    return {"alignment": {kind: int(n) for kind, n in zip(KINDS, counts["alignment"], strict=True)}}


def unaligned_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every unaligned anchor as ``{line, field, article_id, text, reason}``, by line and field."""
    out = [{"line": anchor["unaligned"]["line"], "field": anchor["unaligned"]["field"],
            "article_id": anchor["article_id"], "text": anchor["text"], "reason": anchor["unaligned"]["reason"]}
           for record in records for _, anchor in anchors(record) if is_unaligned(anchor) and "unaligned" in anchor]
    return sorted(out, key=lambda item: (item["line"], item["field"]))
