"""Run every baseline, write its predictions, score them with bootstrap intervals and write the leaderboard.

Everything lands under one folder (the checkout, for the committed files)::

    baselines/predictions/<system>/<name>.jsonl             one file per baseline on the real articles
    baselines/predictions/<system>/synthetic/<name>.jsonl   and on the synthetic split, where it has gold
    baselines/submissions/<name>/                           outside systems (`newsgold leaderboard add`): read
    LEADERBOARD.md, leaderboard.json                        the scored tables (newsgold.baselines.leaderboard)

Each baseline sees only the articles (:meth:`~newsgold.baselines.Baseline.predict`, the same call as
``newsgold predict``); an oracle or supervised one is given the release besides. A second run over the same
release, with the same libraries, changes no byte: baselines are deterministic, files are written in one
canonical form, the bootstrap seed is fixed. :func:`check` regenerates into a temporary folder and names every
file that would change, which is how CI notices a moved number.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, raise_if
from ..jsonl import write_jsonl, write_text_atomic
from ..release.dataset import Release
from ..scoring import score, score_checked
from ..scoring.core import Report, progress
from . import BASELINES, Baseline, leaderboard, submissions
from .leaderboard import BOOTSTRAP, REAL, SEED, SYNTHETIC

PREDICTIONS = Path("baselines") / "predictions"


@dataclass(frozen=True)
class Written:
    baseline: Baseline
    split: str  # REAL or SYNTHETIC
    path: Path  # relative to the output folder


def prediction_path(baseline: Baseline, split: str = REAL) -> Path:
    folder = PREDICTIONS / baseline.system.name
    return (folder / SYNTHETIC if split == SYNTHETIC else folder) / f"{baseline.name}.jsonl"


def splits(release: Release) -> dict[str, Release]:
    """The release's real articles and, when it has the synthetic configs, its synthetic split as gold."""
    views = {REAL: release}
    if release.records.get("articles_synthetic"):
        views[SYNTHETIC] = release.synthetic_view()
    return views


def library_version(baseline: Baseline) -> str | None:
    """``"<distribution> <version>"`` of the library a baseline runs: its numbers depend on it."""
    library = baseline.system.library
    if library is None:
        return None
    try:
        return f"{library} {metadata.version(library)}"
    except metadata.PackageNotFoundError:
        return f"{library} (not installed)"


def write_predictions(views: dict[str, Release], out: Path, selected: list[Baseline]) -> list[Written]:
    """Run each baseline on each split it is scored on and write its predictions; stale files are removed."""
    jobs = [(b, split) for b in selected for split in (REAL, SYNTHETIC)
            if split == REAL or (b.synthetic and split in views)]
    written = []
    for baseline, split in progress(jobs, desc="baselines", total=len(jobs)):
        view = views[split]
        path = prediction_path(baseline, split)
        write_jsonl(out / path, baseline.predict(view.articles, view))
        written.append(Written(baseline, split, path))
    keep = {out / w.path for w in written}
    for stale in sorted(predicted_files(out)):
        if out / stale not in keep:
            (out / stale).unlink()
    for folder in sorted((out / PREDICTIONS).glob("*/*/"), reverse=True) + sorted((out / PREDICTIONS).glob("*/")):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return written


def predicted_files(folder: Path) -> set[str]:
    """The prediction files under ``folder``'s baselines/predictions/, as paths relative to ``folder``."""
    root = folder / PREDICTIONS
    found = [*root.glob("*/*.jsonl"), *root.glob(f"*/{SYNTHETIC}/*.jsonl")]
    return {path.relative_to(folder).as_posix() for path in found}


def _quiet() -> None:
    # Worker processes share the terminal: their own progress bars would write over the parent's.
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the worker)


def _score(name: str, source: Path | submissions.Records, release: Release, bootstrap: int, seed: int) -> Report:
    if isinstance(source, Path):
        return score(name, source, release, bootstrap=bootstrap, seed=seed)
    return score_checked(name, source, release, bootstrap=bootstrap, seed=seed)


def score_files(tasks: list[tuple[str, Path | submissions.Records, Release]], *, bootstrap: int, seed: int,
                jobs: int) -> list[Report]:
    """The scorers' report of each ``(format, file or the records read and checked from it, gold)``, in the order
    given; ``jobs`` are scored at once."""
    work = [(name, path, release, bootstrap, seed) for name, path, release in tasks]
    if jobs <= 1:
        return [_score(*task) for task in progress(work, desc="scoring", total=len(work))]
    reports: list[Report | None] = [None] * len(work)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet) as pool:
        futures = {pool.submit(_score, *task): index for index, task in enumerate(work)}
        for future in progress(as_completed(futures), desc="scoring", total=len(futures)):
            reports[futures[future]] = future.result()
    return [report for report in reports if report is not None]


def baseline_entry(written: Written, report: Report) -> leaderboard.Entry:
    system = written.baseline.system
    return leaderboard.Entry(system.name, written.baseline.name, written.path.as_posix(), report,
                             written.baseline.description, library_version(written.baseline), written.split,
                             system.inputs, system.reads, system.developed_on, system.floor, system.supervised)


def run(out: Path, release: Release, *, bootstrap: int = BOOTSTRAP, seed: int = SEED,
        jobs: int = 1) -> dict[str, Any]:
    """Predict, write, score and write the leaderboard into ``out``; the leaderboard document is returned.

    Submissions already in ``out`` (``baselines/submissions/``) are checked and scored again with the rest.
    """
    views = splits(release)
    entered = submissions.stored(out, views)
    written = write_predictions(views, out, list(BASELINES))
    tasks: list[tuple[str, Path | submissions.Records, Release]] = [
        (w.baseline.name, out / w.path, views[w.split]) for w in written]
    tasks += [(file.name, records, views[file.split]) for sub in entered
              for file, records in zip(sub.files, sub.records, strict=True)]
    reports = score_files(tasks, bootstrap=bootstrap, seed=seed, jobs=jobs)
    entries = [baseline_entry(w, report) for w, report in zip(written, reports[:len(written)], strict=True)]
    rest = iter(reports[len(written):])
    for sub in entered:
        entries += sub.entries([next(rest) for _ in sub.files])
    board = leaderboard.document(submissions.ordered(entries), bootstrap=bootstrap, seed=seed)
    write_text_atomic(out / leaderboard.JSON, leaderboard.to_json(board))
    write_text_atomic(out / leaderboard.MARKDOWN, leaderboard.to_markdown(board))
    return board


def generated_files(folder: Path) -> set[str]:
    """The files a run writes, as paths relative to ``folder`` (those present)."""
    names = {leaderboard.JSON, leaderboard.MARKDOWN} | predicted_files(folder)
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
    """Regenerate into a temporary folder and list every generated file that differs from those in ``out``.

    The submissions of ``out`` are copied in first, so that their rows are regenerated too.
    """
    with tempfile.TemporaryDirectory(prefix="newsgold-baselines-") as temporary:
        fresh = Path(temporary)
        if (out / submissions.SUBMISSIONS).is_dir():
            shutil.copytree(out / submissions.SUBMISSIONS, fresh / submissions.SUBMISSIONS)
        run(fresh, release, bootstrap=bootstrap, seed=seed, jobs=jobs)
        return differences(fresh, out)


@dataclass(frozen=True)
class Added:
    board: dict[str, Any]
    entries: list[leaderboard.Entry]  # the submission's rows
    folder: Path  # where its files are stored


def add(out: Path, name: str, pred_dir: Path, meta_path: Path, release: Release, *, replace: bool = False,
        jobs: int = 1) -> Added:
    """Check a submission, score it as the board in ``out`` was scored, store it and write its rows.

    Nothing is written unless everything checks: the name, META.json, every prediction file (by its scorer),
    and that ``release`` is the release the board scored. An existing submission of the same name is replaced
    only with ``replace``.
    """
    board_path = out / leaderboard.JSON
    problems = submissions.name_problems(name)
    target = out / submissions.SUBMISSIONS / name
    if target.exists() and not replace:
        problems.append(Problem(str(target), 0, "NAME", f"a submission {name!r} is on the board; give --replace "
                                                        "to replace it"))
    if not board_path.is_file():
        problems.append(Problem(str(board_path), 0, "-", "no leaderboard here; write it with `newsgold baselines`"))
        raise_if(problems)
    board = json.loads(board_path.read_text(encoding="utf-8"))
    scored = board["dataset"]
    if scored["manifest_sha256"] != release.manifest_sha256:
        problems.append(Problem(str(board_path), 0, "dataset", f"the board scored release {scored['version']} "
                                f"(manifest {scored['manifest_sha256'][:12]}), not this one ({release.version}, "
                                f"{release.manifest_sha256[:12]}); regenerate it with `newsgold baselines` first"))
    try:
        meta = submissions.read_meta(meta_path)
    except InputError as error:
        problems += error.problems
    views = splits(release)
    files, more = submissions.prediction_files(pred_dir, list(views))
    records, checked = submissions.read_files(files, views)
    raise_if(problems + more + checked)
    bootstrap, seed = board["bootstrap"]["replicates"], board["bootstrap"]["seed"]
    reports = score_files([(f.name, r, views[f.split]) for f, r in zip(files, records, strict=True)],
                          bootstrap=bootstrap, seed=seed, jobs=jobs)
    stored = [submissions.SubmissionFile(f.name, f.split, f.path.relative_to(pred_dir)) for f in files]
    _store(target, pred_dir, stored, meta)
    relative = target.relative_to(out)
    entry_files = [submissions.SubmissionFile(f.name, f.split, relative / f.path) for f in stored]
    new = submissions.Submission(name, meta, entry_files).entries(reports)
    kept = [e for e in leaderboard.entries_of(board) if not (submissions.is_submission(e) and e.system == name)]
    board = leaderboard.document(submissions.ordered(kept + new), bootstrap=bootstrap, seed=seed)
    write_text_atomic(board_path, leaderboard.to_json(board))
    write_text_atomic(out / leaderboard.MARKDOWN, leaderboard.to_markdown(board))
    return Added(board, new, target)


def _store(target: Path, source: Path, files: list[submissions.SubmissionFile], meta: submissions.Meta) -> None:
    """Copy the files and META into ``target`` through a staging folder, so a failure leaves the old one whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for file in files:
            (staging / file.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / file.path, staging / file.path)
        (staging / submissions.META).write_text(meta.to_json(), encoding="utf-8", newline="\n")
        if target.exists():
            retired = target.with_name(f".{target.name}.retired")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
