"""The documents of a synthetic cluster and the material they are made of.

A document is a list of pieces (title, body units, boilerplate lines) that remembers the operations that made
it; the material is what the gold of a release offers: stories cut into sentence units with copy identities,
and the boilerplate inventory. See :mod:`newsgold.synth.generate` for the whole method.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..corpus import split_lines
from ..records import CONTENT_ROLES
from ..sentences import exact_key, sentence_key, units_of

MIN_UNITS = 3  # a story needs this many body sentences to be varied
# Gold relations under which two stories may meet in one cluster (they share no passage) and what the
# documents of the two are to each other when they share no sentence either.
APART = {"same_event": "same_event", "unrelated": "unrelated"}


# ---------------------------------------------------------------------------------------------------------
# Documents


@dataclass(frozen=True)
class Unit:
    """A run of whole sentences of one body line, with its copy identity and sentence count ``[lo, hi]``."""

    text: str
    ident: str
    lo: int
    hi: int


@dataclass(frozen=True)
class Piece:
    """One line of a synthetic document: its role (None: a blank line) and where it came from.

    A body line is its units joined by ``seps`` (``seps[0]`` before the first unit, ``seps[-1]`` after the
    last). ``lead`` marks a line that may be a sub-heading with the identity of the unit it introduces: it
    goes where that unit goes and is dropped when the two part.
    """

    role: str | None
    text: str
    source: str = ""
    line_no: int = 0
    origin: str = "source"
    units: tuple[Unit, ...] = ()
    seps: tuple[str, ...] = ()
    lead: str | None = None

    @property
    def is_body(self) -> bool:
        return self.role == "body"


def body_piece(units: Sequence[Unit], seps: Sequence[str], **fields: Any) -> Piece:
    text = seps[0] + "".join(unit.text + sep for unit, sep in zip(units, seps[1:], strict=True))
    return Piece("body", text, units=tuple(units), seps=tuple(seps), **fields)


def with_units(piece: Piece, units: Sequence[Unit], seps: Sequence[str]) -> Piece:
    return body_piece(units, seps, source=piece.source, line_no=piece.line_no, origin=piece.origin, lead=piece.lead)


BLANK = Piece(None, "")


@dataclass
class Doc:
    """A synthetic document: its lines, the story it reports (its title's article), and how it was made."""

    pieces: list[Piece]
    story: str
    parent: int | None = None  # index of the parent in its cluster
    ops: list[dict[str, Any]] = field(default_factory=list)

    def child(self, parent: int) -> Doc:
        return Doc(list(self.pieces), self.story, parent)

    def op(self, name: str, count: int | None = None, source: str | None = None, detail: str | None = None) -> None:
        record: dict[str, Any] = {"op": name}
        for key, value in (("count", count), ("source", source), ("detail", detail)):
            if value is not None:
                record[key] = value
        self.ops.append(record)

    @property
    def text(self) -> str:
        return "\n".join(piece.text for piece in self.pieces)


@dataclass(frozen=True)
class Content:
    """What the labels of a document depend on: its content text and its copy identities."""

    exact: str
    idents: frozenset[str]
    lo: int
    hi: int


# ---------------------------------------------------------------------------------------------------------
# Material from the gold


@dataclass(frozen=True)
class Block:
    """A run of boilerplate lines of one article (blank lines between them kept), and where it stood."""

    source: str
    place: str  # "top" (before the title), "head" (title to body), "middle" (between body lines), "end"
    pieces: tuple[Piece, ...]
    local: bool  # holds an `other` line (a headline copy, a widget): only for documents of its own story


@dataclass(frozen=True)
class Run:
    """Consecutive units of one body line that no gold passage touches, with the separators between them."""

    line_no: int
    units: tuple[Unit, ...]
    seps: tuple[str, ...]


@dataclass
class Material:
    """Everything the generator takes from a release: stories, donor sentences, boilerplate blocks, relations."""

    stories: dict[str, Doc]  # article id -> the story as a document, verbatim
    primaries: list[str]  # stories with enough sentences to start a cluster
    counts: dict[str, tuple[int, int]]  # copy identity -> [lo, hi] sentences
    donors: dict[str, list[Run]]  # article -> runs of units it may lend
    blocks: list[Block]
    relations: dict[tuple[str, str], str]  # gold relation by (a, b), a < b
    linked: set[tuple[str, str]] = field(default_factory=set)  # (a, b), a < b, with a gold passage in common

    def relation(self, a: str, b: str) -> str | None:
        return self.relations.get((min(a, b), max(a, b)))

    def apart(self, a: str, b: str) -> bool:
        """Whether two stories may meet in a cluster: the gold gives them no passage, by relation and by passages."""
        return self.relation(a, b) in APART and (min(a, b), max(a, b)) not in self.linked

    def content(self, doc: Doc) -> Content:
        idents = frozenset(unit.ident for piece in doc.pieces for unit in piece.units)
        return Content(exact_key(p.text for p in doc.pieces if p.role in CONTENT_ROLES), idents,
                       sum(self.counts[i][0] for i in idents), sum(self.counts[i][1] for i in idents))


def material(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> Material:
    """The generator's material from released records (``articles``, ``boilerplate``, ``doc_pairs``, ``passages``).

    Nothing is drawn from a release whose boilerplate or document pairs are not annotated yet.
    """
    roles: dict[str, dict[int, str]] = {}
    for label in records.get("boilerplate", []):
        roles.setdefault(label["article_id"], {})[label["line_no"]] = label["role"]
    relations = {(min(p["a"], p["b"]), max(p["a"], p["b"])): p["relation"] for p in records.get("doc_pairs", [])}
    empty = Material({}, [], {}, {}, [], relations)
    if not roles or not relations:
        return empty
    texts = {a["article_id"]: a["text"] for a in records.get("articles", []) if a["article_id"] in roles}
    all_cuts = {article_id: _cut(text, roles[article_id]) for article_id, text in sorted(texts.items())}
    cuts = {article_id: cut for article_id, cut in all_cuts.items() if cut is not None}
    idents, copied, tangled = _passage_idents(cuts, records.get("passages", []))
    linked = {(min(a, b), max(a, b)) for cluster in records.get("passages", [])
              for a in {m["article_id"] for m in cluster["members"]}
              for b in {m["article_id"] for m in cluster["members"]} if a != b}
    counts: dict[str, tuple[int, int]] = {}
    stories: dict[str, Doc] = {}
    donors: dict[str, list[Run]] = {}
    for article_id, lines in cuts.items():
        pieces: list[Piece] = []
        runs: list[Run] = []
        for line_no, text, role, offsets in lines:
            if role != "body":
                pieces.append(Piece(role, text, article_id, line_no) if role else Piece(None, text))
                continue
            units, seps, run, run_seps = [], [text[: offsets[0][0]]], [], []
            for index, (start, end, lo, hi) in enumerate(offsets):
                ident = idents.get((article_id, line_no, index)) or "t:" + sentence_key(text[start:end])
                low, high = counts.get(ident, (lo, hi))
                counts[ident] = (min(low, lo), max(high, hi))
                unit = Unit(text[start:end], ident, lo, hi)
                units.append(unit)
                following = offsets[index + 1][0] if index + 1 < len(offsets) else len(text)
                seps.append(text[end:following])
                # A unit no gold passage touches has no copy anywhere: it can be lent to another story.
                if (article_id, line_no, index) not in copied and lo >= 1:
                    run.append(unit)
                    run_seps.append(text[end:following])
                elif run:
                    runs.append(Run(line_no, tuple(run), tuple(run_seps[:-1])))
                    run, run_seps = [], []
            if run:
                runs.append(Run(line_no, tuple(run), tuple(run_seps[:-1])))
            pieces.append(body_piece(units, seps, source=article_id, line_no=line_no))
        stories[article_id] = Doc(_mark_leads(pieces), article_id)
        donors[article_id] = runs
    # A story needs its one title (boilerplate goes where it stood relative to it) and no repeat that the
    # copy identities cannot follow; any article with roles may still lend sentences and boilerplate.
    usable = {a: d for a, d in stories.items() if a not in tangled and sum(p.role == "title" for p in d.pieces) == 1}
    primaries = [a for a in usable if sentence_count(usable[a]) >= MIN_UNITS]
    blocks = [block for article_id in stories for block in _blocks(stories[article_id])]
    return Material(usable, primaries, counts, donors, blocks, relations, linked)


def _cut(text: str, roles: dict[int, str]) -> list[tuple[int, str, str | None, list[Any]]] | None:
    """The article's lines as (line_no, text, role, units); None when a non-empty line has no gold role."""
    lines: list[tuple[int, str, str | None, list[Any]]] = []
    for line in split_lines(text):
        if line.is_blank:
            lines.append((line.line_no, line.text, None, []))
            continue
        role = roles.get(line.line_no)
        if role is None:
            return None
        lines.append((line.line_no, line.text, role, units_of(line.text) if role == "body" else []))
    return lines


def _passage_idents(cuts: dict[str, list[Any]], passages: Iterable[Mapping[str, Any]]
                    ) -> tuple[dict[tuple[str, int, int], str], set[tuple[str, int, int]], set[str]]:
    """Copy identities from the gold passages: the j-th unit of every member of a cluster shares one.

    Returns the identities by unit (article, line, index), every unit a passage touches, and the articles
    whose own repeats cannot be matched unit for unit (they are not used as stories).
    """
    located: dict[str, list[tuple[int, int, tuple[str, int, int]]]] = {}
    for article_id, lines in cuts.items():
        starts = 0
        spots = []
        for line_no, text, _role, offsets in lines:
            spots += [(starts + s, starts + e, (article_id, line_no, i)) for i, (s, e, _lo, _hi) in enumerate(offsets)]
            starts += len(text) + 1
        located[article_id] = spots
    idents: dict[tuple[str, int, int], str] = {}
    touched: set[tuple[str, int, int]] = set()
    tangled: set[str] = set()
    texts = {article_id: "\n".join(line[1] for line in lines) for article_id, lines in cuts.items()}
    for cluster in passages:
        members, whole = [], True
        for m in cluster["members"]:
            spots = [(start, end, spot) for start, end, spot in located.get(m["article_id"], [])
                     if start < m["end"] and m["start"] < end]
            text = texts.get(m["article_id"], "")
            # A unit may stick out of a member only by text without a sentence end (a dateline), or it would
            # hold a sentence the other members lack.
            whole &= all(not _TERMINAL_MARK.search(text[start:m["start"]] + " " + text[m["end"]:end])
                         for start, end, _spot in spots)
            members.append([spot for _start, _end, spot in spots])
        for member in members:
            touched.update(member)
        articles = [m["article_id"] for m in cluster["members"]]
        if whole and len({len(member) for member in members}) == 1:
            for member in members:
                for index, spot in enumerate(member):
                    if idents.setdefault(spot, f"p:{cluster['passage_cluster_id']}:{index}") != \
                            f"p:{cluster['passage_cluster_id']}:{index}":
                        tangled.add(spot[0])
        else:
            # Units of members in different articles never meet (stories that share a passage are kept
            # apart); an article's own repeat that cannot be matched leaves the article out.
            tangled.update(a for a in articles if articles.count(a) > 1)
    return idents, touched, tangled


_TERMINAL_MARK = re.compile(r"[.?!…]")


def _mark_leads(pieces: list[Piece]) -> list[Piece]:
    """Mark body lines that may be sub-headings (a single unit counting 0 or 1) with the unit they introduce."""
    out = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.is_body and len(piece.units) == 1 and piece.units[0].lo == 0:
            following = next((p for p in pieces[index + 1:] if p.role is not None), None)
            if following is not None and following.is_body:
                out[index] = replace(piece, lead=following.units[0].ident)
    return out


def sentence_count(doc: Doc) -> int:
    return sum(unit.lo for piece in doc.pieces for unit in piece.units)


def _blocks(story: Doc) -> Iterator[Block]:
    pieces = story.pieces
    title = next((i for i, p in enumerate(pieces) if p.role == "title"), 0)
    body = [i for i, p in enumerate(pieces) if p.is_body]
    if not body:
        return
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.role is None or piece.role in CONTENT_ROLES:
            index += 1
            continue
        end = index + 1
        while end < len(pieces):
            after = next((j for j in range(end, len(pieces)) if pieces[j].role is not None), len(pieces))
            if after == len(pieces) or pieces[after].role in CONTENT_ROLES:
                break
            end = after + 1
        place = ("top" if index < title else "head" if index < body[0] else "end" if index > body[-1] else "middle")
        run = tuple(replace(p, origin="inject_boilerplate") if p.role else p for p in pieces[index:end])
        yield Block(story.story, place, run, any(p.role == "other" for p in run))
        index = end


# ---------------------------------------------------------------------------------------------------------
# Pieces: helpers the operations share


def blank_style(pieces: Sequence[Piece]) -> bool:
    """Whether the document separates its paragraphs by blank lines (new lines follow the house style)."""
    body = [i for i, p in enumerate(pieces) if p.is_body]
    return bool(body) and body[0] + 1 < len(pieces) and pieces[body[0] + 1].role is None


def insert_pieces(pieces: list[Piece], at: int, new: Sequence[Piece]) -> None:
    pieces[at:at] = [BLANK, *new] if blank_style(pieces) else list(new)


def drop_pieces(pieces: Sequence[Piece | None]) -> list[Piece]:
    """The pieces without the removed ones (None), each taking a blank line with it so paragraphs stay apart."""
    out: list[Piece] = []
    skip_blank = False
    for piece in pieces:
        if piece is None:
            skip_blank = not out or out[-1].role is None
            continue
        if skip_blank and piece.role is None:
            skip_blank = False
            continue
        skip_blank = False
        out.append(piece)
    return out


def prune_pieces(pieces: list[Piece]) -> list[Piece]:
    """Drop possible sub-headings that no longer stand right before the paragraph they introduce."""
    out: list[Piece | None] = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.lead is None:
            continue
        following = next((p for p in pieces[index + 1:] if p.role is not None), None)
        if following is None or not following.is_body or following.units[0].ident != piece.lead:
            out[index] = None
    return drop_pieces(out) if None in out else pieces


def after_body(pieces: Sequence[Piece], rng: random.Random, *, first: bool = True, last: bool = True) -> int | None:
    """A place right after a body line that is not a sub-heading (optionally not the first or the last one)."""
    body = [i for i, p in enumerate(pieces) if p.is_body]
    choices = [i for n, i in enumerate(body) if pieces[i].lead is None
               and (first or n > 0) and (last or n < len(body) - 1)]
    return rng.choice(choices) + 1 if choices else None
