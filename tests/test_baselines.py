"""The reference systems: valid, sorted, deterministic predictions, and the rules each one claims to follow.

Above all: a text system reads the articles and nothing else (no release in reach, no names of this release's
people in its code), and an oracle says it is one.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import MINI, REPO, run_cli, with_synthetic
from newsgold.baselines import (
    BASELINES,
    ORACLE,
    SYNTHETIC_FORMATS,
    SYSTEMS,
    TEXT,
    Baseline,
    baselines,
    copies,
    event_triggers,
    find,
    length_lines,
    line_classifier,
    paragraphs,
    quote_registry,
    quote_rules,
    random_lines,
)
from newsgold.baselines.leaderboard import SYNTHETIC
from newsgold.baselines.run import PREDICTIONS, generated_files, run, splits
from newsgold.corpus import Article, read_articles
from newsgold.errors import InputError
from newsgold.release.dataset import Release
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


@pytest.mark.parametrize("baseline", BASELINES, ids=lambda b: f"{b.system.name}/{b.name}")
def test_predictions_are_valid_sorted_and_deterministic(baseline: Baseline, release: Release) -> None:
    for split, view in splits(with_synthetic(release)).items():
        if split == SYNTHETIC and not baseline.synthetic:
            continue
        first, second = baseline.predict(view.articles, view), baseline.predict(view.articles, view)
        assert first == second
        # the scorer's checks: raises on any problem
        assert list(read_predictions(baseline.name, first, view)) == first
        keys = [_sort_key(baseline.name, record) for record in first]
        assert keys == sorted(keys)


def test_every_prediction_format_has_a_text_system_and_a_floor() -> None:
    assert {b.name for b in BASELINES} == set(SCORERS)
    assert len({(b.system.name, b.name) for b in BASELINES}) == len(BASELINES)
    for name in SCORERS:
        text = [b for b in BASELINES if b.name == name and b.inputs == TEXT]
        assert any(not b.system.floor for b in text), name
        assert any(b.system.floor for b in text), name


def test_the_oracles_are_the_systems_that_read_gold() -> None:
    assert {b.system.name for b in BASELINES if b.inputs == ORACLE} == {"quote-registry", "event-lexicon"}
    assert all(b.inputs in (TEXT, ORACLE) for b in BASELINES)
    assert not any(b.synthetic for b in BASELINES if b.inputs == ORACLE or b.system.supervised)
    assert {b.name for b in BASELINES if b.synthetic} == set(SYNTHETIC_FORMATS)


def test_selecting_systems() -> None:
    assert [b.name for b in baselines(["minhash"])] == ["doc_pairs", "passages"]
    assert baselines(None) == list(BASELINES)
    with pytest.raises(ValueError, match="unknown system"):
        baselines(["nope"])
    assert "all-content" in SYSTEMS
    assert find("quote-rules", "quotes").module.endswith(".quote_rules")
    with pytest.raises(ValueError, match="no baseline"):
        find("quote-rules", "events")


def test_a_missing_library_is_an_input_error(release: Release) -> None:
    broken = Baseline(find("random", "quotes").system, "quotes", "newsgold.baselines.no_such_module")
    with pytest.raises(InputError, match=r"newsgold\[baselines\]"):
        broken.predict(release.articles)


def test_an_oracle_without_a_release_is_refused(release: Release) -> None:
    with pytest.raises(ValueError, match="reads a release"):
        find("quote-registry", "quotes").predict(release.articles)


# --- newsgold predict ---------------------------------------------------------------------------------------


def test_predict_list_names_each_system_task_and_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "predict", "--list")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert lines == [[b.system.name, b.name, b.inputs] for b in BASELINES]
    assert {line[2] for line in lines} == {"text", "oracle"}


@pytest.fixture
def no_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """No release can be loaded: a text system that reached for one would fail."""

    def refuse(*args: object, **kwargs: object) -> Release:
        raise AssertionError("a text system read a release")

    monkeypatch.setattr(Release, "load", refuse)


@pytest.mark.parametrize("baseline", [b for b in BASELINES if not b.needs_release],
                         ids=lambda b: f"{b.system.name}/{b.name}")
def test_a_text_system_runs_on_a_folder_of_articles_with_no_release_in_reach(
        baseline: Baseline, release: Release, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        no_release: None) -> None:
    out = tmp_path / f"{baseline.name}.jsonl"
    code, stdout, err = run_cli(capsys, "predict", baseline.system.name, baseline.name,
                                "--articles", str(MINI / "data" / "raw"), "--out", str(out))
    assert code == 0, err
    assert "records from" in stdout
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # The same code as `newsgold baselines`: the same records as on the release's own articles.
    assert records == baseline.predict(release.articles)


def test_an_oracle_runs_with_the_release_it_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "quotes.jsonl"
    code, _, err = run_cli(capsys, "predict", "quote-registry", "quotes", "--articles", str(MINI / "data" / "raw"),
                           "--out", str(out), "--gold-dir", str(MINI / "data"))
    assert code == 0, err
    assert [json.loads(line)["speaker"] for line in out.read_text(encoding="utf-8").splitlines()] == ["alice", "bob"]


def test_predict_reads_a_flat_folder_and_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "n1.txt").write_text("A headline\n\n“We will meet again,” the minister said.\n", encoding="utf-8")
    (folder / "n2.txt").write_text("Another text.\n", encoding="utf-8")
    articles = read_articles(folder)
    assert sorted(articles) == ["n1", "n2"] and {a.cluster_id for a in articles.values()} == {"new"}
    out = tmp_path / "pairs.jsonl"
    assert run_cli(capsys, "predict", "same-event", "doc_pairs", "--articles", str(folder), "--out", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8")) == {"a": "n1", "b": "n2", "relation": "same_event"}

    (folder / "Bad Name.txt").write_text("x\n", encoding="utf-8")
    (folder / "n3.txt").write_bytes(b"\xff\xfe")
    code, _, err = run_cli(capsys, "predict", "quote-rules", "quotes", "--articles", str(folder),
                           "--out", str(tmp_path / "q.jsonl"))
    assert code == 2
    assert "Bad Name.txt:0: article_id: 'Bad Name' is not a valid id" in err
    assert "n3.txt:1: -: not UTF-8: byte 0xff at byte 1 of the line" in err  # the line that holds the bad byte
    assert not (tmp_path / "q.jsonl").exists()
    for argv, message in ((["predict", "nope", "quotes", "--articles", str(folder), "--out", str(out)], "no baseline"),
                          (["predict", "quote-rules"], "TASK: required"),
                          (["predict", "quote-rules", "quotes", "--articles", str(tmp_path / "none"), "--out",
                            str(out)], "no such folder")):
        code, _, err = run_cli(capsys, *argv)
        assert code == 2 and message in err, err


# People renamed in the raw texts: a system that reads names from the text attributes as before, to the new names.
RENAMED = {"Antony": "Thomas", "Blinken": "Hartley", "Xi": "Li", "Jinping": "Wenhao", "Biden": "Ashford",
           "Joe": "Sam", "Wang": "Chen", "Yi": "Bo", "Qin": "Zhou", "Gang": "Ming", "Janet": "Ruth",
           "Yellen": "Morrow", "Leila": "Nora", "Fadel": "Quinn"}
NAME = re.compile(r"\b(" + "|".join(RENAMED) + r")\b")


def _rename(text: str) -> str:
    return NAME.sub(lambda m: RENAMED[m.group(1)], text)


def test_renamed_people_are_attributed_as_before_under_their_new_names(tmp_path: Path, no_release: None) -> None:
    original, renamed = tmp_path / "original", tmp_path / "renamed"
    shutil.copytree(REPO / "data" / "raw", original, ignore=shutil.ignore_patterns("*.json"))
    for path in sorted(original.glob("*/*.txt")):
        target = renamed / path.relative_to(original)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_rename(path.read_text(encoding="utf-8")), encoding="utf-8")
    system = find("quote-rules", "quotes")
    before, after = system.predict(read_articles(original)), system.predict(read_articles(renamed))
    attributed = [r for r in before if r["speaker"] != "unknown"]
    assert len(attributed) >= 30  # the release's quotes are mostly attributed to named people
    assert len(after) == len(before)
    assert [_rename(r["speaker"]) for r in before] == [r["speaker"] for r in after]
    speakers = {r["speaker"] for r in after}
    assert {"Hartley", "Li"} <= speakers
    assert not any(NAME.search(speaker) for speaker in speakers)


def test_the_registry_oracle_loses_the_renamed_people(tmp_path: Path) -> None:
    gold = Release.load()
    renamed = {a: Article.from_text(a, article.cluster_id, _rename(article.text))
               for a, article in gold.articles.items()}
    oracle = find("quote-registry", "quotes")
    people = {"antony_blinken", "xi_jinping"}
    before = sum(r["speaker"] in people for r in oracle.predict(gold.articles, gold))
    after = sum(r["speaker"] in people for r in oracle.predict(renamed, gold))
    assert after < before / 2  # it found them by the registry's names, not by reading


def test_no_text_system_names_this_release_s_people() -> None:
    for baseline in BASELINES:
        if baseline.inputs != TEXT:
            continue
        source = Path(__import__(baseline.module, fromlist=["_"]).__file__).read_text(encoding="utf-8")
        assert not NAME.search(source), baseline.module


# --- boilerplate -------------------------------------------------------------------------------------------


def _article(text: str, article_id: str = "x1") -> Article:
    return Article.from_text(article_id, "c", text)


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
    assert paragraphs.kept_text(article, {1, 3}) == "Head\nBody  text"


def test_all_content_floor(release: Release) -> None:
    predictions = find("all-content", "boilerplate").predict(release.articles)
    assert not any(record["is_boilerplate"] for record in predictions)
    assert len(predictions) == sum(len(a.content_lines) for a in release.articles.values())
    assert score("boilerplate", predictions, release)["lines"]["recall"] == 0


def test_the_length_rule_is_just_text_s_default_length_low() -> None:
    import justext.core

    assert length_lines.LENGTH_LOW == justext.core.LENGTH_LOW_DEFAULT == 70
    article = _article("x" * 69 + "\n" + "y" * 70 + "\n  " + "z " * 35 + "\n")  # the last: 69 after normalising
    assert length_lines.keep(article) == {2}


def test_a_random_article_s_labels_do_not_depend_on_the_others() -> None:
    one = _article("a\nb\nc\nd\ne\nf\ng\nh\n", "one")
    assert random_lines.keep(one) == random_lines.keep(_article(one.text, "one"))
    alone = find("random", "boilerplate").predict({"one": one})
    together = find("random", "boilerplate").predict({"one": one, "two": _article("x\ny\n", "two")})
    assert alone == [r for r in together if r["article_id"] == "one"]


def test_the_line_classifier_never_learns_from_the_article_it_predicts(release: Release,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    trained_on: list[set[str]] = []
    real_fit = line_classifier.fit

    def spy(gold: Release, article_ids: object) -> object:
        ids = set(article_ids)  # type: ignore[call-overload]
        trained_on.append(ids)
        return real_fit(gold, ids)

    monkeypatch.setattr(line_classifier, "fit", spy)
    predictions = find("line-classifier", "boilerplate").predict(release.articles, release)
    assert trained_on == [set(release.articles) - {a} for a in sorted(release.articles)]
    assert {r["article_id"] for r in predictions} == set(release.articles)
    trained_on.clear()
    new = {"new": _article("A headline\nSome words of a body line, long enough to be one.\n", "new")}
    find("line-classifier", "boilerplate").predict(new, release)
    assert trained_on == [set(release.articles)]  # an article the release does not hold: trained on all of it


def test_line_features_are_integers() -> None:
    article = _article("Share this | Photo: AP\nThe minister said on Monday that talks would go on, as planned.\n")
    for row in line_classifier.article_features(article):
        assert all(type(value) is int for value in row)


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
    records = copies.pair_predictions(release.articles, shared, lambda a, b: 0.25, lambda a, b: 0.0, thresholds)
    relations = {(r["a"], r["b"]): r["relation"] for r in records}
    assert relations == {("a1", "a2"): "partial_overlap", ("a1", "a3"): "unrelated", ("a2", "a3"): "unrelated"}
    records = copies.pair_predictions(release.articles, [], lambda a, b: 0.95, lambda a, b: 0.0, thresholds)
    assert {r["relation"] for r in records} == {"near_duplicate"}
    assert {r["score"] for r in records} == {0.95}


@pytest.mark.parametrize("system", ["minhash", "rapidfuzz"])
def test_detectors_find_the_copied_sentence(system: str, release: Release) -> None:
    passages, pairs = find(system, "passages").predict(release.articles), find(system, "doc_pairs").predict(
        release.articles)
    assert score("passages", passages, release)["links"]["f1"] == 1.0
    assert {(r["a"], r["b"]): r["relation"] for r in pairs}[("a1", "a2")] == "partial_overlap"


def test_the_same_event_floor_says_same_event_for_every_pair_of_a_cluster(release: Release) -> None:
    records = find("same-event", "doc_pairs").predict(release.articles)
    pairs = (("a1", "a2"), ("a1", "a3"), ("a2", "a3"))
    assert records == [{"a": a, "b": b, "relation": "same_event"} for a, b in pairs]


# --- quotes ------------------------------------------------------------------------------------------------


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The city’s ‘progress’ and Maria's “whole words,” he said. Ruiz's 'term' ‘full autonomy,'"
    found = [text[o:c + 1] for o, c in quote_rules.quotations(text)]
    assert found == ["‘progress’", "“whole words,”", "'term'", "‘full autonomy,'"]


def test_quote_rules_on_the_fixture(release: Release) -> None:
    predictions = quote_rules.predict(release.articles)
    assert [(p["article_id"], p["type"], p["speaker"]) for p in predictions] == [
        ("a1", "direct", "Alice"), ("a2", "indirect", "Bob")]
    assert score("quotes", predictions, release)["end_to_end"]["f1"] == 1.0  # names resolved by the scorer's aliases


def _speakers(text: str) -> list[tuple[str, str, str]]:
    article = _article(text)
    return [(r["type"], r["speaker"], text[r["start"]:r["end"]])
            for r in quote_rules.article_quotes(article, quote_rules.NamedSpeakers(article))]


def test_speakers_are_name_phrases_without_their_titles() -> None:
    text = ("Foreign Minister Ana Duarte met the envoy on Monday.\n"
            "“We will meet again soon,” Duarte said.\n"
            "The talks were useful, she added.\n"
            "The Interior Ministry said the border would stay open.\n"
            "“Nothing has changed,” said Chief Inspector Tomas Berg.\n")
    assert _speakers(text) == [
        ("direct", "Duarte", "We will meet again soon,"),
        ("indirect", "Duarte", "The talks were useful"),  # she: the previous speaker named
        ("indirect", "Interior Ministry", "the border would stay open"),  # an organisation keeps its words
        ("direct", "Tomas Berg", "Nothing has changed,"),
    ]


def test_a_possessive_or_a_sentence_opening_word_is_no_speaker() -> None:
    # "Officials" opens its sentence and is nowhere else capitalised; "Duarte’s" names an owner.
    assert _speakers("Officials said the deal was close.\n") == [("indirect", "unknown", "the deal was close")]
    assert _speakers("Ana Duarte arrived.\nDuarte’s spokesman said the deal was close.\n") == [
        ("indirect", "unknown", "the deal was close")]
    assert _speakers("Yes, Ana Duarte said.\nDuarte said it was over.\n")[-1][1] == "Duarte"


def test_a_title_case_line_names_only_words_capitalised_elsewhere() -> None:
    phrases = quote_rules.name_phrases(_article("Duarte Says Talks Will Go On\nThe envoy met Duarte.\n"))
    assert [name for _, _, name in phrases] == ["Duarte", "Duarte"]


def test_an_addressee_ends_at_that_within_one_clause() -> None:
    text = "Minister Ana Ruiz told the committee on Tuesday that the plan was final.\n"
    assert _speakers(text) == [("indirect", "Ana Ruiz", "the plan was final")]
    text = "Ana Ruiz told the committee, which met on Tuesday, that the plan was final.\n"
    assert _speakers(text)[0][2] == "the committee, which met on Tuesday, that the plan was final"


def test_cue_words_are_inflections_of_general_reporting_verbs() -> None:
    assert quote_rules.inflections("say") == ("say", "says", "said", "saying")
    assert quote_rules.inflections("deny") == ("deny", "denies", "denied", "denying")
    assert quote_rules.inflections("point out") == ("point out", "points out", "pointed out", "pointing out")
    assert "state" not in quote_rules.CUE_WORDS and "stated" in quote_rules.CUE_WORDS  # "the state" is a noun


def test_the_registry_oracle_resolves_pronouns_by_kind() -> None:
    entities = {"xi": {"entity_id": "xi", "name": "Wen Shu", "kind": "person", "aliases": ["Wen"]},
                "land": {"entity_id": "land", "name": "Erewhon", "kind": "place", "aliases": ["Erewhon"]}}
    names, owners = quote_registry.name_index(entities)
    article = _article("Wen met officials in Erewhon.\n“We will talk again soon,” he said.\n")
    speakers = quote_registry.RegistrySpeakers(article, entities, names, owners)
    records = quote_rules.article_quotes(article, speakers)
    assert [(r["type"], r["speaker"], article.text[r["start"]:r["end"]]) for r in records] == [
        ("direct", "xi", "We will talk again soon,")]


# --- events ------------------------------------------------------------------------------------------------


def test_lemmas_by_suffix_stripping() -> None:
    expected = {"meetings": "meet", "met": "meet", "talks": "talk", "visited": "visit", "cancelled": "cancel",
                "cancellation": "cancel", "postponement": "postpone", "agreement": "agree", "banned": "ban",
                "detention": "detain", "invasion": "invade", "negotiations": "negotiate", "summit": "summit",
                "metal": None, "ward": None, "called": None}
    assert {word: event_triggers.lemma(word) for word in expected} == expected


def test_same_lemma_corefers_across_articles(release: Release) -> None:
    predictions = event_triggers.predict(release.articles)
    found = [(p["article_id"], release.articles[p["article_id"]].text[p["start"]:p["end"]], p["event"], p["type"])
             for p in predictions]
    assert found == [("a1", "met", "meeting-meet", "meeting"), ("a1", "agreed", "agreement-agree", "agreement"),
                     ("a2", "meets", "meeting-meet", "meeting"), ("a2", "met", "meeting-meet", "meeting"),
                     ("a2", "talks", "meeting-talk", "meeting")]


def test_two_word_triggers_win_and_stay_on_one_line() -> None:
    text = "They shot down a drone, then called off the trip. Export controls; shot\ndown."
    found = [(text[s:e], lemma) for s, e, lemma in event_triggers.triggers(text)]
    assert found == [("shot down", "shoot down"), ("called off", "call off"), ("trip", "trip"),
                     ("Export controls", "export control")]


def test_the_trigger_inventory_is_general_english() -> None:
    # Every lemma is one or two lower-case words of letters: no names, no numbers, no article-specific wording.
    for event_type, lemmas in event_triggers.LEXICON.items():
        assert lemmas, event_type
        assert all(re.fullmatch(r"[a-z]+( [a-z]+)?", lemma) for lemma in lemmas), event_type
    assert len(event_triggers.TYPES) == sum(len(lemmas) for lemmas in event_triggers.LEXICON.values())


# --- the command -------------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(generated_files(folder))}


def test_a_second_run_changes_no_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["baselines", "--gold-dir", str(MINI / "data"), "--out", str(tmp_path), "--bootstrap", "20", "--jobs", "1"]
    code, out, _ = run_cli(capsys, *args)
    assert code == 0, out
    first = _snapshot(tmp_path)
    expected = {f"{PREDICTIONS.as_posix()}/{b.system.name}/{b.name}.jsonl" for b in BASELINES}
    assert expected | {"LEADERBOARD.md", "leaderboard.json"} == set(first)  # the fixture has no synthetic split
    stale = tmp_path / PREDICTIONS / "retired" / "synthetic" / "quotes.jsonl"
    stale.parent.mkdir(parents=True)
    stale.write_text("", encoding="utf-8")
    assert run_cli(capsys, *args)[0] == 0
    assert _snapshot(tmp_path) == first
    assert not stale.parent.parent.exists()  # a retired system's predictions do not linger


def test_the_synthetic_split_is_predicted_and_scored_too(release: Release, tmp_path: Path) -> None:
    board = run(tmp_path, with_synthetic(release), bootstrap=5, seed=0, jobs=1)
    synthetic = {f"{PREDICTIONS.as_posix()}/{b.system.name}/synthetic/{b.name}.jsonl" for b in BASELINES
                 if b.synthetic}
    assert synthetic < generated_files(tmp_path)
    assert {"boilerplate_synthetic", "doc_pairs_synthetic"} < set(board["tables"])
    rows = board["tables"]["doc_pairs_synthetic"]["rows"]
    assert {row["system"] for row in rows} == {b.system.name for b in BASELINES
                                               if b.synthetic and b.name == "doc_pairs"}


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
