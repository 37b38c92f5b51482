"""What the duplicate detectors share: sentences, runs of copied sentences, passage clusters, pair relations.

A detector only says which two sentences are copies of each other (MinHash, rapidfuzz, chance). From those
pairs this module builds what the scorers read, the same way for every detector so that the detectors alone
make the difference:

- passages: consecutive copied sentences form one run (a copied paragraph is one passage, not one per
  sentence); runs whose spans overlap join one cluster;
- document pairs: a relation from the texts' similarity and the passages the pair shares.

Detectors see every non-empty line, boilerplate included: they do not know the gold's content lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from ..sentences import units_of
from . import Articles, Predictions

WORD = re.compile(r"\w+")
# Shorter units are bylines, credits and "- Advertisement -" lines, which every site repeats; no detector is
# asked about them. They still separate runs, as any sentence without a copy does.
MIN_WORDS = 4


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the sentence list of all articles; consecutive sentences of an article differ by 1
    cluster_id: str
    article_id: str
    start: int
    end: int
    text: str

    @property
    def words(self) -> list[str]:
        return words(self.text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens in compatibility form, so that quotation-mark and width variants compare equal."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def sentences(articles: Articles) -> list[Sentence]:
    """Every sentence of every non-empty line, articles in id order, sentences in text order.

    Sentences are the units of :func:`newsgold.sentences.units_of`, cut where a sentence certainly ends.
    """
    out: list[Sentence] = []
    for article_id in sorted(articles):
        article = articles[article_id]
        for line in article.content_lines:
            for start, end, _, _ in units_of(line.text):
                out.append(Sentence(len(out), article.cluster_id, article_id, line.start + start, line.start + end,
                                    line.text[start:end]))
    return out


def candidates(all_sentences: list[Sentence]) -> list[Sentence]:
    """The sentences long enough to be compared (see ``MIN_WORDS``)."""
    return [s for s in all_sentences if len(s.words) >= MIN_WORDS]


# A detector: given the sentences to compare, the pairs of their indices (Sentence.index) it takes for copies.
Detector = Callable[[list[Sentence]], Iterable[tuple[int, int]]]


def runs(pairs: Iterable[tuple[int, int]], all_sentences: list[Sentence]) -> list[tuple[range, range]]:
    """Maximal runs ``(i..i+k, j..j+k)`` of copied pairs whose sentences follow each other on both sides.

    Pairs are taken in order, so a run is always entered at its first pair. A run never lets its first side
    reach into its second: a paragraph repeated right after itself gives two members, not one overlapping itself.
    """
    copied = set(pairs)
    taken: set[tuple[int, int]] = set()
    out = []
    for i, j in sorted(copied):
        if (i, j) in taken:
            continue
        length = 1
        while (i + length < j and (i + length, j + length) in copied and (i + length, j + length) not in taken
               and _same_article(all_sentences, i + length - 1, i + length)
               and _same_article(all_sentences, j + length - 1, j + length)):
            length += 1
        taken.update((i + k, j + k) for k in range(length))
        out.append((range(i, i + length), range(j, j + length)))
    return out


def _same_article(all_sentences: list[Sentence], i: int, j: int) -> bool:
    return j < len(all_sentences) and all_sentences[i].article_id == all_sentences[j].article_id


def passage_clusters(pairs: Iterable[tuple[int, int]], all_sentences: list[Sentence]) -> Predictions:
    """Passage predictions ``{cluster: [{article_id, start, end}, ...]}`` from copied sentence pairs.

    Each run gives two member spans; spans of one article that overlap are one member (their union), and
    members linked by a run or an overlap are one cluster. Sorted, so that the file never depends on set order.
    """
    spans: list[tuple[str, int, int]] = []
    parent: list[int] = []

    def add(side: range) -> int:
        first, last = all_sentences[side[0]], all_sentences[side[-1]]
        spans.append((first.article_id, first.start, last.end))
        parent.append(len(parent))
        return len(spans) - 1

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        parent[max(find(x), find(y))] = min(find(x), find(y))

    for left, right in runs(pairs, all_sentences):
        union(add(left), add(right))
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, (article_id, _, _) in enumerate(spans):
        by_article[article_id].append(index)
    for indices in by_article.values():
        indices.sort(key=lambda k: spans[k][1:])
        reach, furthest = -1, -1  # the end reached so far, and the span that reaches it
        for index in indices:
            if spans[index][1] < reach:
                union(furthest, index)
            if spans[index][2] > reach:
                reach, furthest = spans[index][2], index
    groups: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for index, span in enumerate(spans):
        groups[find(index)].append(span)
    clusters = []
    for members in groups.values():
        merged = _merge_overlaps(members)
        if len(merged) >= 2:
            clusters.append([{"article_id": a, "start": s, "end": e} for a, s, e in merged])
    clusters.sort(key=lambda cluster: [(m["article_id"], m["start"], m["end"]) for m in cluster])
    return [{"cluster": cluster} for cluster in clusters]


def _merge_overlaps(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    merged: list[tuple[str, int, int]] = []
    for article_id, start, end in sorted(spans):
        if merged and merged[-1][0] == article_id and start < merged[-1][2]:
            merged[-1] = (article_id, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((article_id, start, end))
    return merged


def detect(articles: Articles, detector: Detector) -> tuple[list[Sentence], list[tuple[int, int]]]:
    """All sentences, and the detector's copied pairs among those long enough to compare (sorted).

    Passages are annotated inside a cluster only, so the detector is asked about one cluster at a time (a
    detector judges each pair on its two sentences alone, so this changes no pair, only the work).
    """
    all_sentences = sentences(articles)
    by_cluster: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in candidates(all_sentences):
        by_cluster[sentence.cluster_id].append(sentence)
    pairs = sorted({(min(i, j), max(i, j)) for cluster in sorted(by_cluster)
                    for i, j in detector(by_cluster[cluster]) if i != j})
    return all_sentences, pairs


def predict_passages(articles: Articles, detector: Detector) -> Predictions:
    all_sentences, pairs = detect(articles, detector)
    return passage_clusters(pairs, all_sentences)


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on a detector's document similarity, for the relation of a pair."""

    near_duplicate: float  # at least this similar: the same story text
    same_event: float  # at least this similar in vocabulary, with no shared passage: the same story


def shared_passages(passages: Predictions) -> set[tuple[str, str]]:
    """The article pairs ``(a, b)``, ``a < b``, that some predicted passage cluster has members in."""
    shared: set[tuple[str, str]] = set()
    for record in passages:
        ids = sorted({member["article_id"] for member in record["cluster"]})
        shared.update(combinations(ids, 2))
    return shared


def pair_predictions(articles: Articles, passages: Predictions, similarity: Callable[[str, str], float],
                     topic: Callable[[str, str], float], thresholds: Thresholds) -> Predictions:
    """One ``{a, b, relation, score}`` per unordered pair of articles of a cluster, ``a < b``, sorted.

    The relation follows the guideline's steps in order, with the detector's measures standing in for the
    annotator's reading: ``exact`` when the texts are equal up to white space; ``near_duplicate`` when
    ``similarity`` reaches its threshold; ``partial_overlap`` when the pair shares a predicted passage;
    ``same_event`` when ``topic`` (similarity of vocabulary) reaches its threshold; else ``unrelated``. The
    score is ``similarity``.
    """
    shared = shared_passages(passages)
    records = []
    for a, b in combinations(sorted(articles), 2):
        first, second = articles[a], articles[b]
        if first.cluster_id != second.cluster_id:
            continue  # pairs are annotated inside a cluster only
        score = similarity(first.text, second.text)
        if " ".join(first.text.split()) == " ".join(second.text.split()):
            relation = "exact"
        elif score >= thresholds.near_duplicate:
            relation = "near_duplicate"
        elif (a, b) in shared:
            relation = "partial_overlap"
        elif topic(first.text, second.text) >= thresholds.same_event:
            relation = "same_event"
        else:
            relation = "unrelated"
        records.append({"a": a, "b": b, "relation": relation, "score": round(score, 6)})
    return records
