"""Scoring on a Dask cluster (the optional extra ``newsgold[distributed]``): statistics on the workers, the
report on the client.

:func:`score` splits the release's articles into partitions of whole clusters (a pair, a line, a passage and
a coreference chain never leave their cluster, so no scored unit is cut), sends each partition's checked
predictions to a worker, which computes their per-article sufficient statistics
(:func:`newsgold.scoring.statistics`) against the release folder, and merges the parts on the client
(:func:`newsgold.scoring.merge`). The statistics of disjoint articles add up (a system's cluster that spans
partitions is joined again by its label), and the report, bootstrap intervals included, is a function of their
sum and of the articles' clusters, which the client reads from the release as the one-process path does (the
metrics of clusters resample whole article clusters), so it equals the one-process report to the last bit::

    from dask.distributed import Client
    from newsgold.scoring.dask import score

    client = Client("tcp://scheduler:8786")
    report = score("doc_pairs", "doc_pairs.jsonl", "synth-10m", client, bootstrap=1000)

or ``newsgold score doc_pairs --pred doc_pairs.jsonl --gold-dir synth-10m --dask tcp://scheduler:8786``.
Every worker must see the release folder at the same path (a shared or copied folder; it reads only the
configs the task needs). docs/performance.md shows how to partition the files themselves when neither the
predictions nor the gold fit on one machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..release.dataset import Release
from . import load_gold, merge, read_predictions, report, statistics
from .core import Report, Source, Statistics
from .tables import RecordTable

if TYPE_CHECKING:
    from dask.distributed import Client

# The field that names a flat record's article, by scorer (a pair's articles share a cluster: ``a`` will do).
ARTICLE_FIELD = {"doc_pairs": "a", "boilerplate": "article_id", "boilerplate_text": "article_id",
                 "quotes": "article_id", "events": "article_id"}


def partitions(gold: Release, count: int) -> list[list[str]]:
    """The articles in ``count`` partitions (fewer when there are fewer clusters) of whole clusters, dealt in
    the sorted order of the clusters, each partition's articles sorted."""
    if count < 1:
        raise ValueError("partitions must be 1 or more")
    index = gold.article_index
    ids = index.ids.to_pylist()
    clusters = np.unique(index.clusters)
    part_of = np.zeros(len(clusters) and clusters.max() + 1, dtype=np.int64)
    part_of[clusters] = np.arange(len(clusters)) % count
    out: list[list[str]] = [[] for _ in range(min(count, len(clusters)))]
    for article_id, cluster in zip(ids, index.clusters.tolist(), strict=True):
        out[int(part_of[cluster])].append(article_id)
    return out


def _records_of(task: str, records: Sequence[dict[str, Any]], article_ids: list[str]) -> Sequence[dict[str, Any]]:
    """The records a partition needs: those of its articles where the records are columns; all of them else."""
    if isinstance(records, RecordTable) and task in ARTICLE_FIELD:
        keep = pc.is_in(records.column(ARTICLE_FIELD[task]), value_set=pa.array(article_ids, type=pa.string()))
        return records.where(np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool))
    return records


@cache
def _release(folder: str, manifest_sha256: str) -> Release:
    # One lazily read release per worker process and folder; the client validated it (the hash pins it).
    release = Release.load(folder, validate=False)
    if release.manifest_sha256 != manifest_sha256:
        raise RuntimeError(f"{folder} on this worker is not the release the client validated")
    return release


def _statistics(task: str, folder: str, manifest_sha256: str, records: Sequence[dict[str, Any]],
                article_ids: list[str]) -> Statistics:
    """On a worker: the statistics of one partition."""
    return statistics(task, records, _release(folder, manifest_sha256), article_ids)


def score(task: str, predictions: Source, gold: Release | str | Path, client: Client | str, *,
          bootstrap: int = 0, seed: int = 0, singletons: bool = True, parts: int | None = None,
          fuzzy: float | None = None) -> Report:
    """The report of :func:`newsgold.scoring.score`, with the statistics computed on a Dask cluster.

    ``client``: a ``dask.distributed.Client`` or a scheduler address. ``gold``: a release folder (a
    :class:`Release` read from one), which every worker reads at the same path. ``parts``: partitions of
    whole clusters (default: four per worker thread).
    """
    from dask.distributed import Client

    release = load_gold(gold)
    if not release.sources:
        raise ValueError("scoring on a cluster needs the gold as a release folder that the workers can read")
    records = read_predictions(task, predictions, release, fuzzy=fuzzy)
    own = isinstance(client, str)
    connected = Client(client) if isinstance(client, str) else client
    try:
        threads = sum(connected.nthreads().values()) or 1
        folder = str(Path(release.data_dir).resolve())
        futures = [connected.submit(_statistics, task, folder, release.manifest_sha256,
                                    _records_of(task, records, article_ids), article_ids, pure=False)
                   for article_ids in partitions(release, parts or 4 * threads)]
        found = connected.gather(futures)
    finally:
        if own:
            connected.close()
    return report(task, merge(found), release, bootstrap=bootstrap, seed=seed, singletons=singletons)
