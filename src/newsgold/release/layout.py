"""Where a release keeps its files: the folders of a project and the file names inside a release folder.

The bottom of ``newsgold.release``: the build writes these paths, validation, loading and the derived files
read them, and nothing here imports any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..corpus import sha256_file

GOLD_DIR = Path("annotation") / "gold"
DATA_DIR = Path("data")
RAW_DIR = DATA_DIR / "raw"
DATASET_NAME = "newsgold"
MANIFEST = "MANIFEST.json"
SPLIT = "test"


def release_file(data_dir: Path, config: str) -> Path:
    return data_dir / config / f"{SPLIT}.jsonl"


def release_paths(data_dir: Path) -> list[Path]:
    """Every file of the release in ``data_dir`` but its manifest: not raw/, nor hidden build folders."""
    return sorted(path for path in data_dir.rglob("*")
                  if path.is_file() and path.name != MANIFEST
                  and not any(part == "raw" or part.startswith(".") for part in path.relative_to(data_dir).parts))


def file_entry(path: Path, rows: int) -> dict[str, Any]:
    """A manifest entry of a file with records: its sha256 and its number of rows."""
    return {"sha256": sha256_file(path), "rows": rows}
