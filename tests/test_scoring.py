"""The scoring contract: the report's dotted paths, the command line, bootstrap, comparison and sharding."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import run_cli
from newsgold import score
from newsgold.errors import InputWarning
from newsgold.scoring import compare, core, load_gold, merge, read_predictions, report, scorer, statistics
from newsgold.scoring.core import Statistics
from test_scoring_support import TASKS, defined_rates, mini_data, mini_gold, perfect, rate_paths, write_jsonl

# The dotted paths that other tools and CI gates rely on, task by task.
CONTRACT = {
    "quotes": [f"spans.{mode}.{metric}" for mode in ("strict", "exact", "partial", "type")
               for metric in ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual",
                              "precision", "recall", "f1")]
    + ["by_type.direct.strict.f1", "by_type.indirect.partial.recall", "speaker.accuracy", "end_to_end.f1"],
    "events": ["spans.strict.f1", "spans.type.precision", "by_type.meeting.exact.f1", "coref.conll_f1",
               *(f"coref.{m}.{x}" for m in ("muc", "b3", "ceafe", "ceafm", "blanc", "lea")
                 for x in ("precision", "recall", "f1")), "coref_end_to_end.conll_f1", "coref_end_to_end.lea.f1"],
    "boilerplate": [f"lines.{m}" for m in ("precision", "recall", "f1", "accuracy", "kappa")] + ["roles.macro_f1"],
    "boilerplate_text": ["tokens.precision", "tokens.recall", "tokens.f1"],
    "doc_pairs": ["relations.accuracy", "relations.macro_f1", "duplicate.precision", "duplicate.recall",
                  "duplicate.f1", "scores.roc_auc", "scores.average_precision", "scores.spearman"],
    "passages": ["links.precision", "links.recall", "links.f1", "b3.precision", "b3.recall", "b3.f1"],
}


def lookup(report: dict, path: str) -> object:
    value: object = report
    for part in path.split("."):
        assert isinstance(value, dict) and part in value, f"{path} missing from the report"
        value = value[part]
    return value


@pytest.mark.parametrize("task", TASKS)
def test_report_contract(task: str) -> None:
    gold = mini_gold()
    out = score(task, perfect(task, gold), gold, bootstrap=10, seed=1)
    assert out["task"] == task
    assert out["dataset"] == {"version": gold.version, "manifest_sha256": gold.manifest_sha256}
    assert out["counts"]["articles"] == 3
    for path in CONTRACT[task]:
        lookup(out, path)
    clustered = scorer(task).clustered
    assert out["bootstrap"] == {"replicates": 10, "seed": 1, "confidence": 0.95, "unit": {
        section: "article cluster" if section in clustered else "article" for section in out["ci"]}}
    for path in ("spans.strict.f1", "lines.f1", "tokens.f1", "relations.accuracy", "links.f1", "coref.conll_f1"):
        if path in CONTRACT[task] and path.split(".")[0] in clustered:
            # The small release is one story: nothing to resample for a metric of clusters.
            assert lookup(out, f"ci.{path}") is None
            assert lookup(out, f"undefined.ci.{path}") == "only one article cluster to resample"
        elif path in CONTRACT[task]:
            low, high = lookup(out, f"ci.{path}")  # type: ignore[misc]
            assert 0 <= low <= high <= 1
    json.dumps(out, allow_nan=False)  # the report is strict JSON


@pytest.mark.parametrize("task", TASKS)
def test_perfect_predictions_score_one(task: str) -> None:
    gold = mini_gold()
    assert all(value == 1.0 or value is None or math.isnan(value)
               for value in defined_rates(task, perfect(task, gold), gold).values())
    # In the report a rate of a type with no gold span is null, with its reason (docs/metrics.md).
    out = score(task, perfect(task, gold), gold)
    if task in ("quotes", "events"):
        assert lookup(out, "by_type.mixed.strict.precision" if task == "quotes" else "by_type.summit.strict.f1") is None
        assert lookup(out, "undefined.by_type.mixed.strict.precision" if task == "quotes"
                      else "undefined.by_type.summit.strict.f1") == ("no gold mixed quote" if task == "quotes"
                                                                     else "no gold summit event mention")


@pytest.mark.parametrize("task", TASKS)
def test_empty_predictions_score_zero_recall(task: str, tmp_path: Path) -> None:
    gold = mini_gold()
    with pytest.warns(InputWarning, match="the file is empty"):
        out = score(task, write_jsonl(tmp_path / f"{task}.jsonl", []), gold)
    recalls = {p: v for p, v in rate_paths(out).items() if p.endswith("recall")}
    assert recalls
    for path, value in recalls.items():
        if value is None:
            assert lookup(out, f"undefined.{path}").startswith("no gold "), path  # nothing to recall: null
            continue
        if path.startswith("coref.") and path.split(".")[1] in ("b3", "ceafe", "ceafm"):
            continue  # on gold mentions, nothing predicted is the all-singletons baseline (documented)
        # (MUC, BLANC and LEA give that baseline no credit here: the small release's event has three mentions.)
        assert value == 0.0, path


def test_python_api_takes_a_path_a_list_a_folder_or_a_release(tmp_path: Path) -> None:
    gold = mini_gold()
    records = perfect("quotes", gold)
    path = write_jsonl(tmp_path / "quotes.jsonl", records)
    by_list = score("quotes", records, gold)
    assert score("quotes", path, gold) == by_list
    assert score("quotes", str(path), mini_data()) == by_list


def test_scores_are_as_computed_by_hand(tmp_path: Path) -> None:
    gold = mini_gold()
    # a1's quote is [54, 64) "We agreed,"; predict [54, 63) with the right speaker by alias, and a spurious one.
    predictions = [{"article_id": "a1", "start": 54, "end": 63, "type": "direct", "speaker": "ALICE"},
                   {"article_id": "a3", "start": 0, "end": 7, "type": "direct", "speaker": "bob"}]
    out = score("quotes", predictions, gold)
    strict = out["spans"]["strict"]
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (0, 1, 1, 1)
    partial = out["spans"]["partial"]
    assert (partial["correct"], partial["partial"], partial["precision"], partial["recall"]) == (0, 1, 0.25, 0.25)
    typed = out["spans"]["type"]
    assert (typed["correct"], typed["precision"], typed["recall"]) == (1, 0.5, 0.5)
    assert out["speaker"] == {"matched": 1, "correct": 1, "accuracy": 1.0}
    assert out["end_to_end"] == {"correct": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert out["by_type"]["indirect"]["strict"]["missed"] == 1


def test_sharded_statistics_add_up_to_the_whole() -> None:
    gold = mini_gold()
    for task in TASKS:
        records = read_predictions(task, perfect(task, gold)[::-1], gold)
        whole = statistics(task, records, gold)
        parts = [statistics(task, records, gold, ids) for ids in (["a3"], ["a2", "a1"])]
        # The parts may travel between processes as JSON.
        parts = [Statistics.from_dict(json.loads(json.dumps(p.to_dict()))) for p in parts]
        assert report(task, merge(parts), gold) == report(task, whole, gold), task


def test_sharded_with_datasets_map() -> None:
    datasets = pytest.importorskip("datasets")
    gold = mini_gold()
    records = read_predictions("events", perfect("events", gold), gold)

    def shard(batch: dict[str, list[str]]) -> dict[str, list[str]]:
        stats = statistics("events", records, gold, batch["article_id"])
        return {"stats": [json.dumps(stats.to_dict())]}

    table = datasets.Dataset.from_dict({"article_id": sorted(gold.articles)})
    mapped = table.map(shard, batched=True, batch_size=2, remove_columns=["article_id"])
    merged = merge(Statistics.from_dict(json.loads(s)) for s in mapped["stats"])
    assert report("events", merged, gold) == score("events", records, gold)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    gold = mini_gold()
    wrong = [{"article_id": "a1", "start": 54, "end": 63, "type": "mixed"}]
    first = score("quotes", wrong, gold, bootstrap=200, seed=7)
    assert first["ci"] == score("quotes", wrong, gold, bootstrap=200, seed=7)["ci"]
    low, high = first["ci"]["spans"]["partial"]["f1"]
    assert low <= first["spans"]["partial"]["f1"] <= high


@pytest.mark.parametrize(("articles", "replicates", "repeat"), [
    (1, 1, True), (2, 3, True), (2, 2, False), (5, 126, True), (5, 125, False), (7, 1000, False), (10**6, 1000, False),
])
def test_draws_repeat_when_there_are_no_more_distinct_draws_than_replicates(articles: int, replicates: int,
                                                                              repeat: bool) -> None:
    assert core._draws_repeat(articles, replicates) is repeat
    if articles < 50:
        assert (math.comb(2 * articles - 1, articles) <= replicates) is repeat


def test_a_bootstrap_computing_each_distinct_draw_once_gives_the_same_numbers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gold = mini_gold()  # two articles: three distinct draws, so 300 replicates repeat them
    good, wrong = perfect("quotes", gold), [{"article_id": "a1", "start": 54, "end": 63, "type": "mixed"}]
    kept = score("quotes", wrong, gold, bootstrap=300, seed=5), compare("quotes", good, wrong, gold, bootstrap=300)
    monkeypatch.setattr(core, "_draws_repeat", lambda articles, replicates: False)
    assert kept == (score("quotes", wrong, gold, bootstrap=300, seed=5),
                    compare("quotes", good, wrong, gold, bootstrap=300))


def test_compare_is_paired_and_reports_difference_interval_and_p_value(tmp_path: Path) -> None:
    gold = mini_gold()
    good = perfect("quotes", gold)
    bad = good[:1]
    out = compare("quotes", good, bad, gold, bootstrap=300, seed=3)
    row = out["compare"]["spans"]["strict"]["recall"]
    assert (row["a"], row["b"], row["difference"]) == (1.0, 0.5, 0.5)
    low, high = row["ci"]
    assert 0 <= low <= high <= 1
    assert 0 < row["p_value"] <= 1
    same = compare("quotes", good, good, gold, bootstrap=50)["compare"]["spans"]["strict"]["f1"]
    assert same["difference"] == 0 and same["ci"] == [0.0, 0.0] and same["p_value"] == 1.0


def test_cli_score_summary_json_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini_gold()
    pred = write_jsonl(tmp_path / "quotes.jsonl", perfect("quotes", gold))
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()),
                             "--markdown", str(tmp_path / "m.md"), "--bootstrap", "20")
    assert (code, err) == (0, "")
    assert "spans.strict.f1" in out and "1.0000" in out
    assert "| `spans.strict.f1` | 1.0000 | [1.0000, 1.0000] |" in (tmp_path / "m.md").read_text(encoding="utf-8")
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()),
                             "--json", "-")
    assert code == 0 and json.loads(out)["spans"]["strict"]["f1"] == 1.0


def test_cli_score_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini_gold()
    for task in ("quotes", "boilerplate_text"):
        write_jsonl(tmp_path / f"{task}.jsonl", perfect(task, gold))
    code, _, _ = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()),
                         "--json", str(tmp_path / "r.json"), "--fail-under", "quotes.spans.strict.f1=0.9")
    assert code == 0
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert set(result) == {"task", "dataset", "counts", "quotes", "boilerplate_text"}
    assert result["boilerplate_text"]["tokens"]["f1"] == 1.0


def test_cli_fail_under(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini_gold()
    pred = write_jsonl(tmp_path / "quotes.jsonl", perfect("quotes", gold)[:1])
    args = ("score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()))
    code, _, err = run_cli(capsys, *args, "--fail-under", "spans.strict.f1=0.6", "--fail-under", "speaker.accuracy=1")
    assert code == 0 and err == ""
    code, out, err = run_cli(capsys, *args, "--fail-under", "spans.strict.recall=0.6")
    assert code == 1
    assert err == "below threshold: spans.strict.recall = 0.5000 < 0.6\n"
    assert "spans.strict.recall" in out  # the scores are still shown
    code, out, err = run_cli(capsys, *args, "--fail-under", "spans.strikt.f1=0.6")
    assert code == 2 and out == ""
    assert err.startswith("<command line>:0: --fail-under: no metric 'spans.strikt.f1' in the quotes report")
    code, out, err = run_cli(capsys, *args, "--fail-under", "spans.strict.f1")
    assert code == 2 and out == ""
    assert err == ("<command line>:0: --fail-under: expected METRIC=VALUE with a number, "
                   "got 'spans.strict.f1'\n")


def test_cli_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini_gold()
    a = write_jsonl(tmp_path / "a.jsonl", perfect("events", gold))
    b = write_jsonl(tmp_path / "b.jsonl", perfect("events", gold)[:2])
    code, out, _ = run_cli(capsys, "compare", str(a), str(b), "events", "--gold-dir", str(mini_data()),
                           "--bootstrap", "100", "--json", "-")
    assert code == 0
    result = json.loads(out)
    assert result["compare"]["spans"]["strict"]["recall"]["difference"] == pytest.approx(1 / 3)
    assert result["systems"] == {"a": str(a), "b": str(b)}


def test_no_singletons_flag_is_recorded_and_applied() -> None:
    gold = mini_gold()
    # Two predicted clusters for the three mentions of one event.
    predictions = perfect("events", gold)
    predictions[0]["event"] = "elsewhere"
    kept = score("events", predictions, gold)
    dropped = score("events", predictions, gold, singletons=False)
    assert kept["settings"] == {"singletons": True} and dropped["settings"] == {"singletons": False}
    assert kept["coref"]["b3"]["precision"] == 1.0
    # Without singletons the lone mention leaves the response, so recall falls and precision stays.
    assert dropped["coref"]["b3"]["recall"] < kept["coref"]["b3"]["recall"]
    assert dropped["coref"]["muc"] == kept["coref"]["muc"]


def test_load_gold_defaults_to_the_shipped_release(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgold.release.dataset

    monkeypatch.setattr(newsgold.release.dataset, "shipped_data_dir", mini_data)
    assert load_gold(None).manifest_sha256 == mini_gold().manifest_sha256



def test_doc_pair_scores_count_by_rank_only() -> None:
    """An unscored pair ranks below every scored one at any scale (``min - 1`` tied with the minimum at 1e17)."""
    from scipy.stats import spearmanr

    from newsgold.corpus import Article
    from newsgold.release.dataset import Release

    articles = {a: Article.from_text(a, "c", "Some text.\n") for a in ("a1", "a2", "a3", "a4")}
    relations = {("a1", "a2"): "exact", ("a1", "a3"): "near_duplicate", ("a1", "a4"): "partial_overlap",
                 ("a2", "a3"): "same_event", ("a2", "a4"): "unrelated", ("a3", "a4"): "unrelated"}
    gold = Release(Path("<synthetic>"), "0", "0" * 64, articles,
                   {"doc_pairs": [{"a": a, "b": b, "relation": r} for (a, b), r in relations.items()]})
    # The lowest given score is a duplicate's; the two unrelated pairs are not scored.
    given = {("a1", "a2"): 4.0, ("a1", "a3"): 1.0, ("a1", "a4"): 3.0, ("a2", "a3"): 2.0}
    reports = {scale: score("doc_pairs", [{"a": a, "b": b, "score": s * scale} for (a, b), s in given.items()], gold)
               for scale in (1.0, 1e17, 1e-300)}
    # Relation order 4 3 2 1 0 0 against the ranks 4 1 3 2 0 0: the unscored pairs below every scored one.
    rho = float(spearmanr([4, 3, 2, 1, 0, 0], [4, 1, 3, 2, 0, 0]).statistic)
    for scale, out in reports.items():
        assert set(out) == {"task", "dataset", "counts", "scores"}, scale
        assert out["scores"] == {"roc_auc": 0.75, "average_precision": 0.75, "spearman": rho}, scale
    assert reports[1.0]["scores"]["spearman"] == reports[1e17]["scores"]["spearman"] == 0.823529411764706
    assert reports[1.0]["scores"]["roc_auc"] == reports[1e17]["scores"]["roc_auc"]


def test_doc_pair_sections_are_as_documented() -> None:
    """docs/metrics.md: `relations` and `duplicate` together whenever relations are given (or nothing is);
    `scores` whenever scores are given."""
    gold = mini_gold()
    sections = {"task", "dataset", "counts"}
    relation = {"a": "a1", "b": "a2", "relation": "partial_overlap"}
    scored = {"a": "a1", "b": "a3", "score": 0.5}
    cases = {"relations only": ([relation], {"relations", "duplicate"}),
             "nothing": ([], {"relations", "duplicate"}),
             "scores only": ([scored], {"scores"}),
             "both, on different pairs": ([relation, scored], {"relations", "duplicate", "scores"}),
             "both, on one pair": ([{**relation, "score": 0.5}], {"relations", "duplicate", "scores"})}
    for case, (records, expected) in cases.items():
        assert set(score("doc_pairs", records, gold)) - {"undefined"} == sections | expected, case
