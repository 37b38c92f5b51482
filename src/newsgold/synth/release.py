"""``newsgold synth``: a synthetic release folder of any size, streamed to disk, and read back as gold.

A synthetic release folder is a release: the ordinary configs of its source release, copied byte for byte
(the synthetic records name those articles), the synthetic configs at the size asked for, the Parquet copies,
the dataset card and the Croissant metadata the build writes, and a manifest marked ``"synthetic"``.
``newsgold validate`` checks it like any release, and :meth:`~newsgold.release.dataset.Release.load` reads it as the
gold of the ordinary configs (``newsgold.records.SYNTHETIC_CONFIGS``), so every scorer scores against it unchanged::

    newsgold synth --n 100000 --out synth-100k
    newsgold score doc_pairs --pred predictions.jsonl --gold-dir synth-100k

Memory stays bounded whatever the size: clusters are generated one at a time, each config's JSON Lines are
written and hashed line by line, and its Parquet file gets one row group per batch. With the default size
and seed, the synthetic JSON Lines files are byte for byte the ones the build ships in ``data/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from ..errors import InputError, Problem
from ..jsonl import dumps
from ..paths import data_dir as shipped_data_dir
from ..paths import writable_output
from ..records import CONFIGS, SYNTHETIC_CONFIGS
from ..release.croissant import CROISSANT, croissant_text
from ..release.dataset import Release
from ..release.hub import _PARQUET_OPTIONS, arrow_schema, parquet_file, write_card
from ..release.layout import DATASET_NAME, MANIFEST, SPLIT, release_file, release_paths
from ..version import __version__
from . import DEFAULT_PAIRS, DEFAULT_SEED
from .documents import material
from .generate import generate, group_records

# Rows per Parquet row group: a batch is what is held in memory at once (articles are a few kB each).
BATCH_ROWS = {"articles_synthetic": 4096, "doc_pairs_synthetic": 65536, "boilerplate_synthetic": 65536}
LARGE = 100_000  # from this many pairs on, the progress bar shows even when stderr is not a terminal
_CHUNK = 1 << 20


@dataclass
class SynthResult:
    folder: Path
    rows: dict[str, int]
    relations: dict[str, int]
    seconds: float


def file_sha256(path: Path) -> str:
    """sha256 of a file read in chunks (the synthetic files may be larger than memory should hold)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _ConfigWriter:
    """One config's JSON Lines and Parquet files, written a batch at a time; the JSON Lines hashed as written."""

    def __init__(self, folder: Path, config: str) -> None:
        self.config = config
        self.jsonl = release_file(folder, config)
        self.parquet = parquet_file(folder, config)
        self.jsonl.parent.mkdir(parents=True, exist_ok=True)
        self.schema = arrow_schema(config)
        self.stream: IO[bytes] = self.jsonl.open("wb")
        self.table_writer = pq.ParquetWriter(self.parquet, self.schema, **_PARQUET_OPTIONS)
        self.digest = hashlib.sha256()
        self.rows = 0
        self.batch: list[dict[str, Any]] = []

    def add(self, records: list[dict[str, Any]]) -> None:
        data = "".join(dumps(record) + "\n" for record in records).encode("utf-8")
        self.stream.write(data)
        self.digest.update(data)
        self.rows += len(records)
        self.batch += records
        if len(self.batch) >= BATCH_ROWS[self.config]:
            self._flush()

    def _flush(self) -> None:
        # As the build writes it (newsgold.release.hub): a small config is one row group, so the bytes agree.
        if self.batch:
            table = pa.Table.from_pylist(self.batch, schema=self.schema)
            self.table_writer.write_table(table, row_group_size=table.num_rows)
            self.batch = []

    def close(self) -> dict[str, dict[str, Any]]:
        self._flush()
        self.table_writer.close()
        self.stream.close()
        root = self.jsonl.parents[1]
        return {self.jsonl.relative_to(root).as_posix(): {"sha256": self.digest.hexdigest(), "rows": self.rows},
                self.parquet.relative_to(root).as_posix(): {"sha256": file_sha256(self.parquet), "rows": self.rows}}

    def abort(self) -> None:
        """Close the files of a failed write (the staging folder they are in is removed)."""
        if not self.stream.closed:
            self.table_writer.close()
            self.stream.close()


def write_synthetic_release(out: Path, pairs: int = DEFAULT_PAIRS, seed: int = DEFAULT_SEED,
                            source: Path | None = None, *, progress: bool | None = None) -> SynthResult:
    """Write a synthetic release of ``pairs`` document pairs derived from the release in ``source``.

    The folder is written beside ``out`` and moved into place when complete. An existing ``out`` is replaced
    only if it is empty or a synthetic release itself.
    """
    began = time.perf_counter()
    _check_target(out)
    source = Path(source) if source is not None else shipped_data_dir()
    release = Release.load(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        files, rows = _copy_ordinary(source, staging)
        relations: Counter[str] = Counter()
        found = material(release.records)
        shown = progress if progress is not None else (sys.stderr.isatty() or pairs >= LARGE)
        writers = {config: _ConfigWriter(staging, config) for config in SYNTHETIC_CONFIGS.values()}
        try:
            with tqdm(total=pairs, desc="synth", unit="pair", disable=not shown, file=sys.stderr, leave=False) as bar:
                for group in generate(found, pairs, seed):
                    for config, records in group_records(group).items():
                        writers[config].add(records)
                    relations.update(label.relation for label in group.labels.values())
                    bar.update(len(group.labels))
            for config, writer in writers.items():
                files.update(writer.close())
                rows[config] = writer.rows
        except BaseException:
            for writer in writers.values():
                writer.abort()
            raise
        _write_metadata(staging, files, rows, {"seed": seed, "pairs": pairs, "source_version": release.version,
                                               "source_manifest_sha256": release.manifest_sha256})
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SynthResult(out, rows, dict(sorted(relations.items())), time.perf_counter() - began)


def _check_target(out: Path) -> None:
    if not out.exists():
        return
    if out.is_dir() and (not any(out.iterdir()) or _synthetic_manifest(out) is not None):
        return
    raise InputError([Problem(str(out), 0, "-", "exists and is not a synthetic release; give a new folder")])


def _synthetic_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "synthetic" in manifest else None


def _copy_ordinary(source: Path, target: Path) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """Copy the source's ordinary configs (JSON Lines and Parquet), taking their entries from its manifest."""
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))["files"]
    files: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    for config in CONFIGS:
        if config in SYNTHETIC_CONFIGS.values():
            continue
        for path in (release_file(source, config), parquet_file(source, config)):
            relative = path.relative_to(source).as_posix()
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
            files[relative] = manifest[relative]
            rows[config] = manifest[relative]["rows"]
    return files, rows


def _write_metadata(folder: Path, files: dict[str, dict[str, Any]], rows: dict[str, int],
                    synthetic: dict[str, Any]) -> None:
    """The card, the Croissant metadata and the manifest, as the build's writers make them (newsgold.release.build)."""
    # The card depends on the row counts only; ranges stand in for records that are not held in memory.
    write_card(folder, {config: range(rows.get(config, 0)) for config in CONFIGS})
    ordered = {}
    for config in CONFIGS:
        for path in (release_file(folder, config), parquet_file(folder, config)):
            relative = path.relative_to(folder).as_posix()
            ordered[relative] = files[relative]
    (folder / CROISSANT).write_text(croissant_text(__version__, ordered), encoding="utf-8", newline="\n")
    for path in release_paths(folder):
        ordered.setdefault(path.relative_to(folder).as_posix(), {"sha256": file_sha256(path)})

    manifest = {"name": DATASET_NAME, "version": __version__, "split": SPLIT, "files": ordered,
                "synthetic": synthetic}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# Command line


def cmd_synth(args: argparse.Namespace) -> int:
    if args.n < 1:
        raise InputError([Problem("<command line>", 0, "--n", "the number of pairs must be 1 or more")])
    result = write_synthetic_release(writable_output(args.out), args.n, args.seed,
                                     Path(args.source) if args.source else None, progress=None)
    for config in SYNTHETIC_CONFIGS.values():
        print(f"{config:22} {result.rows[config]:9} rows")
    print("relations: " + ", ".join(f"{name} {count}" for name, count in result.relations.items()))
    print(f"{result.folder}: synthetic release, seed {args.seed}, {result.seconds:.1f} s; "
          f"score against it with --gold-dir {result.folder}")
    return 0
