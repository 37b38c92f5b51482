"""The scorers: one contract for every scored layer.

``score(task, predictions, gold=None)`` reads and checks a prediction file (or a list of records), reduces it
with the gold to per-article sufficient statistics and reports the task's metrics as a dict (the report
contract of :mod:`newsgold.scoring.core`). Every scorer has the same three steps, which can also be run one
by one to score a large prediction set in shards::

    gold = load_gold(None)
    records = read_predictions("events", "events.jsonl", gold)
    parts = [statistics("events", records, gold, article_ids) for article_ids in shards]
    report("events", merge(parts), gold)   # equal to score("events", "events.jsonl")

:class:`~newsgold.scoring.core.Statistics` has ``to_dict``/``from_dict`` so that the parts can come from
other processes (``datasets.Dataset.map(num_proc=...)``, any map-reduce engine).

Scorers, by prediction file name: ``boilerplate`` and ``boilerplate_text`` (task boilerplate), ``doc_pairs``,
``passages``, ``quotes`` and ``events``. Each lives in the module named in ``SCORERS`` and is imported when
first used, so that importing the package stays light.

Quotes, events and passages may anchor spans by text instead of offsets (:mod:`newsgold.scoring.align`);
``fuzzy=THRESHOLD`` turns on the fuzzy stage of the alignment, and :func:`aligned` gives such a file in the
offset form (``newsgold align``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem, raise_if
from ..tasks import TEXT_ANCHORED

if TYPE_CHECKING:
    from ..jsonl import Row
    from ..release.dataset import Release
    from .core import Options, Report, Scorer, Source, Statistics, merge

# name -> (module, attribute): the registry of scorers.
SCORERS: dict[str, tuple[str, str]] = {
    "boilerplate": ("newsgold.scoring.boilerplate", "SCORER"),
    "boilerplate_text": ("newsgold.scoring.boilerplate", "TEXT_SCORER"),
    "doc_pairs": ("newsgold.scoring.doc_pairs", "SCORER"),
    "passages": ("newsgold.scoring.passages", "SCORER"),
    "quotes": ("newsgold.scoring.quotes", "SCORER"),
    "events": ("newsgold.scoring.events", "SCORER"),
}
ALL = "all"

__all__ = ["ALL", "SCORERS", "Options", "Statistics", "aligned", "aligned_rows", "compare", "load_gold", "merge",
           "read_predictions", "report", "score", "score_all", "score_checked", "scorer", "statistics"]

# The scorers' machinery (numpy, pyarrow, the release reader) is imported on first use, so that the command line
# can name the scorers, and build its parser, without it.
_CORE = ("Options", "Statistics", "merge")


def __getattr__(name: str) -> Any:
    if name in _CORE:
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module 'newsgold.scoring' has no attribute {name!r}")


def scorer(name: str) -> Scorer:
    """The scorer registered as ``name``."""
    if name not in SCORERS:
        raise ValueError(f"unknown task {name!r}; one of {', '.join(SCORERS)}")
    module, attribute = SCORERS[name]
    found: Scorer = getattr(importlib.import_module(module), attribute)
    return found


def load_gold(gold: Release | str | Path | None = None) -> Release:
    """A release: the one given, the one in a folder, or (None) the one shipped with the package."""
    from ..release.dataset import Release

    return gold if isinstance(gold, Release) else Release.load(gold)


def read_predictions(task: str, predictions: Source, gold: Release, *,
                     fuzzy: float | None = None) -> Sequence[dict[str, Any]]:
    """The checked prediction records; InputError with every problem if there is any."""
    records, problems = _read(scorer(task), predictions, gold, fuzzy)
    raise_if(problems)
    return records


Read = Callable[..., tuple[Sequence[dict[str, Any]], list[Problem]]]


def _read(chosen: Scorer, predictions: Source, gold: Release,
          fuzzy: float | None) -> tuple[Sequence[dict[str, Any]], list[Problem]]:
    """The scorer's reading, with the fuzzy threshold where the format may anchor spans by text."""
    if fuzzy is None:
        return chosen.read_predictions(predictions, gold)
    if chosen.name not in TEXT_ANCHORED:
        raise ValueError(f"fuzzy alignment is for {', '.join(TEXT_ANCHORED)}, not {chosen.name}")
    reader: Read = chosen.read_predictions
    return reader(predictions, gold, fuzzy=fuzzy)


def _listed(out: Report, records: Sequence[dict[str, Any]], section: str = "alignment") -> Report:
    """``out`` with every unaligned record listed in its alignment section ``out[section]``, when it has one."""
    if section in out:
        from . import align

        out[section]["unaligned_records"] = align.unaligned_records(records)
    return out


def statistics(task: str, records: Sequence[dict[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    """Per-article sufficient statistics of checked records, for all articles or the given ones."""
    return scorer(task).statistics(records, gold, article_ids)


def report(task: str, stats: Statistics, gold: Release, *, bootstrap: int = 0, seed: int = 0,
           singletons: bool = True) -> Report:
    """The report of (merged) statistics, with ``bootstrap`` replicates for confidence intervals."""
    from .core import Options, build_report

    if bootstrap < 0:
        raise ValueError("bootstrap must be a number of replicates, 0 or more")
    return build_report(scorer(task), stats, gold, Options(singletons=singletons), bootstrap=bootstrap, seed=seed)


def score(task: str, predictions: Source, gold: Release | str | Path | None = None, *, bootstrap: int = 0,
          seed: int = 0, singletons: bool = True, fuzzy: float | None = None) -> Report:
    """Score a prediction file (a path) or a list of records against the gold; see the module docstring.

    ``task`` ``"all"`` takes a folder of ``<task>.jsonl`` files and scores each one present (any other
    ``*.jsonl`` in it is a problem: a misnamed file is never left out silently). Bad input raises
    :class:`~newsgold.errors.InputError` listing every problem. ``fuzzy`` (a rapidfuzz score in (0, 100])
    lets text-anchored spans align approximately.
    """
    release = load_gold(gold)
    if task == ALL:
        if not isinstance(predictions, (str, Path)):
            raise ValueError("score('all', ...) takes a folder of prediction files")
        return score_all(Path(predictions), release, bootstrap=bootstrap, seed=seed, singletons=singletons,
                         fuzzy=fuzzy)
    records = read_predictions(task, predictions, release, fuzzy=fuzzy)
    return score_checked(task, records, release, bootstrap=bootstrap, seed=seed, singletons=singletons)


def score_checked(task: str, records: Sequence[dict[str, Any]], gold: Release, *, bootstrap: int = 0, seed: int = 0,
                  singletons: bool = True) -> Report:
    """The report of records that :func:`read_predictions` (or the scorer's ``read_predictions``) read and
    checked without a problem: what :func:`score` gives for their file, without reading it again (nor warning
    again about what the reading found)."""
    return _listed(report(task, statistics(task, records, gold), gold, bootstrap=bootstrap, seed=seed,
                          singletons=singletons), records)


def aligned(task: str, predictions: Source, gold: Release | str | Path | None = None, *,
            fuzzy: float | None = None) -> list[dict[str, Any]]:
    """A prediction file in the offset form, one record per record given, in order (``newsgold align``).

    Each text-anchored span that aligns gets ``start``, ``end``, the article's ``text`` there and
    ``alignment``; one that aligns nowhere is kept as given, so that scoring the result gives the same report.
    The file is checked first, as scoring checks it (InputError with every problem).
    """
    from ..schemas import ordered, prediction_schema
    from . import align

    schema = prediction_schema(scorer(task).name)
    return [ordered(align.offset_form(row.data), schema) for row in aligned_rows(task, predictions, gold, fuzzy=fuzzy)]


def aligned_rows(task: str, predictions: Source, gold: Release | str | Path | None = None, *,
                 fuzzy: float | None = None) -> list[Row]:
    """The records of a prediction file, each at its line, with every text-anchored span placed as scoring
    places it: ``start``, ``end``, the article's ``text`` there and ``alignment`` (how it was found), or
    ``alignment: unaligned`` with the reason under ``unaligned``. The file is checked first, as scoring checks
    it (InputError with every problem)."""
    from . import align
    from .core import load_rows

    release = load_gold(gold)
    chosen = scorer(task)
    if chosen.name not in TEXT_ANCHORED:
        raise ValueError(f"only {', '.join(TEXT_ANCHORED)} predictions anchor spans by text, not {task}")
    read_predictions(task, predictions, release, fuzzy=fuzzy)
    rows, _ = load_rows(predictions, chosen.name)
    return align.anchor_rows(rows, release, fuzzy=fuzzy)[0]


def score_all(folder: Path, gold: Release, *, bootstrap: int = 0, seed: int = 0, singletons: bool = True,
              fuzzy: float | None = None) -> Report:
    """Score every ``<task>.jsonl`` in ``folder``; every file is checked before any is scored, and any other
    ``*.jsonl`` file in it is a problem (``event.jsonl`` is not ``events.jsonl``)."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "-", "no such folder")])
    names = ", ".join(f"{name}.jsonl" for name in SCORERS)
    present = [name for name in SCORERS if (folder / f"{name}.jsonl").is_file()]
    # A file of another name would be left out silently (event.jsonl for events.jsonl): each one is a problem.
    problems = [Problem(str(path), 0, "-", f"unknown prediction file {path.name!r}; the known names: {names}")
                for path in sorted(folder.glob("*.jsonl")) if path.stem not in SCORERS]
    if not present:
        raise InputError([*problems, Problem(str(folder), 0, "-", f"no prediction file ({names})")])
    records = {}
    for name in present:
        records[name], found = _read(scorer(name), folder / f"{name}.jsonl", gold,
                                     fuzzy if name in TEXT_ANCHORED else None)
        problems += found
    raise_if(problems)
    reports = {name: score_checked(name, records[name], gold, bootstrap=bootstrap, seed=seed, singletons=singletons)
               for name in present}
    first = next(iter(reports.values()))
    return {"task": ALL, "dataset": first["dataset"], "counts": {"tasks": len(reports)}, **reports}


def compare(task: str, a: Source, b: Source, gold: Release | str | Path | None = None, *, bootstrap: int = 1000,
            seed: int = 0, singletons: bool = True, fuzzy: float | None = None) -> Report:
    """Paired bootstrap of two systems' predictions: each headline metric, A - B, its interval and p-value."""
    from .core import Options, paired_bootstrap

    if bootstrap < 1:
        raise ValueError("compare needs at least one bootstrap replicate")
    release = load_gold(gold)
    chosen = scorer(task)
    problems: list[Problem] = []
    records = []
    for source in (a, b):
        found, more = _read(chosen, source, release, fuzzy)
        records.append(found)
        problems += more
    raise_if(problems)
    stats = [chosen.statistics(r, release, None) for r in records]
    out = paired_bootstrap(chosen, stats[0], stats[1], release, Options(singletons=singletons),
                           replicates=bootstrap, seed=seed)
    for side, found in zip(("a", "b"), records, strict=True):
        _listed(out.get("alignment", {}), found, side)
    out["systems"] = {"a": _name(a), "b": _name(b)}
    return out


def _name(source: Source) -> str:
    return str(source) if isinstance(source, (str, Path)) else "<predictions>"
