"""Surface changes that keep a document an exact copy: white space and Unicode forms.

Each changes a document in place, records itself, and says whether it applied.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from typing import Literal

from ..records import CONTENT_ROLES
from ..sentences import ENDS_SENTENCE
from .documents import BLANK, Doc, Piece, blank_style, with_units

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
    blank = blank_style(doc.pieces)
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
