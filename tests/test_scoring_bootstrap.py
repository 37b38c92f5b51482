"""The bootstrap's units: articles for the metrics of counts and rows, article clusters (stories) for the metrics
of clusters, each drawn copy of a story with clusters of its own (module docstring of newsgold.scoring.core)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.corpus import Article
from newsgold.metrics.coref import Table, scores
from newsgold.release.dataset import Release
from newsgold.scoring import compare, read_predictions, score, scorer
from newsgold.scoring.core import (
    NO_REPLICATE,
    ONE_CLUSTER,
    Cells,
    Options,
    Statistics,
    Totals,
    _replicates,
    article_clusters,
    build_report,
    layered_table,
    lookup,
    weighted_sum,
)
from test_scoring_properties import random_predictions
from test_scoring_support import TASKS, mini_gold, perfect, releases

pytestmark = pytest.mark.filterwarnings("ignore::newsgold.errors.InputWarning")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COREF = [path for path in scorer("events").headline if path.startswith("coref")]

TEXT = "Alice met Bob. They met again.\n"  # two mentions, "met" at [6, 9) and [20, 23); a passage at [0, 14)
MENTIONS = ((6, 9), (20, 23))


def stories(count: int, articles: int, mentions: int = 2) -> Release:
    """``count`` stories alike: ``articles`` articles each, every one with ``mentions`` mentions of its story's one
    event and the story's one copied passage."""
    texts: dict[str, Article] = {}
    records: dict[str, list[dict[str, Any]]] = {config: [] for config in (
        "entities", "boilerplate", "quotes", "doc_pairs")}
    records["events"], records["event_mentions"], records["passages"] = [], [], []
    for s in range(count):
        records["events"].append({"event_id": f"ev{s}", "type": "meeting"})
        members = []
        for a in range(articles):
            article_id = f"s{s}a{a}"
            texts[article_id] = Article.from_text(article_id, f"story{s}", TEXT)
            for number, (start, end) in enumerate(MENTIONS[:mentions]):
                records["event_mentions"].append({"mention_id": f"m-{article_id}-{number}", "article_id": article_id,
                                                  "start": start, "end": end, "text": TEXT[start:end],
                                                  "event_id": f"ev{s}"})
            members.append({"article_id": article_id, "start": 0, "end": 14, "text": TEXT[0:14]})
        if articles >= 2:
            records["passages"].append({"passage_cluster_id": f"p{s}", "members": members})
    return Release(Path("<stories>"), "0.0.0", "0" * 64, texts, records)


def with_clusters(gold: Release, cluster_of: Mapping[str, str]) -> Release:
    """The release with each article in the given article cluster."""
    articles = {a: dataclasses.replace(article, cluster_id=cluster_of[a]) for a, article in gold.articles.items()}
    return Release(gold.data_dir, gold.version, gold.manifest_sha256, articles, gold.records)


def stats_of(task: str, predictions: list[dict[str, Any]], gold: Release) -> Statistics:
    return scorer(task).statistics(read_predictions(task, predictions, gold), gold, None)


def value_present(report: dict[str, Any], path: str) -> bool:
    try:
        lookup(report, path)
    except KeyError:
        return False
    return True


def alone(gold: Release) -> list[dict[str, Any]]:
    """Every gold event mention found, each a cluster of its own."""
    return [{k: v for k, v in record.items() if k != "event"} for record in perfect("events", gold)]


# ---------------------------------------------------------------------------------------------------------
# The copies of a story


@st.composite
def clustered_cells(draw: st.DrawFn) -> tuple[Cells, np.ndarray]:
    """Mentions in articles grouped into stories, with key and response clusters that may span articles and
    stories, some mentions on one side only; and the story of each article."""
    articles = draw(st.integers(1, 6))
    story = np.array([draw(st.integers(0, 2)) for _ in range(articles)], dtype=np.int64)
    story = np.unique(story, return_inverse=True)[1].reshape(-1).astype(np.int64)
    mentions = draw(st.integers(0, 25))
    article = [draw(st.integers(0, articles - 1)) for _ in range(mentions)]
    key: list[str | None] = []
    response: list[str | None] = []
    for _ in range(mentions):
        sides = draw(st.sampled_from(("both", "both", "both", "key", "response")))
        key.append(f"k{draw(st.integers(0, 4))}" if sides != "response" else None)
        response.append(f"r{draw(st.integers(0, 4))}" if sides != "key" else None)
    return Cells.build(article, key, response), story


def _same_tables(one: Table, other: Table) -> None:
    for a, b in zip(scores(one).values(), scores(other).values(), strict=True):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)


@given(clustered_cells())
@PROPERTY
def test_a_replicate_that_draws_every_story_once_is_the_whole(case: tuple[Cells, np.ndarray]) -> None:
    cells, _ = case
    whole = Table.from_cells(cells.key, cells.response, cells.count)
    once = layered_table(cells, np.ones(int(cells.article.max(initial=0)) + 1, dtype=np.int64))
    for mine, theirs in ((once.key, whole.key), (once.response, whole.response), (once.count, whole.count)):
        assert np.array_equal(mine, theirs)
    assert scores(once) == scores(whole)


@given(clustered_cells(), st.data())
@PROPERTY
def test_each_copy_of_a_story_has_clusters_of_its_own(case: tuple[Cells, np.ndarray], data: st.DataObject) -> None:
    cells, story = case
    drawn = np.array([data.draw(st.integers(0, 3)) for _ in range(int(story.max()) + 1)], dtype=np.int64)
    layered = layered_table(cells, drawn[story])
    # The same replicate written out mention by mention: copy j of a story names its clusters "label@j".
    article: list[int] = []
    key: list[str | None] = []
    response: list[str | None] = []
    for i in range(len(cells.count)):
        for j in range(int(drawn[story[cells.article[i]]])):
            article.append(int(cells.article[i]))
            key.append(None if cells.key[i] < 0 else f"{cells.key_labels[cells.key[i]]}@{j}")
            response.append(None if cells.response[i] < 0 else f"{cells.response_labels[cells.response[i]]}@{j}")
    written = Cells.build(article, key, response)
    _same_tables(layered, Table.from_cells(written.key, written.response, written.count))
    assert layered.count.dtype == np.int64  # integer arithmetic throughout


@given(st.data(), releases(), st.sampled_from(TASKS))
@PROPERTY
def test_a_replicate_that_draws_every_unit_once_reports_the_point_value(data: st.DataObject, gold: Release,
                                                                       task: str) -> None:
    chosen = scorer(task)
    stats = stats_of(task, random_predictions(data.draw, task, gold), gold)
    ones = np.ones(len(stats.articles), dtype=np.int64)
    options = Options(undefined=math.nan)
    assert repr(chosen.report(stats.total(ones, ones), options)) == repr(chosen.report(stats.total(), options))


def test_statistics_are_summed_without_floating_point_order() -> None:
    # The weighted sums of a replicate are integer products or math.fsum, so no order of terms shows in them.
    values = np.array([[0.1], [0.2], [0.3], [1e16], [-1e16]])
    weights = np.array([3, 1, 2, 1, 1], dtype=np.int64)
    assert weighted_sum(weights, values)[0] == math.fsum([0.1 * 3, 0.2, 0.3 * 2, 1e16, -1e16])
    assert weighted_sum(weights[::-1], values[::-1])[0] == weighted_sum(weights, values)[0]


# ---------------------------------------------------------------------------------------------------------
# Intervals


def test_a_perfect_response_on_two_stories_scores_one_in_every_replicate() -> None:
    gold = stories(2, 2)
    stats = stats_of("events", perfect("events", gold), gold)
    values = _replicates([stats], scorer("events"), Options(), COREF, 300, 4,
                         article_clusters(gold, stats.articles))[0]
    for path in COREF:
        assert np.all(values[path] == 1.0), path
    out = score("events", perfect("events", gold), gold, bootstrap=300, seed=4)
    assert all(lookup(out, f"ci.{path}") == [1.0, 1.0] for path in COREF)


def _old_article_copies(stats: Statistics, gold: Release, path: str, replicates: int, seed: int) -> list[float]:
    """The interval of the article bootstrap that put a drawn-twice article's mentions twice into the same key and
    response clusters (what the scorers did before article clusters were the unit)."""
    rng = np.random.default_rng(seed)
    n = len(stats.articles)
    chosen = scorer("events")
    values = []
    for _ in range(replicates):
        weights = np.bincount(rng.integers(0, n, size=n), minlength=n)
        tables = {name: Table.from_cells(c.key, c.response, c.count * weights[c.article])
                  for name, c in stats.cells.items()}
        counts = {name: weighted_sum(weights, array) for name, array in stats.counts.items()}
        found = lookup(chosen.report(Totals(int(weights.sum()), counts, tables, {}), Options(undefined=math.nan)),
                       path)
        values.append(float(found))
    low, high = np.percentile(values, [2.5, 97.5])
    return [float(low), float(high)]


def test_copies_of_a_story_do_not_link_to_each_other() -> None:
    # Ten stories alike, one article each, whose two mentions of one event the system leaves apart. Every story
    # scores the same, so every replicate must score what the whole does: MUC 0 (no response link at all).
    gold = stories(10, 1)
    stats = stats_of("events", alone(gold), gold)
    out = score("events", alone(gold), gold, bootstrap=400, seed=2)
    assert out["coref"]["muc"]["f1"] == 0.0
    for path in COREF:
        assert lookup(out, f"ci.{path}") == [lookup(out, path)] * 2, path
    # Copying an article into its own clusters linked each mention to its copy: MUC above 0 in nearly every
    # replicate, and an interval of the CoNLL F1 that left out the value of the whole.
    point = out["coref"]["conll_f1"]
    old = _old_article_copies(stats, gold, "coref.conll_f1", 400, 2)
    assert point < old[0]


@pytest.mark.parametrize("pattern", ["perfect", "alone", "one missed", "spurious"])
def test_every_interval_holds_the_point_value_when_every_unit_is_alike(pattern: str) -> None:
    gold = stories(4, 2)
    events = perfect("events", gold)
    if pattern == "alone":
        events = alone(gold)
    elif pattern == "one missed":
        events = [r for r in events if r["start"] != MENTIONS[0][0]]
    elif pattern == "spurious":
        events = [*events, *({"article_id": a, "start": 24, "end": 29, "type": "other"} for a in gold.articles)]
    passages = perfect("passages", gold)
    if pattern == "spurious":
        passages = [{"cluster": [*c["cluster"], *({"article_id": m["article_id"], "start": 15, "end": 30}
                                                  for m in c["cluster"])]} for c in passages]
    for task, predictions in (("events", events), ("passages", passages)):
        out = score(task, predictions, gold, bootstrap=200, seed=1)
        for path in scorer(task).headline:
            value = lookup(out, path)
            if value is not None:
                assert lookup(out, f"ci.{path}") == [value, value], (task, path)


@pytest.mark.parametrize("task", TASKS)
def test_every_interval_holds_the_point_value_of_perfect_predictions(task: str) -> None:
    gold = mini_gold()
    out = score(task, perfect(task, gold), gold, bootstrap=100, seed=3)
    for path in scorer(task).headline:
        value = lookup(out, path) if value_present(out, path) else None
        if value is None:
            continue  # undefined on the small release (a type with no gold span)
        interval = lookup(out, f"ci.{path}")
        if path.split(".")[0] in scorer(task).clustered:
            # The small release is one story.
            assert interval is None and lookup(out, f"undefined.ci.{path}") == ONE_CLUSTER
        else:
            assert interval[0] <= value <= interval[1], path


def test_a_metric_undefined_in_every_replicate_says_so() -> None:
    gold = stories(3, 2)
    out = score("events", [], gold, bootstrap=50, seed=0)
    assert out["spans"]["strict"]["precision"] == 0.0  # nothing predicted: the scorers' 0
    assert out["ci"]["spans"]["strict"]["precision"] is None
    assert out["undefined"]["ci"]["spans"]["strict"]["precision"] == NO_REPLICATE


def test_the_report_names_the_unit_of_each_section() -> None:
    gold = stories(3, 2)
    out = score("events", perfect("events", gold), gold, bootstrap=20)
    assert out["bootstrap"]["unit"] == {"spans": "article", "coref": "article cluster",
                                        "coref_end_to_end": "article cluster"}
    out = score("passages", perfect("passages", gold), gold, bootstrap=20)
    assert out["bootstrap"]["unit"] == {"links": "article cluster", "b3": "article cluster"}


# ---------------------------------------------------------------------------------------------------------
# Determinism, the paired bootstrap, and which statistics a metric reads


def test_the_same_seed_gives_the_same_numbers_whatever_the_order() -> None:
    gold = with_clusters(stories(5, 2), {f"s{s}a{a}": f"story{s % 3}" for s in range(5) for a in range(2)})
    predictions = perfect("events", gold)
    for number, record in enumerate(predictions):
        record["event"] = f"e{number % 4}"  # clusters that span articles and stories
    first = score("events", predictions, gold, bootstrap=200, seed=11)
    shuffled = predictions[:]
    random.Random(5).shuffle(shuffled)
    regold = Release(gold.data_dir, gold.version, gold.manifest_sha256, gold.articles,
                     {config: records[::-1] for config, records in gold.records.items()})
    assert score("events", shuffled, regold, bootstrap=200, seed=11) == first
    assert score("events", predictions, gold, bootstrap=200, seed=12)["ci"] != first["ci"]
    # The articles are drawn from the seed's own stream and the stories from its child stream: the intervals of
    # counts are those of a scorer that resamples no cluster.
    stats = stats_of("events", predictions, gold)
    without = build_report(dataclasses.replace(scorer("events"), clustered=()), stats, gold, Options(),
                           bootstrap=200, seed=11)
    assert without["ci"]["spans"] == first["ci"]["spans"]
    assert without["ci"]["coref"] != first["ci"]["coref"]


def test_compare_draws_the_same_stories_for_both_systems() -> None:
    gold = stories(4, 2)
    out = compare("events", perfect("events", gold), alone(gold), gold, bootstrap=200, seed=0)
    assert out["counts"] == {"articles": 8, "article_clusters": 4}
    assert out["bootstrap"]["unit"]["coref"] == "article cluster"
    row = out["compare"]["coref"]["muc"]["f1"]
    # Every story alike: every replicate's difference is the whole's.
    assert row["difference"] == 1.0 and row["ci"] == [1.0, 1.0] and row["p_value"] == 2 / 201
    same = compare("events", alone(gold), alone(gold), gold, bootstrap=50)["compare"]["coref"]["conll_f1"]
    assert same["difference"] == 0 and same["ci"] == [0.0, 0.0] and same["p_value"] == 1.0
    one_story = compare("events", perfect("events", mini_gold()), [], mini_gold(), bootstrap=20)
    assert one_story["compare"]["coref"]["conll_f1"]["ci"] is None
    assert one_story["compare"]["coref"]["conll_f1"]["p_value"] is None
    assert one_story["undefined"]["compare"]["coref"]["conll_f1"] == {"ci": ONE_CLUSTER, "p_value": ONE_CLUSTER}
    assert one_story["compare"]["spans"]["strict"]["recall"]["ci"] == [1.0, 1.0]


@given(st.data(), releases(), st.sampled_from(TASKS))
@PROPERTY
def test_each_metric_reads_only_the_statistics_of_its_unit(data: st.DataObject, gold: Release, task: str) -> None:
    # A replicate sums counts and rows over drawn articles and tables over drawn stories: each metric must read
    # only its own, so a report of the counts of one prediction set and the tables of another is each one's.
    chosen = scorer(task)
    a = stats_of(task, random_predictions(data.draw, task, gold), gold).total()
    b = stats_of(task, random_predictions(data.draw, task, gold), gold).total()
    options = Options(undefined=math.nan)
    mixed = chosen.report(Totals(a.articles, a.counts, b.tables, a.rows), options)
    of_a, of_b = chosen.report(a, options), chosen.report(b, options)
    for path in chosen.headline:
        if not value_present(of_a, path):
            continue
        expected = of_b if path.split(".")[0] in chosen.clustered else of_a
        assert repr(lookup(mixed, path)) == repr(lookup(expected, path)), path


def test_article_clusters_are_numbered_by_the_release() -> None:
    gold = with_clusters(stories(3, 2), {"s0a0": "x", "s0a1": "y", "s1a0": "x", "s1a1": "z", "s2a0": "y",
                                         "s2a1": "y"})
    assert article_clusters(gold, sorted(gold.articles)).tolist() == [0, 1, 0, 2, 1, 1]
    assert article_clusters(gold, ["s1a1", "s2a0"]).tolist() == [1, 0]
    with pytest.raises(ValueError, match="not in the release"):
        article_clusters(gold, ["nowhere"])
