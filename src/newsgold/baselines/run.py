"""Run every baseline, write its predictions, score them with bootstrap intervals and write the leaderboard.

Everything lands under one folder (the checkout, for the committed files)::

    baselines/predictions/<system>/<name>.jsonl    one file per baseline, in the scorers' prediction format
    LEADERBOARD.md, leaderboard.json               the scored table (newsgold.leaderboard)

A second run over the same release, with the same libraries, changes no byte: baselines are deterministic,
files are written in one canonical form, the bootstrap seed is fixed. :func:`check` regenerates into a
temporary folder and names every file that would change, which is how CI notices a moved number.
"""

from __future__ import annotations

import filecmp
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import leaderboard
from ..dataset import Release
from ..jsonl import write_jsonl, write_text_atomic
from ..scoring import score
from ..scoring.core import Report, progress
from . import BASELINES, Baseline

PREDICTIONS = Path("baselines") / "predictions"
BOOTSTRAP = 1000
SEED = 0


@dataclass(frozen=True)
class Written:
    baseline: Baseline
    path: Path  # relative to the output folder


def prediction_path(baseline: Baseline) -> Path:
    return PREDICTIONS / baseline.system / f"{baseline.name}.jsonl"


def library_version(baseline: Baseline) -> str | None:
    """``"<distribution> <version>"`` of the library a baseline runs: its numbers depend on it."""
    if baseline.library is None:
        return None
    try:
        return f"{baseline.library} {metadata.version(baseline.library)}"
    except metadata.PackageNotFoundError:
        return f"{baseline.library} (not installed)"


def write_predictions(release: Release, out: Path, selected: list[Baseline]) -> list[Written]:
    """Run each baseline on the release and write its predictions; stale prediction files are removed."""
    written = []
    for baseline in progress(selected, desc="baselines", total=len(selected)):
        path = prediction_path(baseline)
        write_jsonl(out / path, baseline.predict(release))
        written.append(Written(baseline, path))
    keep = {out / w.path for w in written}
    for stale in sorted((out / PREDICTIONS).glob("*/*.jsonl")):
        if stale not in keep:
            stale.unlink()
    for folder in sorted((out / PREDICTIONS).glob("*")):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return written


def _quiet() -> None:
    # Worker processes share the terminal: their own progress bars would write over the parent's.
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the worker)


def _score(name: str, path: Path, release: Release, bootstrap: int, seed: int) -> Report:
    return score(name, path, release, bootstrap=bootstrap, seed=seed)


def score_predictions(release: Release, out: Path, written: list[Written], *, bootstrap: int, seed: int,
                      jobs: int) -> list[Report]:
    """The scorers' report of each written file, in the order given; ``jobs`` files are scored at once."""
    tasks = [(w.baseline.name, out / w.path, release, bootstrap, seed) for w in written]
    if jobs <= 1:
        return [_score(*task) for task in progress(tasks, desc="scoring", total=len(tasks))]
    reports: list[Report | None] = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet) as pool:
        futures = {pool.submit(_score, *task): index for index, task in enumerate(tasks)}
        for future in progress(as_completed(futures), desc="scoring", total=len(futures)):
            reports[futures[future]] = future.result()
    return [report for report in reports if report is not None]


def run(out: Path, release: Release, *, bootstrap: int = BOOTSTRAP, seed: int = SEED,
        jobs: int = 1) -> dict[str, Any]:
    """Predict, write, score and write the leaderboard into ``out``; the leaderboard document is returned."""
    written = write_predictions(release, out, list(BASELINES))
    reports = score_predictions(release, out, written, bootstrap=bootstrap, seed=seed, jobs=jobs)
    entries = [leaderboard.Entry(w.baseline.system, w.baseline.name, w.path.as_posix(), report,
                                 w.baseline.description, library_version(w.baseline))
               for w, report in zip(written, reports, strict=True)]
    board = leaderboard.document(entries, bootstrap=bootstrap, seed=seed)
    write_text_atomic(out / leaderboard.JSON, leaderboard.to_json(board))
    write_text_atomic(out / leaderboard.MARKDOWN, leaderboard.to_markdown(board))
    return board


def generated_files(folder: Path) -> set[str]:
    """The files a run writes, as paths relative to ``folder`` (those present)."""
    names = {leaderboard.JSON, leaderboard.MARKDOWN} | {
        path.relative_to(folder).as_posix() for path in (folder / PREDICTIONS).glob("*/*.jsonl")}
    return {name for name in names if (folder / name).is_file()}


def differences(expected: Path, actual: Path) -> list[str]:
    """Each generated file that differs between two folders: ``changed``, ``missing`` or ``not generated``."""
    wanted, found = generated_files(expected), generated_files(actual)
    problems = [f"{name}: missing (not committed yet?)" for name in sorted(wanted - found)]
    problems += [f"{name}: no longer generated" for name in sorted(found - wanted)]
    problems += [f"{name}: changed" for name in sorted(wanted & found)
                 if not filecmp.cmp(expected / name, actual / name, shallow=False)]
    return problems


def check(out: Path, release: Release, *, bootstrap: int = BOOTSTRAP, seed: int = SEED, jobs: int = 1) -> list[str]:
    """Regenerate into a temporary folder and list every generated file that differs from those in ``out``."""
    with tempfile.TemporaryDirectory(prefix="newsgold-baselines-") as temporary:
        fresh = Path(temporary)
        run(fresh, release, bootstrap=bootstrap, seed=seed, jobs=jobs)
        return differences(fresh, out)
