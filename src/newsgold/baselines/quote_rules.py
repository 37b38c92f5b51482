"""Quotes by rule, from the text alone: quotation marks, reporting verbs, and speakers named in the text.

Per sentence (the units of :func:`newsgold.sentences.units_of`, which never cut inside quotation marks):

1. A quotation next to a reporting verb (a cue) is ``direct`` (``“…,” she said``; ``the minister said: “…”``),
   or ``mixed`` when the quoted words are a fragment: fewer than ``CLAUSE_WORDS`` words and no punctuation of
   their own (a term in quotation marks). Its span is the quoted words, marks excluded for ``direct``,
   included for ``mixed``.
2. A quotation that is a whole sentence with no cue continues the previous quote's speaker: ``direct``.
3. Every other cue gives one record for what follows it (after an addressee and ``that``), or, when the
   cue ends the sentence (``…, the agency reported.``), for what precedes it: ``mixed`` if that holds a
   quotation mark, else ``indirect``.

The cues are the general English reporting verbs of ``REPORTING_VERBS`` in every inflection, and
``according to``. The speaker is the mention nearest to the cue in its sentence (after it for ``according to``
and ``said <name>``, before it otherwise), quoted words left out:

- a name phrase: a run of capitalised words, with the particles of ``CONNECTORS`` between them, possessives
  excluded (``<name>’s`` names an owner, not a speaker). The record's speaker is the phrase without leading
  articles and, unless it names an organisation (a word of ``ORGANISATION_WORDS``), without everything up to
  its last title word: ``Foreign Minister <Given> <Family>`` says ``<Given> <Family>``. The scorer resolves the
  name through the registry's names and aliases (:mod:`newsgold.scoring.quotes`); this system never reads it.
- a pronoun (he, she, they, it): the previous speaker named by a phrase in the article, else ``unknown``.

A capitalised word that opens a sentence, follows an opening quotation mark, or stands in a title-case line
says nothing about being a name: it counts as one only if the article capitalises it elsewhere too. Every
rule and word list here comes from the task's definition and general English, none from this release's
sentences. The system reads every line: it does not know which lines are content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..corpus import Article
from ..records import UNKNOWN_SPEAKER
from ..sentences import units_of
from . import Articles, Predictions

# General English verbs that report speech or writing, in the base form; their inflections are made by
# ``inflections``. "According to" is added as it is.
REPORTING_VERBS = ("say", "tell", "add", "state", "note", "write", "report", "explain", "claim", "warn", "urge",
                   "stress", "emphasize", "emphasise", "insist", "argue", "declare", "ask", "call", "describe",
                   "acknowledge", "announce", "confirm", "deny", "admit", "suggest", "reply", "respond", "comment",
                   "remark", "observe", "recall", "predict", "promise", "assure", "vow", "reiterate", "complain",
                   "concede", "contend", "tweet", "point out")
# Verbs whose base and -s forms are also common nouns (a report, the state, a call): only their past and -ing
# forms are cues.
NOUN_TOO = frozenset(("state", "note", "report", "claim", "stress", "call", "comment", "remark", "promise", "vow",
                      "reply", "tweet"))
IRREGULAR_VERBS = {"say": ("say", "says", "said", "saying"), "tell": ("tell", "tells", "told", "telling"),
                   "write": ("write", "writes", "wrote", "written", "writing"),
                   "admit": ("admit", "admits", "admitted", "admitting")}


def inflections(verb: str) -> tuple[str, ...]:
    """The base, third-person, past and -ing forms of an English verb (regular spelling rules, or the table)."""
    head, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    if head in IRREGULAR_VERBS:
        return tuple(form + tail for form in IRREGULAR_VERBS[head])
    if head.endswith("y") and head[-2:-1] not in "aeiou":
        forms = (head, head[:-1] + "ies", head[:-1] + "ied", head + "ing")
    elif head.endswith("e"):
        forms = (head, head + "s", head + "d", head[:-1] + "ing")
    elif head.endswith(("s", "sh", "ch", "x", "z")):
        forms = (head, head + "es", head + "ed", head + "ing")
    else:
        forms = (head, head + "s", head + "ed", head + "ing")
    return tuple(form + tail for form in forms)


def cue_forms(verb: str) -> tuple[str, ...]:
    """The forms of a reporting verb that introduce speech: all of them, or past and -ing only (``NOUN_TOO``)."""
    forms = inflections(verb)
    return forms[2:] if verb in NOUN_TOO else forms


CUE_WORDS = tuple(sorted({form for verb in REPORTING_VERBS for form in cue_forms(verb)} | {"according to"},
                         key=lambda w: (-len(w), w)))
CUE = re.compile(r"(?<![\w’'])(" + "|".join(w.replace(" ", r"\s+") for w in CUE_WORDS) + r")(?![\w’'])")
PRONOUN = re.compile(r"(?<![\w’'])([Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?![\w’'])")
OPENERS = {"“": "”", '"': '"', "‘": "’’'", "'": "’'"}
CLAUSE_WORDS = 4  # a quotation of fewer words is a fragment (a term or phrase), not a clause
TRAILING = " \t\u00a0.,;:"
# An addressee ("told <someone> that") is a noun phrase: no clause punctuation before the "that".
ADDRESSEE_BREAK = re.compile(r"[,;:()“”\"]")

# --- name phrases: general English word lists ---------------------------------------------------------------
# Titles and offices that precede a name; everything up to the last of them is dropped from a person's name.
TITLE_WORDS = frozenset((
    "President", "Vice", "Prime", "Minister", "Secretary", "Chancellor", "Premier", "King", "Queen", "Prince",
    "Princess", "Emperor", "Pope", "Senator", "Sen.", "Representative", "Rep.", "Congressman", "Congresswoman",
    "Governor", "Gov.", "Mayor", "Ambassador", "Envoy", "Spokesman", "Spokeswoman", "Spokesperson", "Chairman",
    "Chairwoman", "Chair", "Director", "General", "Gen.", "Admiral", "Adm.", "Colonel", "Col.", "Captain", "Capt.",
    "Lieutenant", "Lt.", "Sergeant", "Sgt.", "Commander", "Chief", "Officer", "Executive", "Mr.", "Mr", "Mrs.",
    "Mrs", "Ms.", "Ms", "Dr.", "Dr", "Prof.", "Professor", "Judge", "Justice", "Attorney", "Commissioner",
    "Deputy", "Assistant", "Undersecretary", "Leader", "Speaker", "Councillor", "Councilor", "Lord", "Lady", "Sir",
    "Dame", "Sheikh", "Rabbi", "Bishop", "Cardinal", "Reverend", "Rev.", "Foreign", "Defense", "Defence", "State",
    "Commerce", "Trade", "Finance", "Treasury", "Interior", "Home", "Health", "Energy", "Affairs", "National",
    "Security", "Adviser", "Advisor", "Press", "Senior", "Top", "Former", "Acting", "Founder", "CEO", "Head",
    "Inspector", "Detective", "Superintendent", "Sheriff",
))
# Words that make a phrase an organisation's name, kept whole.
ORGANISATION_WORDS = frozenset((
    "Department", "Ministry", "Office", "Agency", "Council", "Party", "Committee", "Commission", "Government",
    "Administration", "Bureau", "Service", "Army", "Navy", "Force", "Forces", "Embassy", "Consulate", "University",
    "Institute", "Association", "Union", "Organization", "Organisation", "Company", "Corporation", "Inc.", "Ltd",
    "Group", "Bank", "Court", "Congress", "Parliament", "Senate", "House", "Times", "News", "Post", "Journal",
    "Network", "Foundation", "Center", "Centre", "Fund", "Authority", "Board", "Cabinet", "Staff",
))
LEADING_WORDS = frozenset(("The", "A", "An"))  # articles before a name are not part of it
# Capitalised words that are not names when they stand alone: days, months, and function words a sentence or a
# title-case line starts with.
NOT_NAMES = frozenset((
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "I", "We", "You",
    "He", "She", "It", "They", "His", "Her", "Its", "Their", "Our", "My", "Your", "This", "That", "These", "Those",
    "There", "Here", "What", "Who", "Whom", "Why", "How", "Where", "When", "Which", "While", "But", "And", "Or",
    "So", "Yet", "If", "In", "On", "At", "For", "With", "As", "After", "Before", "Although", "Though", "Because",
    "However", "Meanwhile", "Also", "Still", "Now", "Then", "Today", "Yesterday", "Tomorrow", "According",
))
CONNECTORS = frozenset(("of", "de", "del", "della", "di", "da", "van", "von", "der", "den", "la", "le", "du", "al",
                        "bin", "ibn"))
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Adm|Col|Capt|Lt|Sgt|Rev|St|Jr|Sr)\."
                   r"|[A-Z]\.(?= [A-Z])|[^\W\d_][\w’'-]*")
POSSESSIVE = re.compile(r"[’']s?$")
# Title case capitalises every word but short function words: a line whose words of this many letters or more
# (three at least) are all capitalised is in title case.
TITLE_CASE_LENGTH = 4


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: str | None  # what the mention names (None for a pronoun, resolved when used)
    pronoun: str = ""


class Speakers:
    """The mentions of an article that may name a speaker, and how one resolves to a record's ``speaker``."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = sorted(mentions, key=lambda m: m.start)

    def nearest(self, start: int, end: int, cue: int, after: bool) -> Mention | None:
        """The mention in ``[start, end)`` nearest to position ``cue``: after it if ``after``, else before it."""
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        if after:
            return next((m for m in inside if m.start >= cue), None)
        before = [m for m in inside if m.end <= cue]
        return before[-1] if before else None

    def resolve(self, mention: Mention | None) -> str:
        raise NotImplementedError


class NamedSpeakers(Speakers):
    """Name phrases and pronouns outside quotation marks; a pronoun is the previous speaker named by a phrase."""

    def __init__(self, article: Article):
        quoted = _quoted_positions(article)
        names = [Mention(start, end, name) for start, end, name in name_phrases(article) if not quoted[start]]
        pronouns = [Mention(m.start(), m.end(), None, m.group(0).lower()) for m in PRONOUN.finditer(article.text)
                    if not quoted[m.start()]]
        super().__init__(names + pronouns)
        self.last_named: str | None = None

    def resolve(self, mention: Mention | None) -> str:
        if mention is None:
            return UNKNOWN_SPEAKER
        if mention.entity is not None:
            self.last_named = mention.entity
            return mention.entity
        return self.last_named or UNKNOWN_SPEAKER


def _quoted_positions(article: Article) -> list[bool]:
    """For each position of the article's text, whether it lies inside a quotation (marks included)."""
    inside = [False] * (len(article.text) + 1)
    for line in article.content_lines:
        for opening, closing in quotations(line.text, line.start):
            for position in range(opening, closing + 1):
                inside[position] = True
    return inside


def _tokens(article: Article) -> list[tuple[re.Match[str], bool]]:
    """Every word token of the article, and whether its capital letter can be trusted as a name's.

    It cannot at the start of a sentence, after an opening quotation mark or in a title-case line.
    """
    out = []
    for line in article.content_lines:
        found = list(TOKEN.finditer(article.text, line.start, line.end))
        long_words = [t.group() for t in found if len(t.group()) >= TITLE_CASE_LENGTH]
        title_case = len(long_words) >= 3 and all(word[0].isupper() for word in long_words)
        starts = {line.start + start for start, _, _, _ in units_of(line.text)}
        for token in found:
            before = article.text[line.start:token.start()].rstrip()
            opens = token.start() in starts or not before or before[-1] in "“‘\"'(—–-:"
            out.append((token, not (title_case or opens)))
    return out


def name_phrases(article: Article) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of each name phrase of the article (see the module docstring), in text order."""
    tokens = _tokens(article)
    known = {t.group() for t, trusted in tokens if trusted and _capitalised(t.group())}
    phrases: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []  # connectors seen since the run's last word

    def close() -> None:
        if run:
            phrase = _phrase(article, run)
            if phrase is not None:
                phrases.append(phrase)
        run.clear()
        pending.clear()

    previous_end = -1
    for token, trusted in tokens:
        word = token.group()
        gap = article.text[previous_end:token.start()] if previous_end >= 0 else "\n"
        if run and not re.fullmatch(r"[ \u00a0]", gap):
            close()
        previous_end = token.end()
        if _capitalised(word) and word not in NOT_NAMES and (trusted or word in known or _fixed(word)):
            run.extend(pending)
            pending.clear()
            run.append(token)
            if POSSESSIVE.search(word):
                run.clear()  # a possessive names an owner, not a speaker
                pending.clear()
                previous_end = -1
        elif run and word in CONNECTORS:
            pending.append(token)
        else:
            close()
    close()
    return phrases


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _fixed(word: str) -> bool:
    """Initialisms, abbreviated titles and initials: capitalised wherever they stand."""
    return word.endswith(".") or word in TITLE_WORDS


def _phrase(article: Article, run: list[re.Match[str]]) -> tuple[int, int, str] | None:
    """The span and speaker name of a run of capitalised words (leading articles and titles dropped)."""
    words = [t.group() for t in run]
    first = 0
    while first < len(words) and words[first] in LEADING_WORDS:
        first += 1
    words = words[first:]
    if not words:
        return None
    start, end = run[first].start(), run[-1].end()
    if not any(word in ORGANISATION_WORDS for word in words):
        titles = [i for i, word in enumerate(words) if word in TITLE_WORDS]
        if titles and titles[-1] + 1 < len(words):
            words = words[titles[-1] + 1:]
        elif titles:
            return None  # a title alone names no one in particular
    while words and words[-1] in CONNECTORS:
        words.pop()
    return (start, end, " ".join(words)) if words else None


# --- quotations, cues and records (shared with the registry oracle, newsgold.baselines.quote_registry) ---------


def quotations(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """``(open, close)`` positions of quotation-mark pairs in ``text`` (plus ``offset``), outermost only.

    A single mark opens only at the start of a word and closes only at the end of one, so that the apostrophes
    of ``its’`` and ``one's`` are never marks.
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
    as a sentence inside the marks (``“We will,”``)."""
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
            if cue.end() <= opening:  # <speaker> said: “…”
                mention = speakers.nearest(start, cue.start(), cue.start(), after=False)
            else:  # “…,” <speaker> said / “…,” said <speaker>
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
        # "…, an official said." / "…, according to <source>.": the content precedes, up to the comma before
        # the speaker; the speaker follows "according to" and precedes any other cue.
        comma = text.rfind(",", start, cue.start())
        if comma <= start:
            return []
        content_start, content_end = trim(text, start, comma)
        mention = speakers.nearest(comma, end, cue.end(), after=True) if word == "according to" \
            else speakers.nearest(comma, cue.start(), cue.start(), after=False)
    else:
        head = text[cue.end():content_end]
        that = re.search(r"(?<!\w)that(?!\w)", head)
        if that and not ADDRESSEE_BREAK.search(head[:that.start()]):
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


def quote_predictions(articles: Articles, speakers_of: Callable[[Article], Speakers]) -> Predictions:
    """The records of every article, one per span (two cues reporting the same words keep the first), sorted."""
    records: dict[tuple[str, int, int], dict[str, Any]] = {}
    for article_id in sorted(articles):
        article = articles[article_id]
        for record in article_quotes(article, speakers_of(article)):
            if record["end"] > record["start"]:
                records.setdefault((article_id, record["start"], record["end"]), record)
    return [records[key] for key in sorted(records)]


def predict(articles: Articles) -> Predictions:
    return quote_predictions(articles, NamedSpeakers)
