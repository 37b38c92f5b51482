"""Synthetic stress splits: documents derived from the gold by recorded operations, labelled by construction.

Five articles give ten document pairs, too few to tell two deduplication or clean-up systems apart. This module
derives many more documents from the gold of a release (its title and body lines, its boilerplate inventory,
its pair relations and passages) and labels them without an annotator: every label follows from the
operations that made the document, under the rules of the duplicates and boilerplate guidelines.

**Material.** A *story* is a released article whose every non-empty line has a gold role. Its body lines are
cut into *units* at the sentence ends that are certain under the guideline's counting rules
(:func:`newsgold.sentences.units_of`); a unit carries how many guideline sentences it holds, as an interval
``[lo, hi]`` over the readings the rules leave open (an initialism before a capital, a full stop before a
speech tag, a line without final punctuation that may be a sub-heading). Each unit has a *copy identity*:
units that the gold passages pair up (a paragraph a site repeats) share one, and so do verbatim repeats; any
other two units are not copies, because the gold passages record every copy there is.

**Groups.** Each synthetic cluster starts from one story, copied verbatim, and adds documents one at a time,
each derived from an earlier one by operations: copies with white-space and Unicode changes, sentence
deletion, insertion of sentences (that no gold passage holds) from a related article, paragraph reordering,
trimming, splicing a passage into another story's content, and boilerplate taken from the gold inventory
(with its gold roles) and placed where it stood in its own article. Only stories that share no passage
with each other meet in a cluster, so every copy in a cluster is one the copy identities know of.

**Labels.** The relation of two documents follows from their content: ``exact`` when their title and body
text are equal after white-space collapsing (and canonical Unicode equivalence); otherwise ``k`` shared
sentences of ``n_a`` and ``n_b`` give ``near_duplicate`` when ``2k > min(n_a, n_b)`` and ``partial_overlap``
when ``1 <= k`` and not, *for every reading* of the sentence counts; with nothing shared, the gold relation of
the two stories the documents report decides between ``same_event`` and ``unrelated``. A document whose
relation to an earlier one would depend on a reading is drawn again, so no label rests on a guess. Every line
keeps the role it had where it came from. See :func:`label` and :data:`RECIPES`.

Generation is deterministic: cluster ``i`` is drawn from ``random.Random(f"{seed}:{i}")`` alone, so the
same seed gives the same bytes, and clusters are independent of how many follow.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .corpus import sha256_text, split_lines
from .records import CONTENT_ROLES, SYNTHETIC_CONFIGS
from .sentences import ENDS_SENTENCE, exact_key, sentence_key, units_of

DEFAULT_SEED = 0
DEFAULT_PAIRS = 3000
# The configs a synthetic split holds, by the ordinary config whose shape (plus provenance) they share.
GROUP_SIZES = (12, 32)  # documents per synthetic cluster, drawn uniformly
MIN_UNITS = 3  # a story needs this many body sentences to be varied
ATTEMPTS = 40  # draws of one document before falling back to a white-space copy
# Gold relations under which two stories may meet in one cluster (they share no passage) and what the
# documents of the two are to each other when they share no sentence either.
APART = {"same_event": "same_event", "unrelated": "unrelated"}
# Gold relations under which an article lends sentences to another one's documents (the same news story).
DONOR_RELATIONS = ("exact", "near_duplicate", "partial_overlap", "same_event")


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
    primaries = [a for a in usable if _sentences(usable[a]) >= MIN_UNITS]
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


def _sentences(doc: Doc) -> int:
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
# Operations: each changes a document in place, records itself, and says whether it applied


def _style_blank(pieces: Sequence[Piece]) -> bool:
    """Whether the document separates its paragraphs by blank lines (new lines follow the house style)."""
    body = [i for i, p in enumerate(pieces) if p.is_body]
    return bool(body) and body[0] + 1 < len(pieces) and pieces[body[0] + 1].role is None


def _insert(pieces: list[Piece], at: int, new: Sequence[Piece]) -> None:
    pieces[at:at] = [BLANK, *new] if _style_blank(pieces) else list(new)


def _slots(pieces: Sequence[Piece]) -> list[tuple[int, int]]:
    return [(i, j) for i, piece in enumerate(pieces) if piece.is_body for j in range(len(piece.units))]


def _remove_units(doc: Doc, chosen: set[tuple[int, int]]) -> None:
    pieces: list[Piece | None] = list(doc.pieces)
    for index, piece in enumerate(doc.pieces):
        gone = [j for j in range(len(piece.units)) if (index, j) in chosen]
        if not gone:
            continue
        kept = [j for j in range(len(piece.units)) if (index, j) not in chosen]
        if not kept:
            pieces[index] = None
            continue
        # Between two kept units goes the separator that followed the first of them.
        seps = [piece.seps[0], *(piece.seps[j + 1] for j in kept[:-1]), piece.seps[-1]]
        pieces[index] = with_units(piece, [piece.units[j] for j in kept], seps)
    doc.pieces = _prune(_drop(pieces))


def _drop(pieces: Sequence[Piece | None]) -> list[Piece]:
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


def _prune(pieces: list[Piece]) -> list[Piece]:
    """Drop possible sub-headings that no longer stand right before the paragraph they introduce."""
    out: list[Piece | None] = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.lead is None:
            continue
        following = next((p for p in pieces[index + 1:] if p.role is not None), None)
        if following is None or not following.is_body or following.units[0].ident != piece.lead:
            out[index] = None
    return _drop(out) if None in out else pieces


def delete_sentences(doc: Doc, rng: random.Random, share: float) -> bool:
    slots = _slots(doc.pieces)
    count = min(max(1, round(share * len(slots))), len(slots) - 2)
    if count < 1:
        return False
    _remove_units(doc, set(rng.sample(slots, count)))
    doc.op("delete_sentences", count)
    return True


def trim(doc: Doc, rng: random.Random, share: float) -> bool:
    slots = _slots(doc.pieces)
    count = min(max(1, round(share * len(slots))), len(slots) - 2)
    if count < 1:
        return False
    side = rng.choice(("start", "end"))
    _remove_units(doc, set(slots[:count] if side == "start" else slots[-count:]))
    doc.op("trim", count, detail=side)
    return True


def _after_body(pieces: Sequence[Piece], rng: random.Random, *, first: bool = True, last: bool = True) -> int | None:
    """A place right after a body line that is not a sub-heading (optionally not the first or the last one)."""
    body = [i for i, p in enumerate(pieces) if p.is_body]
    choices = [i for n, i in enumerate(body) if pieces[i].lead is None
               and (first or n > 0) and (last or n < len(body) - 1)]
    return rng.choice(choices) + 1 if choices else None


def insert_sentences(doc: Doc, rng: random.Random, material: Material) -> bool:
    lenders = [a for a in material.donors if a != doc.story and material.donors[a]
               and material.relation(a, doc.story) in DONOR_RELATIONS]
    at = _after_body(doc.pieces, rng)
    if not lenders or at is None:
        return False
    lender = rng.choice(lenders)
    run = rng.choice(material.donors[lender])
    count = rng.randint(1, min(3, len(run.units)))
    start = rng.randrange(len(run.units) - count + 1)
    piece = body_piece(run.units[start:start + count], ["", *run.seps[start:start + count - 1], ""], source=lender,
                       line_no=run.line_no, origin="insert_sentences")
    _insert(doc.pieces, at, [piece])
    doc.op("insert_sentences", count, source=lender)
    return True


def reorder_paragraphs(doc: Doc, rng: random.Random) -> bool:
    # Segments alternate: material between paragraphs, then a paragraph (a sub-heading travels with its own).
    pieces = doc.pieces
    gaps: list[list[Piece]] = [[]]
    blocks: list[list[Piece]] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.is_body:
            block = [piece]
            if piece.lead is not None:
                while index + 1 < len(pieces) and pieces[index + 1].role is None:
                    index += 1
                    block.append(pieces[index])
                if index + 1 < len(pieces) and pieces[index + 1].is_body:
                    index += 1
                    block.append(pieces[index])
            blocks.append(block)
            gaps.append([])
        else:
            gaps[-1].append(piece)
        index += 1
    if len(blocks) < 3:
        return False
    # The lead paragraph stays: it says what the story is about.
    width = rng.randint(2, min(5, len(blocks) - 1))
    start = rng.randint(1, len(blocks) - width)
    window = blocks[start:start + width]
    order = list(range(width))
    while order == sorted(order):
        rng.shuffle(order)
    blocks[start:start + width] = [window[i] for i in order]
    out: list[Piece] = []
    for gap, block in zip(gaps, [*blocks, []], strict=True):
        out += gap + block
    doc.pieces = _prune(out)
    doc.op("reorder_paragraphs", sum(1 for i, j in enumerate(order) if i != j))
    return True


def splice(doc: Doc, rng: random.Random, material: Material, host: str) -> Doc | None:
    """A new document: the host story's content with a run of the sentences of ``doc`` spliced into it."""
    # A possible sub-heading (a unit that may count no sentence) is no passage.
    slots = [(i, j) for i, j in _slots(doc.pieces) if doc.pieces[i].units[j].lo >= 1]
    story = material.stories[host]
    at = _after_body(story.pieces, rng)
    if len(slots) < 2 or at is None:
        return None
    count = rng.randint(1, min(4, max(1, len(slots) // 3)))
    begin = rng.randrange(len(slots) - count + 1)
    run = slots[begin:begin + count]
    passage = []
    for index in sorted({i for i, _ in run}):
        piece = doc.pieces[index]
        js = [j for i, j in run if i == index]
        seps = ["", *(piece.seps[j + 1] for j in js[:-1]), ""]
        passage.append(body_piece([piece.units[j] for j in js], seps, source=piece.source, line_no=piece.line_no,
                                  origin="splice"))
    new = Doc(list(story.pieces), host)
    if _style_blank(new.pieces) and len(passage) > 1:
        passage = [p for piece in passage for p in (BLANK, piece)][1:]
    _insert(new.pieces, at, passage)
    new.pieces = _prune(new.pieces)
    new.op("splice", count, source=host)
    return new


_WHITESPACE = ("nbsp", "double_space", "trailing", "blank_lines", "split_lines", "join_lines")


def whitespace(doc: Doc, rng: random.Random) -> bool:
    """Change white space only: the content text stays the same after collapsing white space."""
    done = [kind for kind in rng.sample(_WHITESPACE, rng.randint(1, 3)) if _WHITESPACE_OPS[kind](doc, rng)]
    if done:
        doc.op("whitespace", detail=",".join(done))
    return bool(done)


def _respace(doc: Doc, rng: random.Random, new: str) -> bool:
    changed = False
    for index, piece in enumerate(doc.pieces):
        if piece.role not in CONTENT_ROLES or rng.random() > 0.4:
            continue
        if piece.role == "title":
            text = _replace_some(piece.text, rng, new)
            changed |= text != piece.text
            doc.pieces[index] = replace(piece, text=text)
            continue
        units = [replace(u, text=_replace_some(u.text, rng, new)) for u in piece.units]
        changed |= units != list(piece.units)
        doc.pieces[index] = with_units(piece, units, piece.seps)
    return changed


def _replace_some(text: str, rng: random.Random, new: str) -> str:
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return text
    chosen = set(rng.sample(spaces, max(1, len(spaces) // 8)))
    return "".join(new if i in chosen else char for i, char in enumerate(text))


def _trailing(doc: Doc, rng: random.Random) -> bool:
    changed = False
    for index, piece in enumerate(doc.pieces):
        if piece.is_body and rng.random() < 0.3:
            end = rng.choice((" ", "\u00a0", "\t", "  "))
            doc.pieces[index] = with_units(piece, piece.units, [*piece.seps[:-1], piece.seps[-1] + end])
            changed = True
    return changed


def _blank_lines(doc: Doc, rng: random.Random) -> bool:
    places = [i + 1 for i, p in enumerate(doc.pieces) if p.role is not None]
    for at in sorted(rng.sample(places, min(len(places), rng.randint(1, 3))), reverse=True):
        doc.pieces.insert(at, Piece(None, rng.choice(("", " ", "\u00a0", "\u00a0 "))))
    return bool(places)


def _split_lines(doc: Doc, rng: random.Random) -> bool:
    choices = [i for i, p in enumerate(doc.pieces) if p.is_body and len(p.units) > 1]
    if not choices:
        return False
    index = rng.choice(choices)
    piece = doc.pieces[index]
    cut = rng.randint(1, len(piece.units) - 1)
    first = with_units(piece, piece.units[:cut], [*piece.seps[:cut], ""])
    second = with_units(replace(piece, lead=None), piece.units[cut:], ["", *piece.seps[cut + 1:]])
    blank = _style_blank(doc.pieces)
    doc.pieces[index:index + 1] = [first, BLANK, second] if blank else [first, second]
    return True


def _join_lines(doc: Doc, rng: random.Random) -> bool:
    pieces = doc.pieces
    pairs = []
    for index, piece in enumerate(pieces):
        following = next((j for j in range(index + 1, len(pieces)) if pieces[j].role is not None), None)
        if (following is not None and piece.is_body and pieces[following].is_body and piece.lead is None
                and pieces[following].lead is None and ENDS_SENTENCE.search(piece.text.rstrip())):
            pairs.append((index, following))
    if not pairs:
        return False
    first, second = rng.choice(pairs)
    a, b = pieces[first], pieces[second]
    joined = with_units(a, [*a.units, *b.units], [*a.seps[:-1], " ", *b.seps[1:]])
    doc.pieces[first:second + 1] = [joined]
    return True


_WHITESPACE_OPS = {
    "nbsp": lambda doc, rng: _respace(doc, rng, "\u00a0"),
    "double_space": lambda doc, rng: _respace(doc, rng, "  "),
    "trailing": _trailing,
    "blank_lines": _blank_lines,
    "split_lines": _split_lines,
    "join_lines": _join_lines,
}
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
UNICODE_FORMS: tuple[Literal["NFD", "NFKC", "quotes"], ...] = ("NFD", "NFKC", "quotes")


def unicode_form(doc: Doc, rng: random.Random) -> bool:
    """Normalise every line: canonical (NFD), compatibility (NFKC), or typographic quotes to ASCII."""
    form = rng.choice(UNICODE_FORMS)

    def change(text: str) -> str:
        return text.translate(_QUOTES) if form == "quotes" else unicodedata.normalize(form, text)

    before = doc.text
    for index, piece in enumerate(doc.pieces):
        if piece.is_body:
            units = [replace(u, text=change(u.text)) for u in piece.units]
            doc.pieces[index] = with_units(piece, units, [change(s) for s in piece.seps])
        elif piece.role is not None:
            doc.pieces[index] = replace(piece, text=change(piece.text))
    if doc.text == before:
        return False
    doc.op("unicode", detail=form)
    return True


def inject_boilerplate(doc: Doc, rng: random.Random, material: Material) -> bool:
    usable = [b for b in material.blocks if not b.local or b.source == doc.story]
    done = False
    for block in rng.sample(usable, min(len(usable), rng.randint(1, 3))):
        at = _place(doc.pieces, rng, block.place)
        if at is None:
            continue
        if block.place == "top":
            doc.pieces[at:at] = [*block.pieces, BLANK] if _style_blank(doc.pieces) else list(block.pieces)
        else:
            _insert(doc.pieces, at, block.pieces)
        doc.op("inject_boilerplate", sum(1 for p in block.pieces if p.role), source=block.source,
               detail=",".join(p.role for p in block.pieces if p.role))
        done = True
    return done


def _place(pieces: Sequence[Piece], rng: random.Random, place: str) -> int | None:
    title = next(i for i, p in enumerate(pieces) if p.role == "title")
    if place == "top":
        return 0
    if place == "head":
        return title + 1
    if place == "middle":
        return _after_body(pieces, rng, last=False)
    return max(i for i, p in enumerate(pieces) if p.role is not None) + 1


def strip_boilerplate(doc: Doc, rng: random.Random) -> bool:
    runs: list[list[int]] = []
    for index, piece in enumerate(doc.pieces):
        if piece.role is None or piece.role in CONTENT_ROLES:
            continue
        previous = next((j for j in range(index - 1, -1, -1) if doc.pieces[j].role is not None), None)
        if runs and previous == runs[-1][-1]:
            runs[-1].append(index)
        else:
            runs.append([index])
    if not runs:
        return False
    chosen = {i for run in rng.sample(runs, min(len(runs), rng.randint(1, 2))) for i in run}
    doc.pieces = _prune(_drop([None if i in chosen else p for i, p in enumerate(doc.pieces)]))
    doc.op("strip_boilerplate", len(chosen))
    return True


def title_copy(doc: Doc, rng: random.Random) -> bool:
    """Repeat the headline, whole or cut at a word, as its own line after the title: role `other`."""
    index = next(i for i, p in enumerate(doc.pieces) if p.role == "title")
    title = doc.pieces[index]
    words = title.text.split()
    shortened = len(words) > 5 and rng.random() < 0.5
    text = " ".join(words[: rng.randint(4, len(words) - 1)]) if shortened else title.text.strip()
    _insert(doc.pieces, index + 1, [Piece("other", text, title.source, title.line_no, "title_copy")])
    doc.op("title_copy", detail="shortened" if shortened else "full")
    return True


def boilerplate(doc: Doc, rng: random.Random, material: Material) -> bool:
    change = rng.choice(("inject", "inject", "strip", "title_copy"))
    if change == "inject":
        return inject_boilerplate(doc, rng, material)
    return strip_boilerplate(doc, rng) if change == "strip" else title_copy(doc, rng)


# ---------------------------------------------------------------------------------------------------------
# Recipes: what a new document of a cluster is made of

# kind -> weight. "copy": white space, Unicode and boilerplate only; "edit": light content edits; "cut": most
# of the content removed; "splice": a passage put into another story.
RECIPES = {"copy": 0.3, "edit": 0.35, "cut": 0.15, "splice": 0.2}


def derive(docs: Sequence[Doc], rng: random.Random, material: Material, hosts: Sequence[str]) -> Doc:
    kinds = [k for k in RECIPES if k != "splice" or hosts]
    kind = rng.choices(kinds, [RECIPES[k] for k in kinds])[0]
    parent = 0 if rng.random() < 0.3 else rng.randrange(len(docs))
    if kind == "splice":
        new = splice(docs[parent], rng, material, rng.choice(hosts))
        if new is not None:
            new.parent = parent
            if rng.random() < 0.3:
                trim(new, rng, rng.uniform(0.05, 0.3))
            _decorate(new, rng, material, 0.3, 0.5)
            return new
        kind = "edit"
    doc = docs[parent].child(parent)
    if kind == "copy":
        # Content unchanged but for white space, or for punctuation where a Unicode form touches an ellipsis or
        # quotation marks (then the pair is a near-duplicate, not exact: the label says which).
        changed = whitespace(doc, rng) if rng.random() < 0.8 else False
        changed = (unicode_form(doc, rng) if rng.random() < 0.3 else False) or changed
        if rng.random() < 0.5 or not changed:
            boilerplate(doc, rng, material)
        return doc
    if kind == "edit":
        edits = rng.sample(("delete", "insert", "reorder", "trim"), rng.randint(1, 2))
        for edit in edits:
            if edit == "delete":
                delete_sentences(doc, rng, rng.uniform(0.05, 0.35))
            elif edit == "insert":
                insert_sentences(doc, rng, material)
            elif edit == "reorder":
                reorder_paragraphs(doc, rng)
            else:
                trim(doc, rng, rng.uniform(0.05, 0.3))
    else:
        (delete_sentences if rng.random() < 0.5 else trim)(doc, rng, rng.uniform(0.55, 0.9))
        if rng.random() < 0.3:
            insert_sentences(doc, rng, material)
    _decorate(doc, rng, material, 0.3, 0.4)
    return doc


def _decorate(doc: Doc, rng: random.Random, material: Material, spaces: float, lines: float) -> None:
    if rng.random() < spaces:
        whitespace(doc, rng)
    if rng.random() < 0.15:
        unicode_form(doc, rng)
    if rng.random() < lines:
        boilerplate(doc, rng, material)


# ---------------------------------------------------------------------------------------------------------
# Labels


@dataclass(frozen=True)
class Label:
    relation: str
    note: str
    a_sentences: tuple[int, int]
    b_sentences: tuple[int, int]
    shared_sentences: tuple[int, int]


def _count(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def label(a: Content, b: Content, a_story: str, b_story: str, material: Material) -> Label | None:
    """The relation of two documents by construction, or None when it would depend on how sentences are read.

    With ``k`` shared sentences and ``n_a``, ``n_b`` sentences in all (each counted once), the pair is a
    near-duplicate when ``2k > min(n_a, n_b)``, that is when ``2k - n_a > 0`` or ``2k - n_b > 0``. Each of
    ``2k - n_a = Σ_shared c - Σ_only_a c`` is least with shared units at ``lo`` and the others at ``hi``, and
    both are least at once; so the pair is a near-duplicate under every reading iff that least value is
    positive, and under none iff the greatest value is not.
    """
    shared = a.idents & b.idents
    low = sum(material.counts[i][0] for i in shared)
    high = sum(material.counts[i][1] for i in shared)
    counts = ((a.lo, a.hi), (b.lo, b.hi), (low, high))
    if a.exact == b.exact:
        return Label("exact", "The title and body text are the same after white-space normalisation.", *counts)
    least = max(low - (a.hi - high), low - (b.hi - high))
    most = max(high - (a.lo - low), high - (b.lo - low))
    tally = (f"{_count(low, high)} content sentences in common, of {_count(a.lo, a.hi)} and {_count(b.lo, b.hi)}; "
             "the shorter has ")
    if least > 0:
        return Label("near_duplicate", tally + "more than half of its sentences in the longer.", *counts)
    if most <= 0 and low >= 1:
        return Label("partial_overlap", tally + "at most half of its sentences in the longer.", *counts)
    if high == 0:
        if a_story == b_story:
            return Label("same_event", f"No content sentence in common; both report the story of {a_story}.", *counts)
        apart = APART.get(material.relation(a_story, b_story) or "")
        if apart:
            return Label(apart, f"No content sentence in common; they report the stories of {min(a_story, b_story)} "
                                f"and {max(a_story, b_story)}, which the gold pairs as {apart}.", *counts)
    return None


# ---------------------------------------------------------------------------------------------------------
# Clusters


@dataclass
class Group:
    """One synthetic cluster: its documents and the label of each pair ``(i, j)``, ``i < j``."""

    index: int
    docs: list[Doc]
    labels: dict[tuple[int, int], Label]

    @property
    def cluster_id(self) -> str:
        return f"synth-{self.index:07d}"

    def article_id(self, position: int) -> str:
        return f"{self.cluster_id}-{position:02d}"


def group_size(rng: random.Random, remaining: int) -> int:
    """Documents in the next cluster: drawn from GROUP_SIZES, fewer when fewer pairs remain to reach the total."""
    fits = (1 + math.isqrt(1 + 8 * remaining)) // 2  # the most documents whose pairs do not exceed `remaining`
    return min(rng.randint(*GROUP_SIZES), fits)


def make_group(material: Material, index: int, seed: int, remaining: int) -> Group:
    rng = random.Random(f"{seed}:{index}")
    size = group_size(rng, remaining)
    story = material.primaries[index % len(material.primaries)]
    hosts = _hosts(material, story, rng)
    docs = [material.stories[story].child(0)]
    docs[0].parent = None
    docs[0].op("copy", source=story)
    contents = [material.content(docs[0])]
    labels: dict[tuple[int, int], Label] = {}
    texts = {docs[0].text}
    while len(docs) < size:
        for _ in range(ATTEMPTS):
            doc = derive(docs, rng, material, hosts)
            found = _labels(doc, docs, contents, material, texts)
            if found is not None:
                break
        else:
            doc, found = _fallback(docs, contents, material, texts)
        for position, found_label in enumerate(found):
            labels[(position, len(docs))] = found_label
        docs.append(doc)
        contents.append(material.content(doc))
        texts.add(doc.text)
    return Group(index, docs, labels)


def _hosts(material: Material, story: str, rng: random.Random) -> list[str]:
    """Stories that may share a cluster with ``story``: pairwise, the gold gives them no shared passage."""
    candidates = [a for a in material.stories if a != story and material.apart(a, story)]
    rng.shuffle(candidates)
    chosen: list[str] = []
    for candidate in candidates:
        if all(material.apart(candidate, other) for other in chosen):
            chosen.append(candidate)
    return sorted(chosen)


def _labels(doc: Doc, docs: Sequence[Doc], contents: Sequence[Content], material: Material,
            texts: set[str]) -> list[Label] | None:
    if doc.text in texts or not doc.ops or _sentences(doc) < 2:
        return None
    content = material.content(doc)
    found = []
    for earlier, earlier_content in zip(docs, contents, strict=True):
        found_label = label(earlier_content, content, earlier.story, doc.story, material)
        if found_label is None:
            return None
        found.append(found_label)
    return found


def _fallback(docs: Sequence[Doc], contents: Sequence[Content], material: Material,
              texts: set[str]) -> tuple[Doc, list[Label]]:
    """A copy of the first document with white-space lines added at the end: exact to it, and like it to all."""
    doc = docs[0].child(0)
    extra = 1
    while True:
        doc.pieces = [*docs[0].pieces, *[Piece(None, "\u00a0")] * extra]
        if doc.text not in texts:
            break
        extra += 1
    doc.ops = [{"op": "whitespace", "detail": "blank_lines"}]
    found = _labels(doc, docs, contents, material, texts)
    assert found is not None  # a white-space copy of a document is labelled as that document is
    return doc, found


def generate(material: Material, pairs: int, seed: int = DEFAULT_SEED) -> Iterator[Group]:
    """Clusters until their pairs number exactly ``pairs`` (none when the material has no story)."""
    remaining, index = pairs, 0
    while remaining > 0 and material.primaries:
        group = make_group(material, index, seed, remaining)
        remaining -= len(group.labels)
        index += 1
        yield group


# ---------------------------------------------------------------------------------------------------------
# Records


def group_records(group: Group) -> dict[str, list[dict[str, Any]]]:
    """The released records of one cluster, in release order and schema key order."""
    articles, lines = [], []
    for position, doc in enumerate(group.docs):
        article_id = group.article_id(position)
        text = doc.text
        articles.append({"article_id": article_id, "cluster_id": group.cluster_id, "text": text,
                         "sha256": sha256_text(text), "story": doc.story,
                         "parent": None if doc.parent is None else group.article_id(doc.parent), "ops": doc.ops})
        start = 0
        for line_no, piece in enumerate(doc.pieces, start=1):
            if piece.role is not None:
                lines.append({"article_id": article_id, "line_no": line_no, "start": start,
                              "end": start + len(piece.text), "text": piece.text, "role": piece.role,
                              "is_boilerplate": piece.role not in CONTENT_ROLES, "source_article_id": piece.source,
                              "source_line_no": piece.line_no, "origin": piece.origin})
            start += len(piece.text) + 1
    pairs = [{"a": group.article_id(i), "b": group.article_id(j), "relation": found.relation, "note": found.note,
              "a_sentences": list(found.a_sentences), "b_sentences": list(found.b_sentences),
              "shared_sentences": list(found.shared_sentences)}
             for (i, j), found in sorted(group.labels.items())]
    return {"articles_synthetic": articles, "doc_pairs_synthetic": pairs, "boilerplate_synthetic": lines}


def synthetic_records(records: Mapping[str, Sequence[Mapping[str, Any]]], pairs: int = DEFAULT_PAIRS,
                      seed: int = DEFAULT_SEED) -> dict[str, list[dict[str, Any]]]:
    """The synthetic configs derived from released records, in memory (the build's default-size split)."""
    out: dict[str, list[dict[str, Any]]] = {config: [] for config in SYNTHETIC_CONFIGS.values()}
    for group in generate(material(records), pairs, seed):
        for config, found in group_records(group).items():
            out[config] += found
    return out
