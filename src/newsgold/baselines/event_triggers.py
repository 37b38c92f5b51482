"""Event mentions from a general inventory of English event triggers; mentions of the same lemma corefer.

The inventory (``LEXICON``) was written from the definitions of the event types in the annotation scheme (v1)
alone ("people meet or hold talks", "someone travels or visits", "a planned
action delayed or cancelled", "shootdown, surveillance, military activity", "a deal, pact or commitment",
"raids, detentions, sanctions, export controls", "a multilateral gathering") and general English: the verbs
and nouns that name such events in any news text, in their base forms. It was not drawn from the articles of
any release or from the annotation guidelines, and it is not tuned on the gold.

A word is a trigger when its lemma is in the inventory. The lemma comes from suffix stripping (:func:`lemma`):
the word itself, a short table of irregular English forms, then inflectional and derivational endings taken
off (``-s``, ``-es``, ``-ies``, ``-ed``, ``-ing``, ``-ment``, ``-ion``, ``-ation``, ``-sion``, ``-al``,
``-ure``, with a silent ``e`` put back and a doubled consonant undone), at most two endings deep, the first
candidate found in the inventory winning. Two-word entries (phrasal verbs, compounds) are tried before one
word. Every line is read: the system does not know which lines are content.

Coreference is the classic same-lemma baseline of cross-document event coreference: every mention of one
lemma, in every article, is one event (``<type>-<lemma>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import Articles, Predictions

# type -> lemmas (verbs in the infinitive, nouns in the singular), general English, from the scheme's types.
LEXICON: dict[str, tuple[str, ...]] = {
    "meeting": ("meet", "talk", "negotiate", "discuss", "confer", "consult", "dialogue", "conversation"),
    "travel": ("visit", "travel", "trip", "tour", "journey", "voyage", "fly", "arrive", "depart"),
    "postponement": ("postpone", "delay", "cancel", "defer", "reschedule", "call off", "scrap", "shelve",
                     "suspend"),
    "military_incident": ("shoot down", "shootdown", "attack", "airstrike", "bomb", "clash", "invade",
                          "incursion", "intrude", "war", "battle", "skirmish", "ambush", "surveillance", "spy",
                          "intercept", "drill"),
    "agreement": ("agree", "deal", "pact", "treaty", "accord", "commit", "pledge", "consensus", "memorandum",
                  "arrange", "ceasefire", "truce", "settle", "compromise"),
    "legal_action": ("raid", "detain", "arrest", "sanction", "ban", "restrict", "export control", "embargo",
                     "blacklist", "indict", "prosecute", "sue", "lawsuit", "convict", "seize", "confiscate",
                     "investigate", "probe", "jail", "imprison", "deport", "expel"),
    "summit": ("summit", "conference", "forum", "gathering"),
    "other": ("elect", "vote", "resign", "appoint", "inaugurate", "protest", "riot", "explode", "crash"),
}
TYPES: dict[str, str] = {lemma: event_type for event_type, lemmas in LEXICON.items() for lemma in lemmas}
# Irregular forms of general English whose lemma no ending rule reaches.
IRREGULAR: dict[str, str] = {"met": "meet", "flew": "fly", "flown": "fly", "shot": "shoot", "dealt": "deal",
                             "fought": "fight", "detention": "detain", "seizure": "seize", "arrival": "arrive",
                             "departure": "depart"}
# (ending, replacements): a word ending so may be its stem plus one of the replacements.
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)),
    ("ed", ("", "e")), ("ing", ("", "e")), ("ment", ("",)),
    ("ation", ("", "e")), ("sion", ("de", "d")), ("ion", ("", "e")), ("al", ("e", "")), ("ure", ("", "e")),
)
DEPTH = 2  # endings taken off at most: "meetings" -> "meeting" -> "meet"
WORD = re.compile(r"[^\W\d_]+")


def _stems(word: str, whole: bool) -> Iterator[str]:
    """The candidate stems of ``word`` with one ending taken off, in rule order; the irregular form first when
    ``word`` is a whole word (never a stem: "metal" is not "met" plus "-al")."""
    if whole and word in IRREGULAR:
        yield IRREGULAR[word]
    for ending, replacements in ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[:-len(ending)]
            for replacement in replacements:
                yield stem + replacement
            if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                yield stem[:-1]  # banned -> bann -> ban; cancelled -> cancell -> cancel


def lemma(word: str, known: dict[str, str] = TYPES) -> str | None:
    """The first form of ``word`` (lower case), breadth first over at most ``DEPTH`` endings, that is in ``known``."""
    level = [word.lower()]
    for depth in range(DEPTH + 1):
        found = next((form for form in level if form in known), None)
        if found is not None:
            return found
        level = [stem for form in level for stem in _stems(form, whole=depth == 0)]
    return None


def triggers(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, lemma)`` of each trigger of ``text``, in order; a two-word entry wins over its first word."""
    words = list(WORD.finditer(text))
    index = 0
    while index < len(words):
        word = words[index]
        if index + 1 < len(words):
            following = words[index + 1]
            between = text[word.end():following.start()]
            if between.isspace() and "\n" not in between:
                phrase = _phrase(word.group(), following.group())
                if phrase is not None:
                    yield word.start(), following.end(), phrase
                    index += 2
                    continue
        found = lemma(word.group())
        if found is not None and " " not in found:
            yield word.start(), word.end(), found
        index += 1


def _phrase(first: str, second: str) -> str | None:
    """The two-word entry the words inflect, if any: the first word's lemma and the second's, each tried."""
    for head in _forms(first):
        for tail in _forms(second):
            if f"{head} {tail}" in TYPES:
                return f"{head} {tail}"
    return None


def _forms(word: str) -> list[str]:
    level, out = [word.lower()], [word.lower()]
    for depth in range(DEPTH):
        level = [stem for form in level for stem in _stems(form, whole=depth == 0)]
        out += level
    return out


def event_id(event_type: str, found: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{event_type}-{found}").strip("-")


def predict(articles: Articles) -> Predictions:
    records = []
    for article_id in sorted(articles):
        for start, end, found in triggers(articles[article_id].text):
            event_type = TYPES[found]
            records.append({"article_id": article_id, "start": start, "end": end,
                            "event": event_id(event_type, found), "type": event_type})
    return records
