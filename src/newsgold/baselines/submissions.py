"""Outside systems on the leaderboard: what a submission is, and how its rows are made.

A submission is a folder of prediction files and a META.json describing the system::

    <format>.jsonl             predictions on the release's articles, for any of the scorers' formats
    synthetic/<format>.jsonl   predictions on the synthetic split (boilerplate, doc_pairs), if any

    META.json  {"inputs": "raw article text; spaCy en_core_web_sm 3.7.1",   what the system reads
                "url": "https://example.org/system",                      where it lives
                "version": "1.2.0",                                        which version made the files
                "uses_gold": false,                                        whether it used any newsgold gold
                "developed_on": "OntoNotes 5.0",                           optional
                "description": "..."}                                      optional

``newsgold leaderboard add`` (:func:`newsgold.baselines.run.add`) checks both, scores every file and stores
the folder as ``baselines/submissions/<name>/`` (META.json as ``meta.json``); ``newsgold baselines`` scores the
stored submissions again with the baselines (:func:`stored`), so they stay on a regenerated board. A submission
that declares any use of gold goes into the oracle rows, never ranked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import ID_PATTERN
from ..errors import InputError, Problem, raise_if
from ..release.dataset import Release
from ..scoring import SCORERS, scorer
from ..scoring.core import Report
from . import SYNTHETIC_FORMATS, SYSTEMS, leaderboard
from .leaderboard import ORACLE, REAL, SYNTHETIC, TEXT

SUBMISSIONS = Path("baselines") / "submissions"
META = "meta.json"
REQUIRED: dict[str, type] = {"inputs": str, "url": str, "version": str, "uses_gold": bool}
OPTIONAL: dict[str, type] = {"developed_on": str, "description": str}
URL = re.compile(r"^https?://\S+$")
# Text fields become cells of a Markdown table: a bar or a line break would break it.
UNSAFE = re.compile(r"[|\n\r]")


@dataclass(frozen=True)
class Meta:
    inputs: str
    url: str
    version: str
    uses_gold: bool
    developed_on: str = ""
    description: str = ""

    def to_json(self) -> str:
        return json.dumps({"inputs": self.inputs, "url": self.url, "version": self.version,
                           "uses_gold": self.uses_gold, "developed_on": self.developed_on,
                           "description": self.description}, indent=2, ensure_ascii=False) + "\n"


def meta_problems(data: Any, path: str) -> list[Problem]:
    """Every problem of a META.json document: unknown or missing fields, wrong types, an unsafe text or URL."""
    if not isinstance(data, dict):
        return [Problem(path, 0, "-", "expected a JSON object")]
    problems = [Problem(path, 0, key, f"unknown field; the fields: {', '.join([*REQUIRED, *OPTIONAL])}")
                for key in sorted(set(data) - set(REQUIRED) - set(OPTIONAL))]
    problems += [Problem(path, 0, key, "missing") for key in REQUIRED if key not in data]
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, kind):
            problems.append(Problem(path, 0, key, f"expected {'true or false' if kind is bool else 'a string'}"))
        elif isinstance(value, str) and UNSAFE.search(value):
            problems.append(Problem(path, 0, key, "must not hold a | or a line break (it is shown in a table)"))
        elif isinstance(value, str) and key in REQUIRED and not value.strip():
            problems.append(Problem(path, 0, key, "must not be empty"))
    if isinstance(data.get("url"), str) and not URL.match(data["url"]):
        problems.append(Problem(path, 0, "url", "expected an http:// or https:// address"))
    return problems


def read_meta(path: Path) -> Meta:
    """The META.json at ``path``; InputError listing every problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise_if([Problem(str(path), 0, "-", "no such file")])
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise_if([Problem(str(path), 0, "-", f"not a JSON file: {error}")])
    raise_if(meta_problems(data, str(path)))
    return Meta(**{key: data[key] for key in (*REQUIRED, *OPTIONAL) if key in data})


@dataclass(frozen=True)
class SubmissionFile:
    name: str  # the prediction format (scorer)
    split: str  # REAL or SYNTHETIC
    path: Path  # where it is (relative to the leaderboard's folder once stored)


def prediction_files(folder: Path, splits: Sequence[str]) -> tuple[list[SubmissionFile], list[Problem]]:
    """The prediction files of a submission folder, formats in the scorers' order, each real before synthetic.

    Any other ``*.jsonl`` is a problem (a misnamed file is never left out silently), and so is a synthetic file
    when the release has no synthetic split or the format has no synthetic gold.
    """
    if not folder.is_dir():
        return [], [Problem(str(folder), 0, "-", "no such folder")]
    problems = []
    names = ", ".join(f"{name}.jsonl" for name in SCORERS)
    for path in sorted(folder.glob("*.jsonl")):
        if path.stem not in SCORERS:
            problems.append(Problem(str(path), 0, "-", f"unknown prediction file {path.name!r}; the known names: "
                                                       f"{names}"))
    synthetic = folder / SYNTHETIC
    for path in sorted(synthetic.glob("*.jsonl")):
        if path.stem not in SYNTHETIC_FORMATS:
            known = ", ".join(f"{name}.jsonl" for name in SYNTHETIC_FORMATS)
            problems.append(Problem(str(path), 0, "-", f"no synthetic gold for {path.name!r}; the synthetic split "
                                                       f"scores {known}"))
        elif SYNTHETIC not in splits:
            problems.append(Problem(str(path), 0, "-", "the release has no synthetic split to score it against"))
    files = []
    for name in SCORERS:
        if (folder / f"{name}.jsonl").is_file():
            files.append(SubmissionFile(name, REAL, folder / f"{name}.jsonl"))
        if name in SYNTHETIC_FORMATS and SYNTHETIC in splits and (synthetic / f"{name}.jsonl").is_file():
            files.append(SubmissionFile(name, SYNTHETIC, synthetic / f"{name}.jsonl"))
    if not files and not problems:
        problems.append(Problem(str(folder), 0, "-", f"no prediction file ({names}, or synthetic/<format>.jsonl)"))
    return files, problems


Records = Sequence[dict[str, Any]]


def read_files(files: list[SubmissionFile], views: dict[str, Release]) -> tuple[list[Records], list[Problem]]:
    """Each file's records as its scorer reads and checks them (against the gold of its split), and every problem
    found. Scoring takes these records (:func:`newsgold.scoring.score_checked`): a file is read once, so each of
    its warnings is given once."""
    records, problems = [], []
    for file in files:
        found, more = scorer(file.name).read_predictions(file.path, views[file.split])
        records.append(found)
        problems += more
    return records, problems


def name_problems(name: str, field: str = "NAME") -> list[Problem]:
    if not ID_PATTERN.match(name):
        return [Problem("<command line>", 0, field, f"{name!r} is not a valid name (a-z, 0-9, _ and -)")]
    if name in SYSTEMS:
        return [Problem("<command line>", 0, field, f"{name!r} is a reference system's name; choose another")]
    return []


@dataclass(frozen=True)
class Submission:
    name: str
    meta: Meta
    files: list[SubmissionFile]
    records: list[Records] = field(default_factory=list, repr=False)  # of each file, as read_files read them

    def entries(self, reports: list[Report]) -> list[leaderboard.Entry]:
        """One leaderboard entry per file, given the reports of ``files`` in order."""
        inputs = ORACLE if self.meta.uses_gold else TEXT
        return [leaderboard.Entry(self.name, file.name, file.path.as_posix(), report, self.meta.description,
                                  f"{self.name} {self.meta.version}", file.split, inputs, self.meta.inputs,
                                  self.meta.developed_on or "not stated", url=self.meta.url)
                for file, report in zip(self.files, reports, strict=True)]


def stored(out: Path, views: dict[str, Release]) -> list[Submission]:
    """The submissions stored under ``out`` (sorted by name), their files relative to ``out``; InputError for
    every problem of any of them."""
    problems: list[Problem] = []
    found = []
    for folder in sorted(p for p in (out / SUBMISSIONS).glob("*") if p.is_dir()):
        problems += name_problems(folder.name, str(folder))
        try:
            meta = read_meta(folder / META)
        except InputError as error:  # gather the problems of every submission
            problems += error.problems
            continue
        files, more = prediction_files(folder, list(views))
        records, checked = read_files(files, views)
        problems += more + checked
        found.append(Submission(folder.name, meta, [SubmissionFile(f.name, f.split, f.path.relative_to(out))
                                                    for f in files], records))
    raise_if(problems)
    return found


def is_submission(entry: leaderboard.Entry) -> bool:
    return entry.predictions.startswith(f"{SUBMISSIONS.as_posix()}/")


def ordered(entries: list[leaderboard.Entry]) -> list[leaderboard.Entry]:
    """Reference systems first, in the order given, then submissions by name: the order of the board's systems."""
    return sorted(entries, key=lambda e: (is_submission(e), e.system if is_submission(e) else ""))
