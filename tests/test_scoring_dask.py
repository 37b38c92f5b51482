"""Scoring on a real Dask cluster (two worker processes on this machine) gives the one-process report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from newsgold.records import RELATIONS
from newsgold.scoring import score

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A synthetic release of 400 pairs in several clusters, and predictions with every third pair or line wrong."""
    from newsgold.synth.release import write_synthetic_release

    folder = tmp_path_factory.mktemp("dask")
    gold = folder / "synth"
    write_synthetic_release(gold, 400, seed=3, source=REPO / "data", progress=False)
    pairs, lines = folder / "doc_pairs.jsonl", folder / "boilerplate.jsonl"
    with pairs.open("w") as out:
        for number, line in enumerate((gold / "doc_pairs_synthetic" / "test.jsonl").open()):
            record = json.loads(line)
            relation = RELATIONS[(RELATIONS.index(record["relation"]) + (number % 3 == 0)) % len(RELATIONS)]
            out.write(json.dumps({"a": record["a"], "b": record["b"], "relation": relation,
                                  "score": (number * 7919) % 101 / 100}) + "\n")
    with lines.open("w") as out:
        for number, line in enumerate((gold / "boilerplate_synthetic" / "test.jsonl").open()):
            record = json.loads(line)
            out.write(json.dumps({"article_id": record["article_id"], "line_no": record["line_no"],
                                  "is_boilerplate": record["is_boilerplate"] != (number % 3 == 0)}) + "\n")
    return gold, pairs, lines


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small release with its third article made a story of its own, with an event of its own: a release
    whose metrics of clusters are resampled by article cluster."""
    from conftest import MINI, copy_tree
    from newsgold.release.build import build

    root = copy_tree(MINI, tmp_path_factory.mktemp("stories") / "mini")
    raw, gold = root / "data" / "raw", root / "annotation" / "gold"
    (raw / "other").mkdir()
    (raw / "mini" / "a3.txt").rename(raw / "other" / "a3.txt")
    manifest = json.loads((raw / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        entry["path"] = entry["path"].replace("mini/a3", "other/a3")
    (raw / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    pairs = gold / "doc_pairs.jsonl"
    pairs.write_text("".join(line + "\n" for line in pairs.read_text(encoding="utf-8").splitlines()
                             if '"a3"' not in line), encoding="utf-8")  # pairs never cross stories
    with (gold / "events.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"event_id": "ev-rain", "type": "other", "date": "2024-01-02", "place": None,
                              "participants": [], "description": "It rains in Lyon."}) + "\n")
    with (gold / "event_mentions.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"mention_id": "m-a3-01", "article_id": "a3", "start": 17, "end": 23, "text": "rained",
                              "event_id": "ev-rain"}) + "\n")
    build(root)
    return root / "data"


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield client


@pytest.mark.parametrize("task", ["doc_pairs", "boilerplate"])
def test_a_cluster_gives_the_one_process_report(synthetic: tuple[Path, Path, Path], cluster, task: str) -> None:  # type: ignore[no-untyped-def]
    from newsgold.release.dataset import Release
    from newsgold.scoring.dask import partitions
    from newsgold.scoring.dask import score as score_on

    gold, pairs, lines = synthetic
    predictions = pairs if task == "doc_pairs" else lines
    assert len(partitions(Release.load(gold), 8)) > 1
    alone = score(task, predictions, gold, bootstrap=200, seed=5)
    spread = score_on(task, predictions, gold, cluster, bootstrap=200, seed=5)
    assert spread == alone
    assert spread["ci"]


@pytest.mark.parametrize("task", ["events", "passages"])
def test_a_cluster_gives_the_one_process_intervals_of_clusters(two_stories: Path, cluster, task: str) -> None:  # type: ignore[no-untyped-def]
    from newsgold.release.dataset import Release
    from newsgold.scoring.dask import partitions
    from newsgold.scoring.dask import score as score_on

    gold = Release.load(two_stories)
    assert len(partitions(gold, 8)) == 2  # one partition per story
    if task == "events":
        mentions = gold.records["event_mentions"]
        # One mention missed, and one linked to the other story's event: clusters across articles and stories.
        predictions = [{"article_id": m["article_id"], "start": m["start"], "end": m["end"],
                        "event": "ev-rain" if m["mention_id"] == "m-a2-02" else m["event_id"]} for m in mentions[1:]]
    else:
        predictions = [{"cluster": [{k: m[k] for k in ("article_id", "start", "end")} for m in c["members"]]}
                       for c in gold.records["passages"]]
    alone = score(task, predictions, gold, bootstrap=200, seed=5)
    spread = score_on(task, predictions, two_stories, cluster, bootstrap=200, seed=5)
    assert spread == alone
    clustered = "coref" if task == "events" else "links"
    assert spread["bootstrap"]["unit"][clustered] == "article cluster"
    assert spread["ci"][clustered]  # two stories: intervals, not the one-story reason
    assert "ci" not in spread.get("undefined", {}) or clustered not in spread["undefined"]["ci"]


def test_the_command_line_takes_a_scheduler_address(synthetic: tuple[Path, Path, Path], cluster,  # type: ignore[no-untyped-def]
                                                    capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gold, pairs, _ = synthetic
    code, _, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pairs), "--gold-dir", str(gold),
                           "--dask", cluster.scheduler.address, "--bootstrap", "50", "--json", str(tmp_path / "d.json"))
    assert code == 0, err
    code, _, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pairs), "--gold-dir", str(gold),
                           "--bootstrap", "50", "--json", str(tmp_path / "one.json"))
    assert json.loads((tmp_path / "d.json").read_text()) == json.loads((tmp_path / "one.json").read_text())
