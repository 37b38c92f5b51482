"""Quotes by rule: quotation marks, cue verbs, the nearest speaker, names resolved through the entity registry.

Per sentence (the units of :func:`newsgold.sentences.units_of`, which never cut inside quotation marks):

1. A quotation next to a cue verb is ``direct`` (``“…,” Xi said``; ``Xi said: “…”``), or ``mixed`` when the
   quoted words are a fragment: fewer than ``CLAUSE_WORDS`` words and no punctuation of their own
   (``hails ‘progress’``). Its span is the quoted words, marks excluded for ``direct``, included for ``mixed``.
2. A quotation that is a whole sentence with no cue continues the previous quote's speaker: ``direct``.
3. Every other cue gives one record for what follows it (after an addressee and ``that``), or, when the
   cue ends the sentence (``…, Reuters reported.``), for what precedes it: ``mixed`` if that holds a quotation
   mark, else ``indirect``.

The speaker is the name or pronoun nearest to the cue in its sentence (after it for ``according to`` and
``said Xi``, before it otherwise). Names are the registry's names and aliases, matched longest first; a
pronoun takes the nearest entity mentioned before it (a person for he and she). The record's ``speaker`` is
the entity id, or ``unknown``. The system reads every line: it does not know which lines are content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ..corpus import Article
from ..dataset import Release
from ..records import UNKNOWN_SPEAKER
from ..sentences import units_of
from . import Predictions

CUE_WORDS = ("said", "says", "say", "saying", "told", "tells", "tell", "telling", "added", "adds", "adding",
             "stated", "states", "noted", "notes", "noting", "wrote", "writes", "reported", "reports", "explained",
             "claimed", "warned", "urged", "stressed", "emphasized", "emphasizing", "insisted", "argued", "declared",
             "asked", "called", "described", "acknowledged", "acknowledging", "according to")
CUE = re.compile(r"(?<![\w’'])(" + "|".join(w.replace(" ", r"\s+") for w in CUE_WORDS) + r")(?![\w’'])")
PRONOUN = re.compile(r"(?<![\w’'])([Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?![\w’'])")
OPENERS = {"“": "”", '"': '"', "‘": "’’'", "'": "’'"}
CLAUSE_WORDS = 4  # a quotation of fewer words is a fragment (a term or phrase), not a clause
ADDRESSEE_WORDS = 8  # "told NPR Morning Edition host Leila Fadel that": the addressee ends at "that"
TRAILING = " \t\u00a0.,;:"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: str | None  # None for a pronoun, resolved when used
    pronoun: str = ""


def quotations(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """``(open, close)`` positions of quotation-mark pairs in ``text`` (plus ``offset``), outermost only.

    A single mark opens only at the start of a word and closes only at the end of one, so that the apostrophes
    of ``China’s`` and ``Blinken's`` are never marks.
    """
    pairs = []
    position = 0
    while position < len(text):
        char = text[position]
        at_word_start = position + 1 < len(text) and text[position + 1].isalnum() and \
            (position == 0 or not text[position - 1].isalnum())
        if char in OPENERS and (char in "“\"" or at_word_start):
            close = _closing(text, position, OPENERS[char])
            if close is not None:
                pairs.append((offset + position, offset + close))
                position = close + 1
                continue
        position += 1
    return pairs


def _closing(text: str, opening: int, closers: str) -> int | None:
    for position in range(opening + 1, len(text)):
        if text[position] in closers:
            followed_by_letter = position + 1 < len(text) and text[position + 1].isalpha()
            if text[opening] in "“\"" or not followed_by_letter:
                return position
    return None


class Speakers:
    """Names of the registry found in an article, and pronouns resolved to the entity mentioned before them."""

    def __init__(self, article: Article, entities: dict[str, dict[str, Any]], names: re.Pattern[str] | None,
                 owners: dict[str, str]):
        self.kinds = {entity_id: record["kind"] for entity_id, record in entities.items()}
        found = [Mention(m.start(), m.end(), owners[m.group(0)]) for m in names.finditer(article.text)] if names \
            else []
        pronouns = [Mention(m.start(), m.end(), None, m.group(0).lower()) for m in PRONOUN.finditer(article.text)]
        self.names = found
        self.mentions = sorted(found + pronouns, key=lambda m: m.start)

    def nearest(self, start: int, end: int, cue: int, after: bool) -> Mention | None:
        """The mention in ``[start, end)`` nearest to position ``cue``: after it if ``after``, else before it."""
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        if after:
            return next((m for m in inside if m.start >= cue), None)
        before = [m for m in inside if m.end <= cue]
        return before[-1] if before else None

    def resolve(self, mention: Mention | None) -> str:
        if mention is None:
            return UNKNOWN_SPEAKER
        if mention.entity is not None:
            return mention.entity
        wanted = ("person",) if mention.pronoun in ("he", "she") else ("organization", "group", "place")
        earlier = self.names[:bisect_left([m.start for m in self.names], mention.start)]
        for candidate in reversed(earlier):
            if candidate.entity is not None and self.kinds.get(candidate.entity) in wanted:
                return candidate.entity
        return UNKNOWN_SPEAKER


def name_index(entities: dict[str, dict[str, Any]]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern for every unambiguous name and alias (longest first), and the entity each one names."""
    owners: dict[str, set[str]] = {}
    for entity_id, record in entities.items():
        for name in (record["name"], *record.get("aliases", ())):
            owners.setdefault(name, set()).add(entity_id)
    unique = {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1 and name.strip()}
    if not unique:
        return None, {}
    names = sorted(unique, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)"), unique


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding white space and, outside quotation marks, trailing punctuation."""
    while start < end and text[start] in TRAILING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding white space (a direct quote keeps its punctuation inside the marks)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clause(quoted: str) -> bool:
    """Whether quoted words read as an utterance of their own rather than a term: long enough, or punctuated
    as a sentence inside the marks (``“We agreed,”``)."""
    words = quoted.split()
    return len(words) >= CLAUSE_WORDS or (len(words) >= 2 and quoted.rstrip()[-1:] in ",.!?")


def sentence_quotes(article: Article, speakers: Speakers, start: int, end: int,
                    previous: str | None) -> list[dict[str, Any]]:
    """The quote records of the sentence ``[start, end)``; ``previous`` is the last speaker of the article."""
    text = article.text
    marks = quotations(text[start:end], start)
    inside = [False] * (end - start)
    for opening, closing in marks:
        for position in range(opening, closing + 1):
            inside[position - start] = True
    cues = [m for m in CUE.finditer(text, start, end) if not inside[m.start() - start]]
    used: set[int] = set()
    records = []
    for opening, closing in marks:
        cue = _adjacent_cue(text, cues, opening, closing)
        if cue is not None:
            used.add(cue.start())
            if cue.end() <= opening:  # Xi said: “…”
                mention = speakers.nearest(start, cue.start(), cue.start(), after=False)
            else:  # “…,” Xi said / “…,” said Xi
                mention = (speakers.nearest(closing, cue.start(), cue.start(), after=False)
                           or speakers.nearest(cue.end(), end, cue.end(), after=True))
            kind = "direct" if _clause(text[opening + 1:closing]) else "mixed"
            span = _strip(text, opening + 1, closing) if kind == "direct" else (opening, closing + 1)
            records.append(_record(article, span, kind, speakers.resolve(mention)))
        elif trim(text, start, end)[0] == opening and _clause(text[opening + 1:closing]) and previous is not None:
            # A quotation that opens its sentence and has no cue goes on with the previous speaker's words.
            records.append(_record(article, _strip(text, opening + 1, closing), "direct", previous))
    for cue in cues:
        if cue.start() in used:
            continue
        records.extend(_reported(article, speakers, cue, start, end, marks))
    return records


def _adjacent_cue(text: str, cues: list[re.Match[str]], opening: int, closing: int) -> re.Match[str] | None:
    """The cue that introduces the quotation: right before it, or after it past at most a speaker's name."""
    for cue in cues:
        if cue.end() <= opening and re.fullmatch(r"[\s,:]*(?:that\s*)?", text[cue.end():opening]):
            return cue
    for cue in cues:
        if cue.start() > closing and re.fullmatch(r"[\s,]*(?:[\w’'.-]+\s+){0,5}", text[closing + 1:cue.start()]):
            return cue
    return None


def _reported(article: Article, speakers: Speakers, cue: re.Match[str], start: int, end: int,
              marks: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The record of a cue without an adjacent quotation: reported speech after it, or before it."""
    text = article.text
    word = " ".join(cue.group(0).split())
    content_start, content_end = trim(text, cue.end(), end)
    follows = text[cue.end():end].strip(TRAILING)
    if word == "according to" or len(follows.split()) <= 2:
        # "…, a U.S. official said." / "…, according to X.": the content precedes, up to the comma before the
        # speaker; the speaker follows "according to" and precedes any other cue.
        comma = text.rfind(",", start, cue.start())
        if comma <= start:
            return []
        content_start, content_end = trim(text, start, comma)
        mention = speakers.nearest(comma, end, cue.end(), after=True) if word == "according to" \
            else speakers.nearest(comma, cue.start(), cue.start(), after=False)
    else:
        head = text[cue.end():content_end]
        that = re.search(r"(?<!\w)that(?!\w)", head)
        if that and len(head[:that.start()].split()) <= ADDRESSEE_WORDS:
            content_start, content_end = trim(text, cue.end() + that.end(), content_end)
        mention = speakers.nearest(start, cue.start(), cue.start(), after=False)
    if content_end - content_start < 2:
        return []
    has_mark = any(content_start <= o < content_end or content_start <= c < content_end for o, c in marks)
    kind = "mixed" if has_mark else "indirect"
    return [_record(article, (content_start, content_end), kind, speakers.resolve(mention))]


def _record(article: Article, span: tuple[int, int], kind: str, speaker: str) -> dict[str, Any]:
    return {"article_id": article.article_id, "start": span[0], "end": span[1], "type": kind, "speaker": speaker}


def article_quotes(article: Article, speakers: Speakers) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    previous: str | None = None
    for line in article.content_lines:
        for unit_start, unit_end, _, _ in units_of(line.text):
            found = sentence_quotes(article, speakers, line.start + unit_start, line.start + unit_end, previous)
            records += found
            if found:
                previous = found[-1]["speaker"]
    return records


def predict(release: Release) -> Predictions:
    entities = release.entities()
    names, owners = name_index(entities)
    records: dict[tuple[str, int, int], dict[str, Any]] = {}
    for article_id in sorted(release.articles):
        article = release.articles[article_id]
        for record in article_quotes(article, Speakers(article, entities, names, owners)):
            if record["end"] > record["start"]:
                # One record per span: two cues reporting the same words keep the first.
                records.setdefault((article_id, record["start"], record["end"]), record)
    return [records[key] for key in sorted(records)]
