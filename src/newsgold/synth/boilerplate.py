"""Boilerplate injection and removal: lines of the gold inventory placed where they stood in their own
article (with their gold roles), boilerplate stripped, the title repeated.

Each changes a document in place, records itself, and says whether it applied.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..records import CONTENT_ROLES
from .documents import BLANK, Doc, Material, Piece, after_body, blank_style, drop_pieces, insert_pieces, prune_pieces


def inject_boilerplate(doc: Doc, rng: random.Random, material: Material) -> bool:
    usable = [b for b in material.blocks if not b.local or b.source == doc.story]
    done = False
    for block in rng.sample(usable, min(len(usable), rng.randint(1, 3))):
        at = _place(doc.pieces, rng, block.place)
        if at is None:
            continue
        if block.place == "top":
            doc.pieces[at:at] = [*block.pieces, BLANK] if blank_style(doc.pieces) else list(block.pieces)
        else:
            insert_pieces(doc.pieces, at, block.pieces)
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
        return after_body(pieces, rng, last=False)
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
    doc.pieces = prune_pieces(drop_pieces([None if i in chosen else p for i, p in enumerate(doc.pieces)]))
    doc.op("strip_boilerplate", len(chosen))
    return True


def title_copy(doc: Doc, rng: random.Random) -> bool:
    """Repeat the headline, whole or cut at a word, as its own line after the title: role `other`."""
    index = next(i for i, p in enumerate(doc.pieces) if p.role == "title")
    title = doc.pieces[index]
    words = title.text.split()
    shortened = len(words) > 5 and rng.random() < 0.5
    text = " ".join(words[: rng.randint(4, len(words) - 1)]) if shortened else title.text.strip()
    insert_pieces(doc.pieces, index + 1, [Piece("other", text, title.source, title.line_no, "title_copy")])
    doc.op("title_copy", detail="shortened" if shortened else "full")
    return True


def boilerplate(doc: Doc, rng: random.Random, material: Material) -> bool:
    change = rng.choice(("inject", "inject", "strip", "title_copy"))
    if change == "inject":
        return inject_boilerplate(doc, rng, material)
    return strip_boilerplate(doc, rng) if change == "strip" else title_copy(doc, rng)
