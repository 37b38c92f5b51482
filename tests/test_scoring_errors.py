"""Strict input: each kind of bad prediction is one exact line ``path:line: field: message``, exit status 2,
every problem listed, no score printed and no traceback."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from conftest import run_cli
from newsgold import InputError, score
from newsgold.corpus import Article
from newsgold.release.dataset import Release
from test_scoring_support import mini_data, mini_gold


def run_score(capsys: pytest.CaptureFixture[str], task: str, path: Path) -> tuple[int, list[str]]:
    code, out, err = run_cli(capsys, "score", task, "--pred", str(path), "--gold-dir", str(mini_data()))
    assert out == ""  # no score printed
    assert "Traceback" not in err
    return code, err.splitlines()


def lines(path: Path, *bodies: str) -> Path:
    path.write_text("".join(body + "\n" for body in bodies), encoding="utf-8")
    return path


CASES = {
    "unknown article id": (
        "quotes", ['{"article_id": "zz", "start": 0, "end": 3}'],
        ["{p}:1: article_id: unknown article id 'zz'"]),
    "duplicate prediction": (
        "events", ['{"article_id": "a1", "start": 25, "end": 28, "event": "e1"}',
                   '{"article_id": "a1", "start": 25, "end": 28, "event": "e2"}'],
        ["{p}:2: start: duplicate prediction for a1 [25, 28) (first at {p}:1)"]),
    "offsets outside the article": (
        "quotes", ['{"article_id": "a1", "start": 90, "end": 97}'],
        ["{p}:1: end: offsets [90, 97) outside the article (0..96)"]),
    "start >= end": (
        "events", ['{"article_id": "a2", "start": 12, "end": 12}', '{"article_id": "a2", "start": 12, "end": 5}'],
        ["{p}:1: end: empty span: start 12 is not before end 12",
         "{p}:2: end: empty span: start 12 is not before end 5"]),
    "pair naming one article twice": (
        "doc_pairs", ['{"a": "a1", "b": "a1", "relation": "exact"}'],
        ["{p}:1: b: a pair names one article twice"]),
    "NaN score": (
        "doc_pairs", ['{"a": "a1", "b": "a2", "score": NaN}'],
        ["{p}:1: -: not valid JSON: NaN is not valid JSON"]),
    "neither relation nor score": (
        "doc_pairs", ['{"a": "a1", "b": "a2"}'],
        ["{p}:1: relation: give a relation, a score, or both"]),
    "duplicate pair, in either order": (
        "doc_pairs", ['{"a": "a2", "b": "a1", "score": 0.5}', '{"a": "a1", "b": "a2", "relation": "exact"}'],
        ["{p}:2: b: duplicate prediction for pair a1 / a2 (first at {p}:1)"]),
    "unknown field": (
        "quotes", ['{"article_id": "a1", "start": 54, "end": 64, "quote": "We agreed,"}'],
        ["{p}:1: quote: unknown field"]),
    "id pattern": (
        "events", ['{"article_id": "a1", "start": 25, "end": 28, "event": "Meeting 1"}'],
        ["{p}:1: event: 'Meeting 1' does not match '^[a-z0-9][a-z0-9_-]*$'"]),
    "wrong type": (
        "quotes", ['{"article_id": "a1", "start": "54", "end": 64, "type": "said"}'],
        ["{p}:1: start: '54' is not of type 'integer'",
         "{p}:1: type: 'said' is not one of ['direct', 'mixed', 'indirect']"]),
    "line that does not exist": (
        "boilerplate", ['{"article_id": "a3", "line_no": 4, "is_boilerplate": false}'],
        ["{p}:1: line_no: line 4 does not exist (article has 3)"]),
    "role and is_boilerplate disagree": (
        "boilerplate", ['{"article_id": "a3", "line_no": 1, "is_boilerplate": true, "role": "title"}'],
        ["{p}:1: is_boilerplate: role 'title' is content but is_boilerplate is true"]),
    "duplicate line": (
        "boilerplate", ['{"article_id": "a3", "line_no": 1, "is_boilerplate": false}',
                        '{"article_id": "a3", "line_no": 1, "is_boilerplate": true}'],
        ["{p}:2: line_no: duplicate prediction for a3 line 1 (first at {p}:1)"]),
    "duplicate extracted text": (
        "boilerplate_text", ['{"article_id": "a3", "text": "It rained."}', '{"article_id": "a3", "text": "x"}'],
        ["{p}:2: article_id: duplicate prediction for a3 (first at {p}:1)"]),
    "passage members": (
        "passages", ['{"cluster": [{"article_id": "a1", "start": 19, "end": 52}, '
                     '{"article_id": "zz", "start": 0, "end": 5}, {"article_id": "a2", "start": 53, "end": 53}]}',
                     '{"cluster": [{"article_id": "a1", "start": 19, "end": 52}]}',
                     '{"cluster": [{"article_id": "a2", "start": 20, "end": 53}, '
                     '{"article_id": "a1", "start": 19, "end": 52}]}'],
        ["{p}:1: cluster[1].article_id: unknown article id 'zz'",
         "{p}:1: cluster[2].end: empty span: start 53 is not before end 53",
         "{p}:2: cluster: a cluster has two or more members",
         "{p}:3: cluster[1].start: duplicate member a1 [19, 52) (first at {p}:1)"]),
    "not JSON": (
        "quotes", ['{"article_id": "a1", "start": 54,', "", '["a list"]'],
        ["{p}:1: -: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 34 (char 33)",
         "{p}:2: -: empty line; JSON Lines has one object per line",
         "{p}:3: -: expected a JSON object, got list"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_input_is_one_exact_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    task, bodies, expected = CASES[case]
    path = lines(tmp_path / f"{task}.jsonl", *bodies)
    code, err = run_score(capsys, task, path)
    assert code == 2
    assert err == [line.format(p=path) for line in expected]


def test_every_problem_of_a_file_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = lines(tmp_path / "quotes.jsonl",
                 '{"article_id": "a1", "start": 54, "end": 64}',
                 '{"article_id": "zz", "start": 0, "end": 3}',
                 '{"article_id": "a1", "start": 54, "end": 64}',
                 '{"article_id": "a1", "start": 5, "end": 500}')
    code, err = run_score(capsys, "quotes", path)
    assert code == 2
    assert err == [f"{path}:2: article_id: unknown article id 'zz'",
                   f"{path}:3: start: duplicate prediction for a1 [54, 64) (first at {path}:1)",
                   f"{path}:4: end: offsets [5, 500) outside the article (0..96)"]


def test_missing_file_is_an_error_and_an_empty_one_is_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_score(capsys, "events", tmp_path / "events.jsonl")
    assert code == 2
    assert err == [f"{tmp_path / 'events.jsonl'}:0: -: no such file"]
    (tmp_path / "events.jsonl").write_text("", encoding="utf-8")
    code, out, err = run_cli(capsys, "score", "events", "--pred", str(tmp_path / "events.jsonl"),
                             "--gold-dir", str(mini_data()))
    # Valid, and scored, but almost certainly a mistake: a warning on stderr, exit status unchanged.
    assert (code, err) == (0, f"{tmp_path / 'events.jsonl'}:0: -: warning: the file is empty: no predictions, so "
                              "every gold item counts as missed\n")
    assert "spans.strict.recall              0.0000" in out


def test_score_all_lists_the_problems_of_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines(tmp_path / "quotes.jsonl", '{"article_id": "zz", "start": 0, "end": 3}')
    lines(tmp_path / "doc_pairs.jsonl", '{"a": "a2", "b": "a2", "score": 1}')
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{tmp_path / 'doc_pairs.jsonl'}:1: b: a pair names one article twice",
                                f"{tmp_path / 'quotes.jsonl'}:1: article_id: unknown article id 'zz'"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(empty), "--gold-dir", str(mini_data()))
    assert code == 2 and err.startswith(f"{empty}:0: -: no prediction file (boilerplate.jsonl, ")


def test_bad_options_are_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "score", "quotes", "--gold-dir", str(mini_data()))
    assert (code, out, err) == (2, "", "<command line>:0: --pred: `score quotes` needs --pred\n")
    path = lines(tmp_path / "quotes.jsonl")
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--bootstrap", "-1")
    assert (code, out, err) == (2, "", "<command line>:0: --bootstrap: must be 0 or more\n")
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--gold-dir", str(tmp_path / "nowhere"))
    assert code == 2 and out == "" and err and "Traceback" not in err


def test_in_memory_predictions_are_checked_the_same_way() -> None:
    gold = mini_gold()
    with pytest.raises(InputError) as raised:
        score("doc_pairs", [{"a": "a1", "b": "a2", "score": math.nan}, "not a record",
                            {"a": "a1", "b": "a3", "score": math.inf}], gold)
    assert [str(p) for p in raised.value.problems] == [
        "<predictions>:1: score: nan is not a finite number",
        "<predictions>:2: -: expected an object, got str",
        "<predictions>:3: score: inf is not a finite number",
    ]


def test_pairs_are_within_a_cluster() -> None:
    articles = {a: Article.from_text(a, cluster, "Some text.\n") for a, cluster in (("a1", "x"), ("a2", "y"))}
    gold = Release(Path("<synthetic>"), "0", "0" * 64, articles, {"doc_pairs": []})
    with pytest.raises(InputError) as raised:
        score("doc_pairs", [{"a": "a1", "b": "a2", "relation": "unrelated"}], gold)
    assert [str(p) for p in raised.value.problems] == [
        "<predictions>:1: b: pairs are within a cluster; a1 and a2 are not"]


def test_unwritable_outputs_are_bad_input_before_scoring(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "start": 54, "end": 64}')
    missing = tmp_path / "nowhere" / "report.json"
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()),
                             "--json", str(missing), "--markdown", str(folder))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{folder}:0: -: cannot write: is a folder",
                                f"{missing}:0: -: cannot write: no such folder {str(missing.parent)!r}"]
    # Checked before scoring: a bad prediction file is not even read, and nothing is written.
    bad = lines(tmp_path / "events.jsonl", "not json")
    code, out, err = run_cli(capsys, "score", "events", "--pred", str(bad), "--gold-dir", str(mini_data()),
                             "--markdown", str(tmp_path / "md" / "events.md"))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'md' / 'events.md'}:0: -: cannot write: no such folder {str(tmp_path / 'md')!r}\n"
    code, out, err = run_cli(capsys, "compare", str(pred), str(pred), "quotes", "--gold-dir", str(mini_data()),
                             "--bootstrap", "5", "--json", str(missing))
    assert (code, out) == (2, "")
    assert err == f"{missing}:0: -: cannot write: no such folder {str(missing.parent)!r}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "events.jsonl", "quotes.jsonl"]
    assert list(folder.iterdir()) == []


def test_score_all_reports_unknown_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    known = ("boilerplate.jsonl, boilerplate_text.jsonl, doc_pairs.jsonl, passages.jsonl, quotes.jsonl, "
             "events.jsonl")
    lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "start": 54, "end": 64}')
    lines(tmp_path / "event.jsonl", '{"article_id": "a1", "start": 25, "end": 28}')
    (tmp_path / "notes.txt").write_text("not a prediction file", encoding="utf-8")
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{tmp_path / 'event.jsonl'}:0: -: unknown prediction file 'event.jsonl'; "
                                f"the known names: {known}"]
    (tmp_path / "quotes.jsonl").unlink()
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{tmp_path}:0: -: no prediction file ({known})",
                                f"{tmp_path / 'event.jsonl'}:0: -: unknown prediction file 'event.jsonl'; "
                                f"the known names: {known}"]


def test_an_option_that_would_go_unused_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "start": 54, "end": 64}')
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--pred", str(pred),
                             "--gold-dir", str(mini_data()))
    assert (code, out, err) == (2, "", "<command line>:0: --pred: `score all` reads --pred-dir; "
                                       "--pred is for one task\n")
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--pred-dir", str(tmp_path),
                             "--gold-dir", str(mini_data()))
    assert (code, out, err) == (2, "", "<command line>:0: --pred-dir: `score quotes` reads --pred; "
                                       "--pred-dir is for `score all`\n")


def test_fail_under_an_undefined_metric_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The mini gold has no duplicate pair: ROC-AUC has one class and is null.
    pred = lines(tmp_path / "doc_pairs.jsonl", '{"a": "a1", "b": "a2", "score": 0.9}',
                 '{"a": "a1", "b": "a3", "score": 0.1}')
    code, out, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pred), "--gold-dir", str(mini_data()),
                             "--fail-under", "scores.roc_auc=0.5", "--fail-under", "scores.spearman=0.5")
    assert (code, out, err) == (2, "", "<command line>:0: --fail-under: scores.roc_auc is undefined: the gold "
                                       "pairs have one class only: no duplicate\n")
    code, out, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()),
                             "--fail-under", "doc_pairs.scores.roc_auc=0.5")
    assert (code, out, err) == (2, "", "<command line>:0: --fail-under: doc_pairs.scores.roc_auc is undefined: "
                                       "the gold pairs have one class only: no duplicate\n")


# --- likely mistakes: a warning on stderr, the exit status unchanged ------------------------------------------


def test_a_file_of_another_task_is_named_before_its_problems(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    pred = lines(tmp_path / "pred.jsonl", '{"article_id": "a1", "line_no": 1, "is_boilerplate": false}',
                 '{"article_id": "a1", "line_no": 5, "is_boilerplate": true, "role": "advertisement"}')
    code, err = run_score(capsys, "quotes", pred)
    assert code == 2
    assert err[0] == (f"{pred}:0: -: warning: 2 of 2 rows fit the boilerplate prediction schema, not the quotes one: "
                      "is this a boilerplate file? (score it with `newsgold score boilerplate`)")
    assert f"{pred}:1: -: give start and end, or text" in err[1:]
    # A file of the right task with a few bad lines is not said to be another task's.
    pred = lines(tmp_path / "pred.jsonl", '{"article_id": "a1", "start": 54, "end": 64}', '{"article_id": "a1"}')
    code, err = run_score(capsys, "quotes", pred)
    assert code == 2 and not any("warning" in line for line in err)


def test_speakers_that_resolve_to_no_entity_are_named_with_counts(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    records = [f'{{"article_id": "a1", "start": {start}, "end": {start + 1}, "speaker": "{name}"}}'
               for start, name in enumerate(["Alice", "Xi Jinpin", "Xi Jinpin", *(f"N{i}" for i in range(11))])]
    pred = lines(tmp_path / "quotes.jsonl", *records)
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()))
    assert code == 0 and "speaker.accuracy" in out
    lines_ = err.splitlines()
    assert lines_[0] == (f"{pred}:2: speaker: warning: 'Xi Jinpin' resolves to no entity: it is no entity id, name "
                         "or alias of the registry (2 predictions, first here); it counts as no speaker")
    assert lines_[1].startswith(f"{pred}:4: speaker: warning: 'N0' resolves to no entity: ")
    assert "(1 prediction, first here)" in lines_[1]
    assert len(lines_) == 11
    assert lines_[10] == f"{pred}:0: speaker: warning: 2 more speaker names resolve to no entity (2 predictions)"


def test_warnings_reach_python_callers(tmp_path: Path) -> None:
    from newsgold.errors import InputWarning

    pred = lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "start": 54, "end": 64, "speaker": "Bobb"}')
    with pytest.warns(InputWarning, match="'Bobb' resolves to no entity"):
        score("quotes", pred, mini_gold())


def test_bytes_that_are_not_utf8_are_reported_at_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / "quotes.jsonl"
    pred.write_bytes(b'{"article_id": "a1", "start": 54, "end": 64}\n{"article_id": "a1", "start": 0, "end": 3}\n'
                     b'{"article_id": "a1", "start": 1, "end": 3, "speaker": "Jos\xe9"}\n')
    code, err = run_score(capsys, "quotes", pred)
    assert (code, err) == (2, [f"{pred}:3: -: not UTF-8: byte 0xe9 at byte 59 of the line (invalid continuation "
                               "byte)"])


def test_metrics_undefined_on_the_gold_are_null_with_a_reason(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # The small release has no duplicate pair: duplicate.* is undefined for every system, never 0.
    pred = lines(tmp_path / "doc_pairs.jsonl", '{"a": "a1", "b": "a2", "relation": "exact"}')
    report = score("doc_pairs", pred, mini_gold())
    assert report["duplicate"] == {"precision": None, "recall": None, "f1": None}
    assert report["undefined"]["duplicate"] == dict.fromkeys(("precision", "recall", "f1"), "no gold duplicate pair")
    code, out, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(pred), "--gold-dir", str(mini_data()),
                             "--markdown", str(tmp_path / "m.md"))
    assert (code, err) == (0, "")
    assert "  duplicate.f1                     —\n" in out
    assert "| `duplicate.f1` | — |  |" in (tmp_path / "m.md").read_text(encoding="utf-8")
    # Each "—" has its reason, said once below the metrics: one line per reason, naming the metrics it explains.
    footnotes = [line for line in out.splitlines() if line.startswith("  — ")]
    assert "  — duplicate.precision, duplicate.recall, duplicate.f1: no gold duplicate pair" in footnotes
    assert len(footnotes) == len({line.partition(": ")[2] for line in footnotes})
    assert out.index("  duplicate.f1 ") < out.index("  — duplicate.precision")
    # A zero denominator that comes from the predictions stays 0 (nervaluate's and scikit-learn's convention).
    nothing = score("quotes", [], mini_gold())
    assert (nothing["spans"]["strict"]["precision"], nothing["speaker"]["accuracy"]) == (0.0, 0.0)
    assert nothing["by_type"]["mixed"]["strict"]["recall"] is None  # no gold mixed quote
