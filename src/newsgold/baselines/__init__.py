"""Reference systems: the tools people use, run against the gold so that every score has a scale.

Each baseline is one small module with one entry point, ``predict(release) -> list[dict]``, whose records are
the prediction format of one scorer (``schema/predictions/<name>.schema.json``). ``BASELINES`` lists them; a
system may have several (the line and the extracted-text form of a boilerplate extractor, the pairs and
passages of a duplicate detector). Every baseline is deterministic: fixed seeds, sorted output.

``newsgold baselines`` (:mod:`newsgold.baselines.run`) runs them all, writes
``baselines/predictions/<system>/<name>.jsonl``, scores them and writes the leaderboard.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dataset import Release
from ..errors import InputError, Problem

Predictions = list[dict[str, Any]]


@dataclass(frozen=True)
class Baseline:
    system: str  # the folder under baselines/predictions/ and the row of the leaderboard
    name: str  # the scorer and prediction file: <name>.jsonl (see newsgold.scoring.SCORERS)
    module: str  # the module whose predict(release) makes the records
    library: str | None = None  # the distribution it runs, whose version the leaderboard records
    description: str = ""

    def predict(self, release: Release) -> Predictions:
        # Imported when run, so that listing the baselines needs none of their libraries.
        try:
            module = importlib.import_module(self.module)
        except ImportError as error:
            hint = "install the reference systems with `pip install 'newsgold[baselines]'`"
            raise InputError([Problem("<environment>", 0, self.system, f"{error}; {hint}")]) from None
        entry: Callable[[Release], Predictions] = module.predict
        return entry(release)


def _baseline(system: str, name: str, module: str, library: str | None, description: str) -> Baseline:
    return Baseline(system, name, f"{__name__}.{module}", library, description)


BASELINES: tuple[Baseline, ...] = (
    _baseline("trafilatura", "boilerplate", "trafilatura_lines", "trafilatura",
              "trafilatura.extract on the lines as <p> paragraphs; kept paragraphs mapped back to lines"),
    _baseline("trafilatura", "boilerplate_text", "trafilatura_text", "trafilatura",
              "trafilatura.extract on the lines as <p> paragraphs, its text as is"),
    _baseline("justext", "boilerplate", "justext_lines", "jusText",
              "jusText (English stoplist, default thresholds) on the lines as <p> paragraphs"),
    _baseline("justext", "boilerplate_text", "justext_text", "jusText",
              "jusText's good paragraphs joined by newlines"),
    _baseline("all-content", "boilerplate", "all_content_lines", None, "floor: every line is content"),
    _baseline("all-content", "boilerplate_text", "all_content_text", None, "floor: the whole article is the text"),
    _baseline("minhash", "doc_pairs", "minhash_pairs", "datasketch",
              "MinHash Jaccard of word 5-shingles as score; relation from thresholds and shared passages"),
    _baseline("minhash", "passages", "minhash_passages", "datasketch",
              "MinHash LSH over sentences (word 3-shingles), runs of consecutive copies joined"),
    _baseline("rapidfuzz", "doc_pairs", "rapidfuzz_pairs", "rapidfuzz",
              "rapidfuzz ratio of the texts as score; relation from thresholds and shared passages"),
    _baseline("rapidfuzz", "passages", "rapidfuzz_passages", "rapidfuzz",
              "rapidfuzz ratio between sentences, runs of consecutive copies joined"),
    _baseline("random", "doc_pairs", "random_pairs", None, "floor: a seeded random relation and score"),
    _baseline("random", "passages", "random_passages", None, "floor: seeded random pairs of sentences"),
    _baseline("quote-rules", "quotes", "quote_rules", None,
              "quotation marks and cue verbs; speaker the nearest name or pronoun, names resolved by alias"),
    _baseline("event-lexicon", "events", "event_lexicon", None,
              "trigger lexicon; mentions with the same lemma and type corefer"),
)
SYSTEMS: tuple[str, ...] = tuple(dict.fromkeys(b.system for b in BASELINES))


def baselines(systems: list[str] | None = None) -> list[Baseline]:
    """The registered baselines, all or those of the named systems; ValueError for an unknown system."""
    if not systems:
        return list(BASELINES)
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    return [b for b in BASELINES if b.system in systems]
