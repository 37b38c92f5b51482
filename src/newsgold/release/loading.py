"""``newsgold.load``: one config of a release as a Hugging Face ``datasets.Dataset``.

It wraps ``datasets.load_dataset(<release folder>, config, split="test")`` and removes the three traps of a
local folder:

- ``datasets`` keys its cache on the card and the file patterns, not on the files' contents, so an edited
  release could load stale rows. The files are checked against their manifest first, and the cache folder
  is named after the manifest's sha256, which pins every file: new content, new cache.
- ``revision=`` is ignored for a local folder. ``version=`` loads a release by its version number: the
  commit that ``releases.json`` records for it (or, for a version it lacks, the tag ``v<version>``), whose
  ``data/`` is exported from git into a folder of its own (see :mod:`newsgold.release.revisions`).
- ``datasets`` cannot load a split with no rows; a config that is not annotated yet comes back as an empty
  ``Dataset`` with the config's features.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..corpus import sha256_bytes
from ..errors import InputError, Problem, raise_if
from ..paths import data_dir as shipped_data_dir
from ..paths import release_root
from .layout import MANIFEST, SPLIT
from .revisions import release_data, source_checkout
from .validate import manifest_problems, read_release

if TYPE_CHECKING:
    from datasets import Dataset

CACHE_NAME = "newsgold"


def default_cache() -> Path:
    """``<HF_DATASETS_CACHE>/newsgold``: beside every other ``datasets`` cache, and moved with it."""
    import datasets

    return Path(datasets.config.HF_DATASETS_CACHE) / CACHE_NAME


def release_folder(version: str | None = None, *, root: Path | str | None = None,
                   cache_dir: Path | str | None = None) -> Path:
    """The data folder of release ``version`` (default: the shipped one).

    Another version is found in ``releases.json`` and read from the git checkout at ``root`` (default: the one
    newsgold runs from); without a checkout, only a release equal to the shipped one is at hand.
    """
    if version is None:
        return shipped_data_dir()
    source = Path(root) if root is not None else release_root()
    cache = Path(cache_dir) if cache_dir is not None else default_cache()
    folder, _ = release_data(version, source, source_checkout(source, given=root is not None), cache / "releases")
    return folder


def load(config: str, version: str | None = None, *, data_dir: Path | str | None = None,
         root: Path | str | None = None, cache_dir: Path | str | None = None) -> Dataset:
    """The ``test`` split of ``config`` as a ``datasets.Dataset``.

    ``version``: a released version, found through ``releases.json``; ``data_dir``: any release folder instead.
    ``cache_dir`` defaults to ``<HF_DATASETS_CACHE>/newsgold``. Raises InputError when the config is unknown,
    the version cannot be found, or the release's files do not match its manifest.
    """
    import datasets

    from ..records import CONFIGS
    from .hub import CARD, features, parquet_file

    if config not in CONFIGS:
        raise InputError([Problem("<config>", 0, "config", f"unknown config {config!r}; one of: {', '.join(CONFIGS)}")])
    if data_dir is not None and version is not None:
        raise InputError([Problem("<arguments>", 0, "version", "give a version or a data_dir, not both")])
    folder = Path(data_dir) if data_dir is not None else release_folder(version, root=root, cache_dir=cache_dir)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise InputError([Problem(str(manifest_path), 0, "-", "not a release folder: no manifest")])
    rows, problems = read_release(folder)
    raise_if(problems + manifest_problems(folder, rows))
    manifest_bytes = manifest_path.read_bytes()
    entry = json.loads(manifest_bytes).get("files", {}).get(parquet_file(Path(), config).as_posix())
    if entry is None or not (folder / CARD).is_file():
        raise InputError([Problem(str(folder), 0, "-", "this release has no Parquet files and dataset card; it "
                                                      "predates loading with datasets, read it with Release.load")])
    config_features = features(config)
    if entry.get("rows") == 0:
        return datasets.Dataset.from_dict({name: [] for name in config_features}, features=config_features,
                                          split=SPLIT)
    cache = Path(cache_dir) if cache_dir is not None else default_cache()
    return datasets.load_dataset(str(folder), config, split=SPLIT,
                                 cache_dir=str(cache / sha256_bytes(manifest_bytes)[:16]))
