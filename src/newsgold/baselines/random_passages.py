"""The floor of passages: for each pair of articles of a cluster, a coin flip (seeded) decides whether one
sentence drawn from each is predicted as a copied passage.

A sentence is drawn at most once, since a span belongs to at most one cluster.
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import combinations

from . import Articles, Predictions
from .copies import Sentence, candidates, sentences

SEED = 20230619


def predict(articles: Articles) -> Predictions:
    rng = random.Random(SEED)
    unused: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in candidates(sentences(articles)):
        unused[sentence.article_id].append(sentence)
    records = []
    for a, b in combinations(sorted(unused), 2):
        if articles[a].cluster_id != articles[b].cluster_id or rng.random() < 0.5:
            continue
        if not unused[a] or not unused[b]:
            continue  # every sentence of one of them is in a cluster already
        drawn = [unused[a].pop(rng.randrange(len(unused[a]))), unused[b].pop(rng.randrange(len(unused[b])))]
        records.append({"cluster": [{"article_id": s.article_id, "start": s.start, "end": s.end} for s in drawn]})
    records.sort(key=lambda record: [(m["article_id"], m["start"], m["end"]) for m in record["cluster"]])
    return records
