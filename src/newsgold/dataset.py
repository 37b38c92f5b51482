"""A release read into memory: its articles, its records by config, its version and manifest hash."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import Article, sha256_bytes
from .errors import raise_if
from .paths import data_dir as shipped_data_dir
from .validate import MANIFEST, articles_from_rows, read_release, validate_release


@dataclass
class Release:
    data_dir: Path
    version: str
    manifest_sha256: str
    articles: dict[str, Article]
    records: dict[str, list[dict[str, Any]]] = field(repr=False)

    @classmethod
    def load(cls, data_dir: Path | str | None = None, *, validate: bool = True) -> Release:
        """Read the release in ``data_dir`` (default: the one shipped with the package).

        With ``validate`` (the default) every problem of the release is raised at once as InputError.
        """
        folder = Path(data_dir) if data_dir is not None else shipped_data_dir()
        if validate:
            raise_if(validate_release(folder))
        rows, problems = read_release(folder)
        raise_if(problems)
        manifest_bytes = (folder / MANIFEST).read_bytes()
        manifest = json.loads(manifest_bytes)
        release = cls(folder, manifest.get("version", "unknown"), sha256_bytes(manifest_bytes),
                      articles_from_rows(rows["articles"]),
                      {config: [row.data for row in config_rows] for config, config_rows in rows.items()})
        if "synthetic" in manifest:
            # A folder `newsgold synth` wrote: its synthetic configs are its gold.
            from .synth_release import as_gold

            return as_gold(release)
        return release

    def entities(self) -> dict[str, dict[str, Any]]:
        return {record["entity_id"]: record for record in self.records["entities"]}
