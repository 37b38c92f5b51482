"""Where the released data and the schemas are: inside an installed wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_release"
_CHECKOUT = Path(__file__).resolve().parents[2]


def release_root() -> Path:
    """The folder holding ``data/`` and ``schema/``: the wheel's copy, else the source checkout."""
    return _PACKAGED if (_PACKAGED / "schema").is_dir() else _CHECKOUT


def schema_dir() -> Path:
    return release_root() / "schema"


def data_dir() -> Path:
    return release_root() / "data"
