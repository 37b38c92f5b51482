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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..corpus import sha256_text
from ..records import CONTENT_ROLES, SYNTHETIC_CONFIGS
from . import DEFAULT_PAIRS, DEFAULT_SEED
from .boilerplate import boilerplate
from .content import delete_sentences, insert_sentences, reorder_paragraphs, splice, trim
from .documents import APART, Content, Doc, Material, Piece, material, sentence_count
from .surface import unicode_form, whitespace

GROUP_SIZES = (12, 32)  # documents per synthetic cluster, drawn uniformly
ATTEMPTS = 40  # draws of one document before falling back to a white-space copy


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
    if doc.text in texts or not doc.ops or sentence_count(doc) < 2:
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
