"""The constant floor of document pairs: every pair of articles of a cluster is ``same_event``, with no score.

Articles gathered as one news story mostly report the same event without sharing text, so this is the
majority relation of such a cluster: what a system that looks at nothing scores.
"""

from __future__ import annotations

from itertools import combinations

from . import Articles, Predictions

RELATION = "same_event"


def predict(articles: Articles) -> Predictions:
    return [{"a": a, "b": b, "relation": RELATION} for a, b in combinations(sorted(articles), 2)
            if articles[a].cluster_id == articles[b].cluster_id]
