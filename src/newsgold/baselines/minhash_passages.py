"""datasketch MinHash, passages: sentences whose word 3-shingles overlap enough are copies.

Candidates come from MinHash LSH (the way MinHash deduplication scales), and each is confirmed on the
estimated Jaccard similarity; runs of copied sentences then form the passages (:mod:`.copies`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from . import Articles, Predictions
from .copies import Sentence, predict_passages

NUM_PERM = 128
SEED = 1  # datasketch's default; fixed here so that the permutations never change under us
SENTENCE_SHINGLE = 3  # words: short enough that a near-verbatim sentence with one changed word still shares most
SENTENCE_THRESHOLD = 0.5  # estimated Jaccard: at least half of the two sentences' shingles shared


@lru_cache(maxsize=4096)
def signature(tokens: tuple[str, ...], size: int) -> MinHash:
    """The MinHash of the set of ``size``-word shingles (one shingle of all words when there are fewer)."""
    shingles = {" ".join(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    for shingle in sorted(shingles):
        minhash.update(shingle.encode("utf-8"))
    return minhash


def copied_pairs(candidates: Sequence[Sentence]) -> Iterator[tuple[int, int]]:
    signatures = {s.index: signature(tuple(s.words), SENTENCE_SHINGLE) for s in candidates}
    index = MinHashLSH(threshold=SENTENCE_THRESHOLD, num_perm=NUM_PERM)
    for key, minhash in signatures.items():
        index.insert(str(key), minhash)
    for key, minhash in signatures.items():
        for found in sorted(int(k) for k in index.query(minhash)):
            if found > key and minhash.jaccard(signatures[found]) >= SENTENCE_THRESHOLD:
                yield key, found


def predict(articles: Articles) -> Predictions:
    return predict_passages(articles, copied_pairs)
