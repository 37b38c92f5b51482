"""Content edits: sentence deletion and insertion, paragraph reordering, trimming and splicing.

They make near duplicates and partial overlaps: each changes a document in place, records itself, and says
whether it applied (a splice makes a new document).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .documents import (
    BLANK,
    Doc,
    Material,
    Piece,
    after_body,
    blank_style,
    body_piece,
    drop_pieces,
    insert_pieces,
    prune_pieces,
    with_units,
)

# Gold relations under which an article lends sentences to another one's documents (the same news story).
DONOR_RELATIONS = ("exact", "near_duplicate", "partial_overlap", "same_event")


# ---------------------------------------------------------------------------------------------------------
# Operations: each changes a document in place, records itself, and says whether it applied


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
    doc.pieces = prune_pieces(drop_pieces(pieces))


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


def insert_sentences(doc: Doc, rng: random.Random, material: Material) -> bool:
    lenders = [a for a in material.donors if a != doc.story and material.donors[a]
               and material.relation(a, doc.story) in DONOR_RELATIONS]
    at = after_body(doc.pieces, rng)
    if not lenders or at is None:
        return False
    lender = rng.choice(lenders)
    run = rng.choice(material.donors[lender])
    count = rng.randint(1, min(3, len(run.units)))
    start = rng.randrange(len(run.units) - count + 1)
    piece = body_piece(run.units[start:start + count], ["", *run.seps[start:start + count - 1], ""], source=lender,
                       line_no=run.line_no, origin="insert_sentences")
    insert_pieces(doc.pieces, at, [piece])
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
    doc.pieces = prune_pieces(out)
    doc.op("reorder_paragraphs", sum(1 for i, j in enumerate(order) if i != j))
    return True


def splice(doc: Doc, rng: random.Random, material: Material, host: str) -> Doc | None:
    """A new document: the host story's content with a run of the sentences of ``doc`` spliced into it."""
    # A possible sub-heading (a unit that may count no sentence) is no passage.
    slots = [(i, j) for i, j in _slots(doc.pieces) if doc.pieces[i].units[j].lo >= 1]
    story = material.stories[host]
    at = after_body(story.pieces, rng)
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
    if blank_style(new.pieces) and len(passage) > 1:
        passage = [p for piece in passage for p in (BLANK, piece)][1:]
    insert_pieces(new.pieces, at, passage)
    new.pieces = prune_pieces(new.pieces)
    new.op("splice", count, source=host)
    return new
