"""The reference systems: valid, sorted, deterministic predictions, and the rules each one claims to follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, run_cli
from newsgold.baselines import BASELINES, SYSTEMS, Baseline, baselines, copies, event_lexicon, paragraphs, quote_rules
from newsgold.baselines.run import PREDICTIONS, generated_files
from newsgold.corpus import Article
from newsgold.dataset import Release
from newsgold.errors import InputError
from newsgold.scoring import SCORERS, read_predictions, score


@pytest.fixture(scope="module")
def release() -> Release:
    return Release.load(MINI / "data")


def _sort_key(name: str, record: dict) -> tuple:
    if name == "boilerplate":
        return (record["article_id"], record["line_no"])
    if name == "boilerplate_text":
        return (record["article_id"],)
    if name == "doc_pairs":
        return (record["a"], record["b"])
    if name == "passages":
        return tuple((m["article_id"], m["start"], m["end"]) for m in record["cluster"])
    return (record["article_id"], record["start"], record["end"])


@pytest.mark.parametrize("baseline", BASELINES, ids=lambda b: f"{b.system}/{b.name}")
def test_predictions_are_valid_sorted_and_deterministic(baseline: Baseline, release: Release) -> None:
    first, second = baseline.predict(release), baseline.predict(release)
    assert first == second
    assert list(read_predictions(baseline.name, first, release)) == first  # the scorer's checks: raises on any problem
    keys = [_sort_key(baseline.name, record) for record in first]
    assert keys == sorted(keys)


def test_every_prediction_format_has_a_baseline() -> None:
    assert {b.name for b in BASELINES} == set(SCORERS)
    assert len({(b.system, b.name) for b in BASELINES}) == len(BASELINES)


def test_selecting_systems() -> None:
    assert [b.name for b in baselines(["minhash"])] == ["doc_pairs", "passages"]
    assert baselines(None) == list(BASELINES)
    with pytest.raises(ValueError, match="unknown system"):
        baselines(["nope"])
    assert "all-content" in SYSTEMS


def test_a_missing_library_is_an_input_error(release: Release) -> None:
    broken = Baseline("broken", "quotes", "newsgold.baselines.no_such_module", "no-such-library")
    with pytest.raises(InputError, match=r"newsgold\[baselines\]"):
        broken.predict(release)


# --- boilerplate -------------------------------------------------------------------------------------------


def _article(text: str) -> Article:
    return Article.from_text("x1", "c", text)


def test_lines_become_paragraphs_of_a_minimal_html_document() -> None:
    document = paragraphs.html_document(_article("Title <b>\n\n  A & B  \n"))
    assert "<p>Title &lt;b&gt;</p>\n<p>A &amp; B</p>" in document
    assert document.count("<p>") == 2  # empty lines are no paragraphs


def test_kept_text_maps_back_to_lines_in_order() -> None:
    article = _article("Head\nSame\nBody  text\nSame\nAd")
    # White space is normalised, a repeated paragraph takes the next copy, unknown text is ignored.
    assert paragraphs.kept_lines(article, ["Same", "Body text", "Same", "invented"]) == {2, 3, 4}
    assert paragraphs.kept_lines(article, ["Same"]) == {2}
    assert paragraphs.kept_lines(article, ["Ad", "Head"]) == {5, 1}  # out of order still found


def test_all_content_floor(release: Release) -> None:
    lines = BASELINES[[b.module for b in BASELINES].index("newsgold.baselines.all_content_lines")]
    predictions = lines.predict(release)
    assert not any(record["is_boilerplate"] for record in predictions)
    assert len(predictions) == sum(len(a.content_lines) for a in release.articles.values())
    assert score("boilerplate", predictions, release)["lines"]["recall"] == 0


# --- duplicates --------------------------------------------------------------------------------------------


def _sentences(*articles: list[str]) -> list[copies.Sentence]:
    out: list[copies.Sentence] = []
    for number, texts in enumerate(articles):
        position = 0
        for text in texts:
            out.append(copies.Sentence(len(out), "c", f"a{number}", position, position + len(text), text))
            position += len(text) + 1
    return out


def test_runs_join_consecutive_copies_and_stop_at_a_gap() -> None:
    sentences = _sentences(["s1", "s2", "cap", "s3"], ["s1", "s2", "s3"])
    # a0: 0 1 2 3, a1: 4 5 6; copies s1-s1, s2-s2, s3-s3
    assert copies.runs([(0, 4), (1, 5), (3, 6)], sentences) == [(range(0, 2), range(4, 6)), (range(3, 4), range(6, 7))]


def test_a_repeated_paragraph_gives_two_members_not_one_overlapping_itself() -> None:
    sentences = _sentences(["a", "b", "a", "b"])
    pairs = [(0, 2), (1, 3)]
    assert copies.runs(pairs, sentences) == [(range(0, 2), range(2, 4))]
    clusters = copies.passage_clusters(pairs, sentences)
    members = [{"article_id": "a0", "start": 0, "end": 3}, {"article_id": "a0", "start": 4, "end": 7}]
    assert clusters == [{"cluster": members}]


def test_overlapping_runs_join_one_cluster() -> None:
    sentences = _sentences(["x", "y"], ["x", "y"], ["y"])
    # a0: 0 1, a1: 2 3, a2: 4; a0 x y = a1 x y, and a2's y copies a0's y
    clusters = copies.passage_clusters([(0, 2), (1, 3), (1, 4)], sentences)
    assert [[m["article_id"] for m in c["cluster"]] for c in clusters] == [["a0", "a1", "a2"]]


def test_pair_relations_follow_the_guideline_order(release: Release) -> None:
    thresholds = copies.Thresholds(near_duplicate=0.9, same_event=0.5)
    shared = [{"cluster": [{"article_id": "a1", "start": 0, "end": 3}, {"article_id": "a2", "start": 0, "end": 3}]}]
    records = copies.pair_predictions(release, shared, lambda a, b: 0.25, lambda a, b: 0.0, thresholds)
    relations = {(r["a"], r["b"]): r["relation"] for r in records}
    assert relations == {("a1", "a2"): "partial_overlap", ("a1", "a3"): "unrelated", ("a2", "a3"): "unrelated"}
    records = copies.pair_predictions(release, [], lambda a, b: 0.95, lambda a, b: 0.0, thresholds)
    assert {r["relation"] for r in records} == {"near_duplicate"}
    assert {r["score"] for r in records} == {0.95}


@pytest.mark.parametrize("system", ["minhash", "rapidfuzz"])
def test_detectors_find_the_copied_sentence(system: str, release: Release) -> None:
    passages, pairs = baselines([system])[1].predict(release), baselines([system])[0].predict(release)
    assert score("passages", passages, release)["links"]["f1"] == 1.0
    assert {(r["a"], r["b"]): r["relation"] for r in pairs}[("a1", "a2")] == "partial_overlap"


# --- quotes ------------------------------------------------------------------------------------------------


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "China’s ‘progress’ and Blinken's “whole words,” he said. Xi's 'term' ‘Taiwan independence,'"
    found = [text[o:c + 1] for o, c in quote_rules.quotations(text)]
    assert found == ["‘progress’", "“whole words,”", "'term'", "‘Taiwan independence,'"]


def test_quote_rules_on_the_fixture(release: Release) -> None:
    predictions = quote_rules.predict(release)
    assert [(p["article_id"], p["type"], p["speaker"]) for p in predictions] == [
        ("a1", "direct", "alice"), ("a2", "indirect", "bob")]
    assert score("quotes", predictions, release)["end_to_end"]["f1"] == 1.0


def test_pronouns_take_the_nearest_person_named_before() -> None:
    entities = {"xi_jinping": {"entity_id": "xi_jinping", "name": "Xi Jinping", "kind": "person", "aliases": ["Xi"]},
                "china": {"entity_id": "china", "name": "China", "kind": "place", "aliases": ["China"]}}
    names, owners = quote_rules.name_index(entities)
    article = _article("Xi met officials in China.\n“We will talk again soon,” he said.\n")
    speakers = quote_rules.Speakers(article, entities, names, owners)
    records = quote_rules.article_quotes(article, speakers)
    assert [(r["type"], r["speaker"], article.text[r["start"]:r["end"]]) for r in records] == [
        ("direct", "xi_jinping", "We will talk again soon,")]


# --- events ------------------------------------------------------------------------------------------------


def test_same_lemma_and_type_corefer_across_articles(release: Release) -> None:
    predictions = event_lexicon.predict(release)
    found = [(p["article_id"], release.articles[p["article_id"]].text[p["start"]:p["end"]], p["event"], p["type"])
             for p in predictions]
    assert found == [("a1", "met", "meeting-meet", "meeting"), ("a1", "agreed", "agreement-agree", "agreement"),
                     ("a2", "meets", "meeting-meet", "meeting"), ("a2", "met", "meeting-meet", "meeting"),
                     ("a2", "talks", "meeting-talk", "meeting")]


def test_triggers_are_whole_words_and_multi_word_forms_win() -> None:
    text = "The metal meeting; they sat  down. Shot\ndown."
    found = [(m.group(1), event_lexicon.FORMS[" ".join(m.group(1).lower().split())])
             for m in event_lexicon.TRIGGER.finditer(text)]
    assert found == [("meeting", ("meeting", "meet")), ("sat  down", ("meeting", "sit down"))]


# --- the command -------------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(generated_files(folder))}


def test_a_second_run_changes_no_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["baselines", "--gold-dir", str(MINI / "data"), "--out", str(tmp_path), "--bootstrap", "20", "--jobs", "1"]
    code, out, _ = run_cli(capsys, *args)
    assert code == 0, out
    first = _snapshot(tmp_path)
    assert {f"{PREDICTIONS.as_posix()}/{b.system}/{b.name}.jsonl" for b in BASELINES} < set(first)
    stale = tmp_path / PREDICTIONS / "retired" / "quotes.jsonl"
    stale.parent.mkdir()
    stale.write_text("", encoding="utf-8")
    assert run_cli(capsys, *args)[0] == 0
    assert _snapshot(tmp_path) == first
    assert not stale.parent.exists()  # a retired system's predictions do not linger


def test_check_names_each_changed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["baselines", "--gold-dir", str(MINI / "data"), "--out", str(tmp_path), "--bootstrap", "20", "--jobs", "1"]
    assert run_cli(capsys, *args)[0] == 0
    code, out, err = run_cli(capsys, *args, "--check")
    assert (code, err) == (0, "")
    assert "up to date" in out
    changed = tmp_path / PREDICTIONS / "random" / "doc_pairs.jsonl"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (tmp_path / "leaderboard.json").unlink()
    code, _, err = run_cli(capsys, *args, "--check")
    assert code == 1
    assert "leaderboard.json: missing" in err
    assert "random/doc_pairs.jsonl: changed" in err
    assert run_cli(capsys, *args[:-2], "--bootstrap", "-1")[0] == 2
