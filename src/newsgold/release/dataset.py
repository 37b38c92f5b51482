"""A release: its articles, its records by config, its version and manifest hash.

A release folder is read lazily, config by config, when first used: scoring ``doc_pairs`` reads the pairs and
the articles' ids and clusters, never the article texts nor the other configs. Configs are read from their
typed Parquet copies (``data/<config>/test.parquet``; the JSON Lines file where a release has no Parquet), and
:meth:`Release.table` gives a few columns of a config as an Arrow table without building a record per row.

Validating a folder (``validate=True``, the default) runs :func:`newsgold.release.validate.validate_once`: the full
check the first time, and no check while the folder is unchanged since it was found valid (its trust rule is
there).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..corpus import Article, sha256_bytes
from ..errors import InputError, Problem, raise_if
from ..paths import data_dir as shipped_data_dir
from ..records import CONFIGS, SYNTHETIC_CONFIGS
from .layout import MANIFEST, release_file
from .validate import validate_once

if TYPE_CHECKING:
    import pyarrow as pa

@dataclass(frozen=True)
class Source:
    """Where one config of a release folder is read from: the folder's ``config`` files (None: no records)."""

    folder: Path
    config: str | None

    def read(self) -> list[dict[str, Any]]:
        if self.config is None:
            return []
        parquet = self.folder / self.config / "test.parquet"
        if parquet.is_file():
            from .hub import read_parquet_records  # pyarrow and the card writer: only when a config is read

            return read_parquet_records(parquet, self.config)
        from ..jsonl import read_jsonl

        rows, problems = read_jsonl(release_file(self.folder, self.config))
        raise_if(problems)
        return [row.data for row in rows]

    def table(self, columns: list[str], dictionary: Collection[str] = ()) -> pa.Table:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .hub import arrow_schema

        if self.config is None:
            return _encoded(pa.table({column: pa.array([], type=pa.string()) for column in columns}), dictionary)
        parquet = self.folder / self.config / "test.parquet"
        if parquet.is_file():
            return pq.ParquetFile(parquet, read_dictionary=list(dictionary)).read(columns=columns)
        schema = arrow_schema(self.config)
        return _encoded(pa.Table.from_pylist(self.read(), schema=pa.schema([schema.field(c) for c in columns])),
                        dictionary)


def _encoded(table: pa.Table, dictionary: Collection[str]) -> pa.Table:
    """``table`` with the columns named in ``dictionary`` dictionary-encoded."""
    import pyarrow.compute as pc

    for name in dictionary:
        table = table.set_column(table.schema.get_field_index(name), name, pc.dictionary_encode(table.column(name)))
    return table


class _Records(Mapping[str, list[dict[str, Any]]]):
    """The records of each config, read from the folder when first asked for."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.read: dict[Source, list[dict[str, Any]]] = {}  # by source: a synthetic view reads its config once

    def __getitem__(self, config: str) -> list[dict[str, Any]]:
        source = self.sources[config]  # KeyError for an unknown config
        if source not in self.read:
            self.read[source] = source.read()
        return self.read[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


class _Articles(Mapping[str, Article]):
    """The articles by id, built from the ``articles`` config when first asked for."""

    def __init__(self, records: Mapping[str, list[dict[str, Any]]]) -> None:
        self.records = records

    @cached_property
    def built(self) -> dict[str, Article]:
        return {r["article_id"]: Article.from_text(r["article_id"], str(r["cluster_id"]), r["text"])
                for r in self.records["articles"]}

    def __getitem__(self, article_id: str) -> Article:
        return self.built[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.built)

    def __len__(self) -> int:
        return len(self.built)


@dataclass(frozen=True)
class ArticleIndex:
    """The articles' ids in sorted order, and a code for each one's cluster: what checks of ids need."""

    ids: pa.Array
    clusters: np.ndarray

    def codes(self, values: pa.Array) -> np.ndarray:
        """The position of each value among ``ids``, -1 where it is not an article id."""
        import pyarrow.compute as pc

        from .arrays import numbers

        return numbers(pc.index_in(values, value_set=self.ids), np.int64, null=-1)


@dataclass
class Release:
    data_dir: Path
    version: str
    manifest_sha256: str
    articles: Mapping[str, Article]
    records: Mapping[str, list[dict[str, Any]]] = field(repr=False)
    sources: dict[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path | str | None = None, *, validate: bool = True) -> Release:
        """The release in ``data_dir`` (default: the one shipped with the package), read config by config.

        With ``validate`` (the default) every problem of the release is raised at once as InputError (a folder
        found valid before and unchanged since is not checked again). A folder written by ``newsgold synth``
        reads as the gold of the ordinary configs: its synthetic articles, pairs and lines.
        """
        folder = Path(data_dir) if data_dir is not None else shipped_data_dir()
        if validate:
            raise_if(validate_once(folder))
        manifest_path = folder / MANIFEST
        try:
            manifest_bytes = manifest_path.read_bytes()
            manifest = json.loads(manifest_bytes)
        except (OSError, ValueError) as error:
            raise InputError([Problem(str(manifest_path), 0, "-", f"not a release folder: {error}")]) from None
        sources = {config: Source(folder, config) for config in CONFIGS}
        records = _Records(sources)
        release = cls(folder, str(manifest.get("version", "unknown")), sha256_bytes(manifest_bytes),
                      _Articles(records), records, sources)
        # A folder `newsgold synth` wrote: its synthetic configs are its gold.
        return release.synthetic_view() if "synthetic" in manifest else release

    def synthetic_view(self) -> Release:
        """The synthetic configs as the gold of the ordinary ones, which is what the scorers read.

        ``articles``, ``doc_pairs`` and ``boilerplate`` become the synthetic articles, pairs and lines (their
        provenance fields ride along). Layers annotated on the real articles are empty, since none of their
        articles is in the view; the entity registry stays, and the synthetic configs keep their own names too.
        """
        real_only = [config for config in CONFIGS if config not in SYNTHETIC_CONFIGS.values() and config != "entities"]
        if self.sources:
            sources = dict(self.sources)
            sources.update({config: Source(self.data_dir, None) for config in real_only})
            sources.update({ordinary: self.sources[synthetic] for ordinary, synthetic in SYNTHETIC_CONFIGS.items()})
            records: Mapping[str, list[dict[str, Any]]] = _Records(sources)
        else:
            view: dict[str, list[dict[str, Any]]] = {config: [] for config in real_only}
            view.update({ordinary: self.records.get(synthetic, [])
                         for ordinary, synthetic in SYNTHETIC_CONFIGS.items()})
            records = {**self.records, **view}
            sources = {}
        return Release(self.data_dir, self.version, self.manifest_sha256, _Articles(records), records, sources)

    def entities(self) -> dict[str, dict[str, Any]]:
        return {record["entity_id"]: record for record in self.records["entities"]}

    def table(self, config: str, columns: list[str], dictionary: Collection[str] = ()) -> pa.Table:
        """Some columns of a config as an Arrow table: read from the folder's Parquet file (those columns
        only) for a release folder, built from the records for a release held in memory. The string columns
        named in ``dictionary`` come dictionary-encoded (ids that recur take a few bytes a row)."""
        if config in self.sources:
            return self.sources[config].table(columns, dictionary)
        import pyarrow as pa

        from .hub import arrow_schema

        schema = pa.schema([arrow_schema(config).field(column).with_nullable(True) for column in columns])
        return _encoded(pa.Table.from_pylist([{column: record.get(column) for column in columns}
                                              for record in self.records.get(config, [])], schema=schema), dictionary)

    @cached_property
    def article_index(self) -> ArticleIndex:
        """The article ids, sorted, with their clusters (read without the article texts)."""
        from .arrays import strings

        if "articles" in self.sources:
            table = self.table("articles", ["article_id", "cluster_id"])
            ids, clusters = table.column("article_id").to_pylist(), table.column("cluster_id").to_pylist()
        else:
            ids = list(self.articles)
            clusters = [self.articles[article_id].cluster_id for article_id in ids]
        order = sorted(range(len(ids)), key=ids.__getitem__)
        codes: dict[str, int] = {}
        cluster_codes = np.array([codes.setdefault(str(clusters[i]), len(codes)) for i in order], dtype=np.int64)
        return ArticleIndex(strings([ids[i] for i in order]), cluster_codes)
