"""``newsgold build``: raw articles + gold annotations → the released files under ``data/``.

The build reads ``data/raw`` (checked against its manifest) and ``annotation/gold/<config>.jsonl``, derives
the released fields, checks everything, and writes ``data/<config>/test.jsonl`` and ``data/MANIFEST.json``
byte-for-byte deterministically: records in a stable order, keys in schema order, ``\\n`` line endings. It
writes into a temporary folder and moves the result into place only when the new release validates, so a
failed build leaves the previous release untouched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import Article, load_corpus, sha256_bytes, sha256_file
from .croissant import croissant_problems, write_croissant
from .errors import Problem, raise_if
from .hub import card_problems, parquet_file, parquet_problems, write_card, write_parquet
from .jsonl import Row, format_jsonl, read_jsonl, write_text_atomic
from .records import CONFIGS, RECORD_TYPES
from .schemas import ordered, record_schema
from .synth import SYNTHETIC_CONFIGS, synthetic_records
from .validate import MANIFEST, check_records, release_file, release_paths, validate_release
from .version import __version__

GOLD_DIR = Path("annotation") / "gold"
DATA_DIR = Path("data")
RAW_DIR = DATA_DIR / "raw"
DATASET_NAME = "newsgold"

# Further files written beside the JSONL release: each takes the folder being built and the released records
# by config, and writes its files into the folder, after the JSONL files (Croissant lists the hashes of the
# Parquet and JSONL files, so it comes last). The manifest then pins every file of the folder.
ExtraWriter = Callable[[Path, dict[str, list[dict[str, Any]]]], None]
EXTRA_WRITERS: list[ExtraWriter] = [write_parquet, write_card, write_croissant]


@dataclass
class BuildResult:
    data_dir: Path
    rows: dict[str, int]
    changed: list[str]


def gold_path(root: Path, config: str) -> Path:
    return root / GOLD_DIR / f"{config}.jsonl"


def article_rows(articles: dict[str, Article], raw_dir: Path) -> list[Row]:
    return [
        Row({"article_id": a.article_id, "cluster_id": a.cluster_id, "text": a.text, "sha256": a.sha256},
            str(raw_dir / a.cluster_id / f"{a.article_id}.txt"), 0)
        for a in articles.values()
    ]


def read_gold(root: Path, articles: dict[str, Article], folder: Path | None = None) -> dict[str, list[Row]]:
    """Annotations as released records (derived fields added), with every problem raised at once.

    ``folder`` defaults to the gold; an annotation pass folder holds only its task's files, and takes the
    shared entity registry from the gold when it has none of its own.
    """
    gold_dir = root / GOLD_DIR
    folder = folder or gold_dir
    rows: dict[str, list[Row]] = {"articles": article_rows(articles, root / RAW_DIR)}
    problems: list[Problem] = []
    for config in CONFIGS[1:]:
        path = folder / f"{config}.jsonl"
        if config == "entities" and not path.exists():
            path = gold_dir / f"{config}.jsonl"
        rows[config], read_problems = read_jsonl(path, missing_ok=True)
        problems += read_problems
    problems += check_annotations(rows, articles)
    raise_if(problems)
    return rows


def check_annotations(rows: dict[str, list[Row]], articles: dict[str, Article]) -> list[Problem]:
    """Check annotation rows like a release, deriving the released fields of the sound ones in place."""
    return check_records(rows, derive_from=articles)


def released_records(rows: dict[str, list[Row]]) -> dict[str, list[dict[str, Any]]]:
    records = {}
    for config in CONFIGS:
        record_type = RECORD_TYPES[config]
        schema = record_schema(config)
        records[config] = sorted((ordered(row.data, schema) for row in rows[config]), key=record_type.sort_key)
    # The synthetic configs are not annotated: they are derived from the gold records just read.
    records.update(synthetic_records(records))
    return records


def gold_lines(config: str, records: list[dict[str, Any]]) -> str:
    """Records in the canonical form of an annotation file: derived fields dropped, schema key order, sorted."""
    record_type = RECORD_TYPES[config]
    schema = record_schema(config)
    kept = [{k: v for k, v in record.items() if k not in record_type.derived} for record in records]
    return format_jsonl(sorted((ordered(r, schema) for r in kept), key=record_type.sort_key))


def write_annotations(folder: Path, records: dict[str, list[dict[str, Any]]]) -> list[Path]:
    """Write annotation files (gold or a pass) atomically, one per config given."""
    written = []
    for config, config_records in records.items():
        path = folder / f"{config}.jsonl"
        write_text_atomic(path, gold_lines(config, config_records))
        written.append(path)
    return written


def file_entry(path: Path, rows: int) -> dict[str, Any]:
    return {"sha256": sha256_file(path), "rows": rows}


def manifest_files(folder: Path, rows: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Manifest entries for every file of a release folder: each config's JSONL and Parquet files with their
    row counts, then every other file (the card, the Croissant metadata) by path."""
    files = {}
    for config in CONFIGS:
        for path in (release_file(folder, config), parquet_file(folder, config)):
            files[path.relative_to(folder).as_posix()] = file_entry(path, rows[config])
    for path in release_paths(folder):
        files.setdefault(path.relative_to(folder).as_posix(), {"sha256": sha256_bytes(path.read_bytes())})
    return files


def write_release(target: Path, records: dict[str, list[dict[str, Any]]]) -> None:
    for config in CONFIGS:
        path = release_file(target, config)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(format_jsonl(records[config]), encoding="utf-8", newline="\n")
    for writer in EXTRA_WRITERS:
        writer(target, records)
    files = manifest_files(target, {config: len(records[config]) for config in CONFIGS})
    manifest = {"name": DATASET_NAME, "version": __version__, "split": "test", "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def derived_problems(data_dir: Path, rows: Mapping[str, Sized], parquet: list[Problem] | None = None) -> list[Problem]:
    """Problems of the files the extra writers derive from sound records and a sound manifest.

    The Parquet files and the card derive from the records; the Croissant metadata from the Parquet and JSONL
    hashes, so it is checked only once the Parquet files are sound (a stale Parquet file is one problem).
    ``parquet``: the problems of the Parquet files, found already (``rows`` then need only their lengths).
    """
    version = str(json.loads((data_dir / MANIFEST).read_text(encoding="utf-8")).get("version", ""))
    problems = parquet_problems(data_dir, rows) if parquet is None else parquet  # type: ignore[arg-type]
    croissant = [] if problems else croissant_problems(data_dir, version)
    return problems + card_problems(data_dir, rows, version) + croissant


def build(root: Path) -> BuildResult:
    """Build the release of the project at ``root`` into ``root/data``; raises InputError on any problem.

    A build that would leave an annotated config of the current release without a record (its gold file
    missing or emptied) refuses: losing gold takes deleting ``data/<config>/`` first, on purpose.
    """
    data_dir = root / DATA_DIR
    articles = load_corpus(root / RAW_DIR)
    records = released_records(read_gold(root, articles))
    raise_if(_gold_lost(root, records))
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=data_dir))
    try:
        write_release(staging, records)
        raise_if(validate_release(staging))
        changed = _changed_files(staging, data_dir)
        _move_into_place(staging, data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(data_dir, {config: len(records[config]) for config in CONFIGS}, changed)


def annotated_configs() -> tuple[str, ...]:
    """The configs read from annotation files (the gold), as opposed to the raw articles and the synthetic
    configs the build derives."""
    return tuple(config for config in CONFIGS
                 if RECORD_TYPES[config].task != "corpus" and config not in SYNTHETIC_CONFIGS.values())


def _gold_lost(root: Path, records: dict[str, list[dict[str, Any]]]) -> list[Problem]:
    """One problem when a config that has records in ``root/data`` would have none after the build."""
    lost = []
    for config in annotated_configs():
        path = release_file(root / DATA_DIR, config)
        if not records[config] and path.is_file():
            with path.open("rb") as stream:
                rows = sum(1 for line in stream if line.strip())
            if rows:
                lost.append(f"{config} ({rows} record{'s' if rows > 1 else ''})")
    if not lost:
        return []
    return [Problem(str(root / GOLD_DIR), 0, "-", f"no gold record of {', '.join(lost)}, which the release has; "
                                                  "refusing to build a release without it: restore the gold files "
                                                  "(to drop a layer on purpose, delete data/<config>/ first)")]


def _release_entries(folder: Path) -> list[str]:
    """The top-level names a release consists of (config folders and the manifest), not raw/."""
    return sorted(p.name for p in folder.iterdir() if p.name != "raw" and not p.name.startswith("."))


def _changed_files(new: Path, old: Path) -> list[str]:
    changed = []
    for path in sorted(p for p in new.rglob("*") if p.is_file()):
        relative = path.relative_to(new)
        previous = old / relative
        if not previous.exists() or previous.read_bytes() != path.read_bytes():
            changed.append(relative.as_posix())
    return changed


def _move_into_place(staging: Path, data_dir: Path) -> None:
    """Swap the release entry by entry; on any interruption put every old entry back.

    Old entries wait in a side folder and are deleted only once every new entry is in place. Entries the new
    release no longer has are retired too, so a config that was dropped does not linger in ``data/``.
    """
    retired = Path(tempfile.mkdtemp(prefix=".previous-", dir=data_dir))
    new_entries = _release_entries(staging)
    touched: list[str] = []
    try:
        for name in sorted(set(new_entries) | set(_release_entries(data_dir))):
            touched.append(name)
            if (data_dir / name).exists():
                (data_dir / name).rename(retired / name)
            if name in new_entries:
                (staging / name).rename(data_dir / name)
    except BaseException:
        # KeyboardInterrupt included: a half-swapped release is worse than either whole one.
        for name in touched:
            if (retired / name).exists():
                _remove(data_dir / name)
                (retired / name).rename(data_dir / name)
        if not any(retired.iterdir()):
            retired.rmdir()
        raise
    shutil.rmtree(retired)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def check_up_to_date(root: Path) -> list[Problem]:
    """Problems when ``root/data`` is not what a build of the current gold would write."""
    data_dir = root / DATA_DIR
    articles = load_corpus(root / RAW_DIR)
    records = released_records(read_gold(root, articles))
    with tempfile.TemporaryDirectory(prefix=".check-", dir=data_dir) as staging:
        write_release(Path(staging), records)
        return [Problem(str(data_dir / name), 0, "-", "out of date with the gold; run `newsgold build`")
                for name in _changed_files(Path(staging), data_dir)]

