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


def test_the_command_line_takes_a_scheduler_address(synthetic: tuple[Path, Path, Path], cluster,  # type: ignore[no-untyped-def]
                                                    capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gold, pairs, _ = synthetic
    code, _, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pairs), "--gold-dir", str(gold),
                           "--dask", cluster.scheduler.address, "--bootstrap", "50", "--json", str(tmp_path / "d.json"))
    assert code == 0, err
    code, _, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pairs), "--gold-dir", str(gold),
                           "--bootstrap", "50", "--json", str(tmp_path / "one.json"))
    assert json.loads((tmp_path / "d.json").read_text()) == json.loads((tmp_path / "one.json").read_text())
