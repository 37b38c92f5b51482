"""Oracle: the quote rules of :mod:`.quote_rules`, with speakers found by the gold entity registry.

An oracle row of the leaderboard, never ranked. Spans, types and cues are those of the text-only system; the
speakers are not: every name and alias of the registry (article-specific descriptions included) is matched in
the text, longest first, and a record's ``speaker`` is the entity id of the mention nearest to the cue. A
pronoun takes the nearest entity mentioned before it (a person for he and she). Knowing the registry's names
is knowing part of the gold, so this row shows how much attribution gains from it; it is not a system that
could run on new text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from ..corpus import Article
from ..records import UNKNOWN_SPEAKER
from ..release.dataset import Release
from . import Articles, Predictions
from .quote_rules import PRONOUN, Mention, Speakers, quote_predictions


class RegistrySpeakers(Speakers):
    """Names of the registry found in an article, and pronouns resolved to the entity mentioned before them."""

    def __init__(self, article: Article, entities: dict[str, dict[str, Any]], names: re.Pattern[str] | None,
                 owners: dict[str, str]):
        self.kinds = {entity_id: record["kind"] for entity_id, record in entities.items()}
        found = [Mention(m.start(), m.end(), owners[m.group(0)]) for m in names.finditer(article.text)] if names \
            else []
        pronouns = [Mention(m.start(), m.end(), None, m.group(0).lower()) for m in PRONOUN.finditer(article.text)]
        self.names = found
        super().__init__(found + pronouns)

    def resolve(self, mention: Mention | None) -> str:
        if mention is None:
            return UNKNOWN_SPEAKER
        if mention.entity is not None:
            return mention.entity
        wanted = ("person",) if mention.pronoun in ("he", "she") else ("organization", "group", "place")
        earlier = self.names[:bisect_left([m.start for m in self.names], mention.start)]
        for candidate in reversed(earlier):
            if candidate.entity is not None and self.kinds.get(candidate.entity) in wanted:
                return candidate.entity
        return UNKNOWN_SPEAKER


def name_index(entities: dict[str, dict[str, Any]]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern for every unambiguous name and alias (longest first), and the entity each one names."""
    owners: dict[str, set[str]] = {}
    for entity_id, record in entities.items():
        for name in (record["name"], *record.get("aliases", ())):
            owners.setdefault(name, set()).add(entity_id)
    unique = {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1 and name.strip()}
    if not unique:
        return None, {}
    names = sorted(unique, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)"), unique


def predict(articles: Articles, release: Release) -> Predictions:
    entities = release.entities()
    names, owners = name_index(entities)
    return quote_predictions(articles, lambda article: RegistrySpeakers(article, entities, names, owners))
