"""Oracle: event mentions from the events guideline's trigger table; mentions with the same lemma and type corefer.

An oracle row of the leaderboard, never ranked: its lexicon copies the table of typical triggers in
``annotation/guidelines/events.md``, which was written from this release's articles (it holds almost every
gold trigger form and entries as narrow as one article's wording). It shows what a lexicon that knows the
gold's vocabulary reaches; :mod:`.event_triggers` is the text-only system. The lexicon is given in inflected
forms. Every occurrence outside another trigger is a mention (in any line: the system does not know which
lines are content), and all mentions of one lemma, in every article, form one event: the classic
same-head-lemma baseline of cross-document event coreference.
"""

from __future__ import annotations

import re

from ..release.dataset import Release
from . import Articles, Predictions

# type -> lemma -> the forms that name it (matched case-insensitively, as whole words)
LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "meeting": {
        "meet": ("meet", "meets", "met", "meeting", "meetings"),
        "talk": ("talks",),
        "discussion": ("discussion", "discussions"),
        "dinner": ("dinner",),
        "face-to-face": ("face-to-face", "face to face"),
        "sit down": ("sat down", "sit down", "sits down"),
        "engagement": ("engagement",),
    },
    "travel": {
        "visit": ("visit", "visits", "visited", "visiting"),
        "trip": ("trip", "trips"),
        "travel": ("travel", "travels", "traveled", "travelled", "traveling", "travelling"),
    },
    "postponement": {
        "postpone": ("postpone", "postponed", "postponement"),
        "cancel": ("cancel", "cancelled", "canceled", "cancellation"),
        "delay": ("delayed",),
    },
    "military_incident": {
        "shootdown": ("shootdown",),
        "shoot down": ("shot down", "shoot down"),
        "incident": ("incident",),
        "war": ("war",),
        "invasion": ("invasion",),
    },
    "agreement": {
        "agree": ("agree", "agreed", "agreement", "agreements"),
        "commitment": ("commitment", "commitments"),
        "understanding": ("understandings",),
        "deal": ("deal",),
        "pact": ("pact",),
        "partnership": ("partnership",),
    },
    "legal_action": {
        "raid": ("raid", "raided", "raids"),
        "sanction": ("sanctions", "sanctioned"),
        "arrest": ("arrest", "arrested"),
        "detain": ("detained",),
    },
    "summit": {
        "summit": ("summit",),
        "symposium": ("symposium",),
        "conference": ("conference",),
        "g20": ("g20",),
    },
    "other": {
        "take office": ("took office", "take office"),
        "re-establish": ("re-established",),
        "sever": ("severed",),
    },
}
FORMS: dict[str, tuple[str, str]] = {
    form: (event_type, lemma) for event_type, lemmas in LEXICON.items() for lemma, forms in lemmas.items()
    for form in forms
}
# Longest forms first, so that "sat down" wins over a shorter trigger at the same place; word boundaries so
# that "met" never matches inside "metal". Multi-word forms allow any white space but a line break between their words.
TRIGGER = re.compile(
    r"(?<![\w-])(" + "|".join(r"[^\S\n]+".join(re.escape(word) for word in form.split(" "))
                              for form in sorted(FORMS, key=lambda f: (-len(f), f))) + r")(?![\w-])",
    re.IGNORECASE)


def event_id(event_type: str, lemma: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{event_type}-{lemma}".lower()).strip("-")


def predict(articles: Articles, release: Release) -> Predictions:
    """The mentions in ``articles``; ``release`` is not read: the gold this oracle knows is its lexicon."""
    records = []
    for article_id in sorted(articles):
        for match in TRIGGER.finditer(articles[article_id].text):
            event_type, lemma = FORMS[" ".join(match.group(1).lower().split())]
            records.append({"article_id": article_id, "start": match.start(1), "end": match.end(1),
                            "event": event_id(event_type, lemma), "type": event_type})
    return records
