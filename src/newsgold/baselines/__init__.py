"""Reference systems: the tools people use, run against the gold so that every score has a scale.

The rule every reference system follows (docs/baselines.md): it reads the raw article text and public
resources fixed in advance, never the gold, the registries, the guidelines' examples or constants chosen from
the test sentences. Such a system has ``inputs = "text"``. A system that reads any gold has ``inputs =
"oracle"``: the leaderboard lists it apart, as a diagnostic, and never ranks it with the others. A supervised
system learns from gold labels, but only of articles other than the one it predicts (cross-validation by
article on the leaderboard), and its row says so.

Each baseline is one small module with one entry point whose records are the prediction format of one scorer
(``schema/predictions/<name>.schema.json``):

- a text system: ``predict(articles: dict[str, Article]) -> list[dict]``;
- an oracle or supervised system: ``predict(articles, release)``, the release being the gold it reads (an
  oracle) or learns from (a supervised system, which never learns from an article it predicts).

``BASELINES`` lists them; a system may have several (the line and the extracted-text form of a boilerplate
extractor, the pairs and passages of a duplicate detector). Every baseline is deterministic: fixed seeds,
sorted output. ``newsgold baselines`` (:mod:`newsgold.baselines.run`) runs them all on the release and on its
synthetic split, and ``newsgold predict`` runs one on a folder of plain-text articles, through the same
:meth:`Baseline.predict`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..corpus import Article
from ..errors import InputError, Problem
from .leaderboard import ORACLE, TEXT

if TYPE_CHECKING:
    from ..release.dataset import Release

Predictions = list[dict[str, Any]]
Articles = Mapping[str, Article]

INPUTS = (TEXT, ORACLE)  # reads the raw text and public resources fixed in advance; reads some gold
# The prediction formats scored on the synthetic split too (the only layers it has gold for).
SYNTHETIC_FORMATS = ("boilerplate", "doc_pairs")


@dataclass(frozen=True)
class System:
    """One reference system: what it reads and what it was developed on, as the leaderboard states them."""

    name: str  # the folder under baselines/predictions/ and the row of the leaderboard
    inputs: str  # TEXT or ORACLE
    reads: str  # what it reads, in a few words
    developed_on: str  # what its rules, thresholds or training data came from
    library: str | None = None  # the distribution it runs, whose version the leaderboard records
    supervised: bool = False  # learns from gold labels of other articles (cross-validated on the board)
    synthetic: bool = True  # also scored on the synthetic split, for the formats it has gold for
    floor: bool = False  # reads nothing or draws at random: the scale every other row is read against


@dataclass(frozen=True)
class Baseline:
    system: System
    name: str  # the scorer and prediction file: <name>.jsonl (see newsgold.scoring.SCORERS)
    module: str  # the module whose predict(...) makes the records
    description: str = ""

    @property
    def inputs(self) -> str:
        return self.system.inputs

    @property
    def needs_release(self) -> bool:
        """Whether it reads a release besides the articles: an oracle reads its gold, a supervised system learns."""
        return self.system.inputs == ORACLE or self.system.supervised

    @property
    def synthetic(self) -> bool:
        """Whether it is also scored on the synthetic split."""
        return self.system.synthetic and self.name in SYNTHETIC_FORMATS

    def predict(self, articles: Articles, release: Release | None = None) -> Predictions:
        """The records for ``articles``; ``release`` is read only by an oracle or supervised system."""
        # Imported when run, so that listing the baselines needs none of their libraries.
        try:
            module = importlib.import_module(self.module)
        except ImportError as error:
            hint = "install the reference systems with `pip install 'newsgold[baselines]'`"
            raise InputError([Problem("<environment>", 0, self.system.name, f"{error}; {hint}")]) from None
        if not self.needs_release:
            text_entry: Callable[[Articles], Predictions] = module.predict
            return text_entry(articles)
        if release is None:
            raise ValueError(f"{self.system.name} reads a release besides the articles; none was given")
        entry: Callable[[Articles, Release], Predictions] = module.predict
        return entry(articles, release)


def _system(name: str, inputs: str, reads: str, developed_on: str, library: str | None = None, *,
            supervised: bool = False, synthetic: bool = True, floor: bool = False) -> System:
    return System(name, inputs, reads, developed_on, library, supervised, synthetic, floor)


_RAW_LINES = "the raw text, every non-empty line as one <p>"
_DEFAULTS = "its authors' own web corpora; run here with its published defaults"
_NOT_TUNED = "not tuned on this release"
TRAFILATURA = _system("trafilatura", TEXT, _RAW_LINES, _DEFAULTS, "trafilatura")
JUSTEXT = _system("justext", TEXT, _RAW_LINES, _DEFAULTS, "jusText")
LENGTH = _system("length-70", TEXT, "the length of each raw line",
                 f"jusText's published default `length_low` = 70 characters; {_NOT_TUNED}")
LINE_CLASSIFIER = _system(
    "line-classifier", TEXT, "the raw text; supervised: trained on the gold lines of the other articles",
    "features written from general web-page cues and hyper-parameters fixed before training; scored by "
    "leave-one-article-out cross-validation on the real split", "scikit-learn", supervised=True, synthetic=False)
ALL_CONTENT = _system("all-content", TEXT, "the raw text", "a floor: removes nothing", floor=True)
RANDOM = _system("random", TEXT, "the article ids and the raw text's lines, sentences and words",
                 "a floor: seeded coin flips", floor=True)
SAME_EVENT = _system("same-event", TEXT, "the article ids and clusters", "a floor: the majority relation of news "
                     "pairs about one story, `same_event`, for every pair", floor=True)
_WRITTEN_HERE = "written with this release's raw texts at hand"
MINHASH = _system("minhash", TEXT, "the raw text, every non-empty line",
                  f"the usual shingle sizes and cut-offs of web-corpus deduplication; {_WRITTEN_HERE}", "datasketch")
RAPIDFUZZ = _system("rapidfuzz", TEXT, "the raw text, every non-empty line",
                    f"the usual near-verbatim cut-off of `fuzz.ratio` (80 of 100); {_WRITTEN_HERE}", "rapidfuzz")
QUOTE_RULES = _system("quote-rules", TEXT, "the raw text, every non-empty line",
                      "the quote task's definition (annotation scheme) and general English: quotation marks, "
                      "reporting verbs, capitalised name phrases, titles; not tuned on this release")
EVENT_TRIGGERS = _system("event-triggers", TEXT, "the raw text, every non-empty line",
                         "a general inventory of English event triggers written from the event types of the "
                         "annotation scheme alone, without the articles or the events guideline")
QUOTE_REGISTRY = _system("quote-registry", ORACLE, "the raw text and the gold entity registry (every name "
                         "and alias, article-specific descriptions included)",
                         "this release's articles and gold registry", synthetic=False)
EVENT_LEXICON = _system("event-lexicon", ORACLE, "the raw text and a lexicon copied from the events "
                        "guideline's table of typical triggers, which was written from these articles",
                        "this release's articles and guideline", synthetic=False)


def _baseline(system: System, name: str, module: str, description: str) -> Baseline:
    return Baseline(system, name, f"{__name__}.{module}", description)


BASELINES: tuple[Baseline, ...] = (
    _baseline(TRAFILATURA, "boilerplate", "trafilatura_lines",
              "trafilatura.extract on the lines as <p> paragraphs; kept paragraphs mapped back to lines. With no "
              "markup to go by it drops little beyond repeated lines, which is what this row measures"),
    _baseline(TRAFILATURA, "boilerplate_text", "trafilatura_text",
              "trafilatura.extract on the lines as <p> paragraphs, its text as is"),
    _baseline(JUSTEXT, "boilerplate", "justext_lines",
              "jusText (English stoplist, default thresholds) on the lines as <p> paragraphs"),
    _baseline(JUSTEXT, "boilerplate_text", "justext_text", "jusText's good paragraphs joined by newlines"),
    _baseline(LENGTH, "boilerplate", "length_lines",
              "a line shorter than 70 characters is boilerplate (jusText's default `length_low`)"),
    _baseline(LENGTH, "boilerplate_text", "length_text", "the lines of 70 characters or more, joined by newlines"),
    _baseline(LINE_CLASSIFIER, "boilerplate", "line_classifier",
              "scikit-learn decision tree on integer line features (length, words, punctuation, capitals, "
              "digits, position, link and credit words); leave-one-article-out"),
    _baseline(ALL_CONTENT, "boilerplate", "all_content_lines", "floor: every line is content"),
    _baseline(ALL_CONTENT, "boilerplate_text", "all_content_text", "floor: the whole article is the text"),
    _baseline(RANDOM, "boilerplate", "random_lines", "floor: each line boilerplate with probability 1/2"),
    _baseline(RANDOM, "boilerplate_text", "random_text", "floor: the lines a coin flip keeps, joined"),
    _baseline(MINHASH, "doc_pairs", "minhash_pairs",
              "MinHash Jaccard of word 5-shingles as score; relation from thresholds and shared passages"),
    _baseline(MINHASH, "passages", "minhash_passages",
              "MinHash LSH over sentences (word 3-shingles), runs of consecutive copies joined"),
    _baseline(RAPIDFUZZ, "doc_pairs", "rapidfuzz_pairs",
              "rapidfuzz ratio of the texts as score; relation from thresholds and shared passages"),
    _baseline(RAPIDFUZZ, "passages", "rapidfuzz_passages",
              "rapidfuzz ratio between sentences, runs of consecutive copies joined"),
    _baseline(SAME_EVENT, "doc_pairs", "same_event_pairs", "floor: every pair `same_event`, no score"),
    _baseline(RANDOM, "doc_pairs", "random_pairs", "floor: a seeded random relation and score"),
    _baseline(RANDOM, "passages", "random_passages", "floor: seeded random pairs of sentences"),
    _baseline(QUOTE_RULES, "quotes", "quote_rules",
              "quotation marks and reporting verbs; speaker the nearest capitalised name phrase (titles dropped) "
              "or a pronoun's previous named speaker, resolved by the scorer's alias matching"),
    _baseline(RANDOM, "quotes", "random_quotes",
              "floor: each sentence an indirect quote with probability 1/4, speaker `unknown`"),
    _baseline(EVENT_TRIGGERS, "events", "event_triggers",
              "general English trigger inventory by event type; mentions with the same suffix-stripped lemma "
              "corefer across articles"),
    _baseline(RANDOM, "events", "random_events",
              "floor: each word a trigger with probability 1/50, of a random type; one event per type"),
    _baseline(QUOTE_REGISTRY, "quotes", "quote_registry",
              "the quote rules, with speakers found by the registry's names and aliases"),
    _baseline(EVENT_LEXICON, "events", "event_lexicon",
              "the guideline's trigger table; mentions with the same lemma and type corefer"),
)
SYSTEMS: tuple[str, ...] = tuple(dict.fromkeys(b.system.name for b in BASELINES))


def baselines(systems: list[str] | None = None) -> list[Baseline]:
    """The registered baselines, all or those of the named systems; ValueError for an unknown system."""
    if not systems:
        return list(BASELINES)
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    return [b for b in BASELINES if b.system.name in systems]


def find(system: str, name: str) -> Baseline:
    """The baseline of ``system`` for the prediction format ``name``; ValueError naming the known ones."""
    for baseline in BASELINES:
        if (baseline.system.name, baseline.name) == (system, name):
            return baseline
    known = ", ".join(f"{b.system.name} {b.name}" for b in BASELINES)
    raise ValueError(f"no baseline {system} {name}; known: {known}")
