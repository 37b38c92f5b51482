"""Predictions anchored by text: normalisation, the choice of places, scoring as offsets would, the gold itself
as text, ``newsgold align`` and its round trip, and strict input."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_cli
from newsgold import InputError
from newsgold.release.dataset import Release
from newsgold.scoring import aligned, load_gold, merge, read_predictions, report, score, statistics
from newsgold.scoring.align import (
    Article,
    Normalised,
    exact_places,
    normalise,
    normalised_places,
    ranked,
)
from test_scoring_properties import PROPERTY, random_predictions
from test_scoring_support import mini_data, mini_gold, releases, write_jsonl

TEXT_TASKS = ("quotes", "events", "passages")


@cache
def release() -> Release:
    return load_gold(None)


def without_alignment(out: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in out.items() if key != "alignment"}


# ---------------------------------------------------------------------------------------------------------
# Normalisation


@pytest.mark.parametrize(("a", "b"), [
    ("“We agreed,” she said", '"We agreed," she said'),
    ("it’s", "it's"),
    ("‘fine’", "'fine'"),
    ("wait…", "wait..."),
    ("Xi  Jinping\n\nsaid", "Xi Jinping said"),
    ("a\u00a0b", "a b"),
    ("talks — the first", "talks--the first"),
    ("talks — the first", "talks - the first"),
    ("2019–2023", "2019-2023"),
    ("ﬁnal", "final"),
    ("cafe\u0301", "café"),
    ("soft\u00adhyphen", "softhyphen"),
    ("  padded  ", "padded"),
])
def test_normalisation_makes_small_differences_equal(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalisation_keeps_case_words_and_punctuation() -> None:
    assert normalise("Talks") != normalise("talks")
    assert normalise("Bali.") != normalise("Bali")
    assert normalise("met") != normalise("meet")


ARTICLE_CHARACTERS = st.sampled_from(["a", "b", "Z", "1", " ", "\n", "\t", "-", "—", "–", "“", "”", "‘", "’", "'",
                                      '"', "…", ".", "\u00a0", "\u0301", "\u200b", "ﬁ", "é", "😀", "\u2028"])


@given(st.lists(ARTICLE_CHARACTERS, max_size=40).map("".join))
@PROPERTY
def test_the_mapped_form_is_the_normalised_form(raw: str) -> None:
    norm = Normalised.of(raw)
    assert norm.text.strip(" ") == normalise(raw)
    assert len(norm.lo) == len(norm.hi) == len(norm.text)
    assert all(lo < hi for lo, hi in zip(norm.lo, norm.hi, strict=True))
    assert norm.lo == sorted(norm.lo) and norm.hi == sorted(norm.hi)
    # Each normalised character comes from raw characters that normalise to something containing it.
    for k, (lo, hi) in enumerate(zip(norm.lo, norm.hi, strict=True)):
        assert norm.text[k] in Normalised.of(raw[lo:hi]).text


def test_a_normalised_match_maps_back_to_raw_offsets() -> None:
    raw = "He said “We  agreed—to talk…” and left."
    norm = Normalised.of(raw)
    [place] = normalised_places(raw, norm, normalise('"We agreed -- to talk..."'), (0, len(raw)))
    assert raw[place[0]:place[1]] == "“We  agreed—to talk…”"


# ---------------------------------------------------------------------------------------------------------
# Choosing a place


def test_places_inside_words_come_last() -> None:
    raw = "sometimes they met, and met again"
    assert exact_places(raw, "met", (0, len(raw))) == [(15, 18), (24, 27), (2, 5)]
    assert ranked(raw, [(2, 5)]) == [(2, 5)]


def test_the_same_text_takes_the_next_free_place_and_then_none() -> None:
    article = Article("They met. They met again.")
    places = []
    for _ in range(3):
        found = article.locate("met", None, None, None)
        places.append(found.place)
        if found.place:
            article.taken.add(found.place)
    assert places == [(5, 8), (15, 18), None]
    assert found.reason == "every place it matches in the article is already taken by an earlier prediction"


def test_occurrence_and_context_choose_the_place() -> None:
    article = Article("They met. They met again. “They met,” he said.")
    assert article.locate("met", 2, None, None).place == (15, 18)
    assert article.locate("met", 3, None, None).place == (32, 35)
    assert article.locate("met", 4, None, None).reason == ("occurrence 4 asked, but the text matches 3 places "
                                                           "in the article")
    found = article.locate("met", None, '"They met," he said', None)
    assert (found.place, found.method) == ((32, 35), "normalised")  # the context matched after normalisation
    assert article.locate("met", None, "They met again", None).place == (15, 18)
    assert article.locate("met", None, "They never met", None).reason == "context not found in the article"
    assert article.locate("talks", None, "They met again", None).reason == "not found inside its context"


def test_exact_beats_normalised_and_normalised_needs_no_fuzzy() -> None:
    article = Article("“Good,” he said. Later: \"Good,\" she said.")
    assert article.locate('"Good,"', None, None, None).place == (24, 31)  # the exact copy, though later
    assert article.locate("“Good,”", None, None, None).place == (0, 7)
    assert article.locate("Good, he said", None, None, None).reason == "not found in the article"


def test_fuzzy_finds_paraphrases_above_the_threshold_only() -> None:
    raw = release().articles["000_ab02e8bd791fa968"].text
    paraphrase = "We have agreed to follow through on the common understanding President Biden and I reached in Bali."
    assert Article(raw).locate(paraphrase, None, None, None).place is None
    found = Article(raw).locate(paraphrase, None, None, 85)
    assert found.method == "fuzzy"
    assert raw[found.place[0]:found.place[1]] == ("have agreed to follow through on the common understandings "
                                                   "President Biden and I have reached in Bali.")
    assert Article(raw).locate("The moon is made of green cheese, he said.", None, None, 85).place is None


# ---------------------------------------------------------------------------------------------------------
# The gold itself, given as text


def straight(text: str) -> str:
    """What a system that returns strings typically gives back: straight quotes, collapsed white space."""
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}))
    return re.sub(r"\s+", " ", text).strip()


def gold_quotes_as_text(gold: Release) -> list[dict[str, Any]]:
    entities = gold.entities()
    return [{"article_id": q["article_id"], "text": straight(q["text"]), "type": q["type"],
             "speaker": entities[q["speaker"]]["name"] if q["speaker"] in entities else q["speaker"]}
            for q in gold.records["quotes"]]


def gold_mentions_as_text(gold: Release, context: int = 40) -> list[dict[str, Any]]:
    types = {e["event_id"]: e["type"] for e in gold.records["events"]}
    out = []
    for m in gold.records["event_mentions"]:
        raw = gold.articles[m["article_id"]].text
        around = straight(raw[max(0, m["start"] - context):m["end"] + context])
        out.append({"article_id": m["article_id"], "text": m["text"], "context": around, "event": m["event_id"],
                    "type": types[m["event_id"]]})
    return out


def test_gold_quotes_as_text_score_as_the_gold() -> None:
    out = score("quotes", gold_quotes_as_text(release()), release())
    assert out["spans"]["strict"]["f1"] >= 0.97
    assert out["speaker"]["accuracy"] >= 0.97
    assert out["alignment"]["normalised"] > 0 and out["alignment"]["unaligned"] == 0


def test_gold_event_mentions_as_text_with_context_score_as_the_gold() -> None:
    out = score("events", gold_mentions_as_text(release()), release())
    assert out["spans"]["strict"]["f1"] >= 0.95
    assert out["alignment"]["unaligned"] == 0


def test_gold_passages_as_text_score_as_the_gold() -> None:
    clusters = [{"cluster": [{"article_id": m["article_id"], "text": straight(m["text"])} for m in c["members"]]}
                for c in release().records["passages"]]
    out = score("passages", clusters, release())
    assert out["links"]["f1"] == 1.0 and out["b3"]["f1"] == 1.0


@pytest.mark.parametrize("trigger", ["met", "talks"])
def test_repeated_short_triggers_land_on_their_occurrence_with_a_context(trigger: str) -> None:
    gold = release()
    mentions = [m for m in gold_mentions_as_text(gold) if m["text"] == trigger]
    offsets = [(m["article_id"], m["start"], m["end"]) for m in gold.records["event_mentions"]
               if m["text"] == trigger]
    repeated = {a for a, _, _ in offsets if sum(a == b for b, _, _ in offsets) > 1}
    assert repeated  # the release has articles where the trigger is a gold mention more than once
    # Backwards, so that "the first free place" would give every one the wrong place.
    records = read_predictions("events", mentions[::-1], gold)
    assert sorted((r["article_id"], r["start"], r["end"]) for r in records) == sorted(offsets)
    without = read_predictions("events", [{k: v for k, v in m.items() if k != "context"} for m in mentions[::-1]],
                               gold)
    assert [(r["start"], r["end"]) for r in without] != [(r["start"], r["end"]) for r in records]


# ---------------------------------------------------------------------------------------------------------
# Text-anchored and offset predictions give the same reports


def occurrence(raw: str, start: int, end: int) -> int:
    """The ``occurrence`` of ``raw[start:end]`` that is the place ``[start, end)``."""
    return exact_places(raw, raw[start:end], (0, len(raw))).index((start, end)) + 1


def as_text(record: dict[str, Any], gold: Release) -> dict[str, Any]:
    """An offset anchor (or a passage cluster of them) given by its text and occurrence instead."""
    if "cluster" in record:
        return {"cluster": [as_text(member, gold) for member in record["cluster"]]}
    raw = gold.articles[record["article_id"]].text
    start, end = record["start"], record["end"]
    rest = {key: value for key, value in record.items() if key not in ("start", "end")}
    return {**rest, "text": raw[start:end], "occurrence": occurrence(raw, start, end)}


def has_words(record: dict[str, Any], gold: Release) -> bool:
    members = record.get("cluster", [record])
    return all(not gold.articles[m["article_id"]].text[m["start"]:m["end"]].isspace() for m in members)


@given(st.data(), releases(), st.sampled_from(TEXT_TASKS))
@PROPERTY
def test_text_anchored_and_offset_predictions_give_identical_reports(data: st.DataObject, gold: Release,
                                                                     task: str) -> None:
    offsets = [r for r in random_predictions(data.draw, task, gold) if has_words(r, gold)]
    texts = [as_text(r, gold) for r in offsets]
    by_text = score(task, texts, gold)
    assert without_alignment(by_text) == score(task, offsets, gold)
    members = sum(len(r.get("cluster", [r])) for r in texts)
    if not members:
        assert "alignment" not in by_text  # nothing was given as text
        return
    assert by_text["alignment"] == {"offsets": 0, "exact": members, "normalised": 0, "fuzzy": 0, "unaligned": 0,
                                    "unaligned_records": []}
    # The offset form that `newsgold align` writes scores the same, alignment counts included.
    assert score(task, aligned(task, texts, gold), gold) == by_text


@given(st.data(), releases(), st.sampled_from(TEXT_TASKS))
@PROPERTY
def test_sharded_text_anchored_statistics_equal_the_whole(data: st.DataObject, gold: Release, task: str) -> None:
    offsets = [r for r in random_predictions(data.draw, task, gold) if has_words(r, gold)]
    texts = [as_text(r, gold) for r in offsets] + ([] if task == "passages" else [
        {"article_id": a, "text": "zzz never there"} for a in sorted(gold.articles)])
    records = read_predictions(task, texts, gold)
    shard_of = {a: data.draw(st.integers(0, 2)) for a in gold.articles}
    parts = [statistics(task, records, gold, [a for a, s in shard_of.items() if s == n]) for n in range(3)
             if any(s == n for s in shard_of.values())]
    assert report(task, merge(parts), gold) == report(task, statistics(task, records, gold), gold)


# ---------------------------------------------------------------------------------------------------------
# Unaligned records are spurious, listed, and kept


def test_an_unaligned_quote_is_spurious_and_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = mini_gold()
    path = write_jsonl(tmp_path / "quotes.jsonl", [
        {"article_id": "a1", "text": '"We agreed,"', "speaker": "Alice"},
        {"article_id": "a1", "text": "We agreed,", "type": "direct", "speaker": "Alice"},
        {"article_id": "a2", "text": "The talks failed", "type": "indirect", "speaker": "Bob"},
    ])
    out = score("quotes", path, gold)
    assert out["alignment"] == {"offsets": 0, "exact": 1, "normalised": 1, "fuzzy": 0, "unaligned": 1,
                                "unaligned_records": [{"line": 3, "field": "text", "article_id": "a2",
                                                       "text": "The talks failed",
                                                       "reason": "not found in the article"}]}
    assert out["counts"]["predicted"] == 3
    assert out["spans"]["strict"]["spurious"] == 2  # the invented quote, and the first one's quotation marks
    assert out["end_to_end"]["precision"] == 1 / 3
    code, text, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--gold-dir", str(mini_data()))
    assert (code, err) == (0, "")
    assert "  alignment: 0 offsets, 1 exact, 1 normalised, 0 fuzzy, 1 unaligned\n" in text
    assert "    unaligned, line 3 (text): 'The talks failed': not found in the article\n" in text
    markdown = tmp_path / "report.md"
    code, _, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--gold-dir", str(mini_data()),
                           "--markdown", str(markdown))
    assert (code, err) == (0, "")
    assert ("\nSpans given as text, aligned: 0 offsets, 1 exact, 1 normalised, 0 fuzzy, 1 unaligned.\n"
            in markdown.read_text(encoding="utf-8"))


def test_compare_says_how_each_system_was_aligned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_text = write_jsonl(tmp_path / "text.jsonl", [
        {"article_id": "a1", "text": "We agreed,", "type": "direct", "speaker": "Alice"},
        {"article_id": "a2", "text": "The talks failed", "type": "indirect", "speaker": "Bob"},
    ])
    by_offsets = write_jsonl(tmp_path / "offsets.jsonl", [{"article_id": "a1", "start": 54, "end": 64}])
    code, text, err = run_cli(capsys, "compare", str(by_text), str(by_offsets), "quotes", "--bootstrap", "20",
                              "--gold-dir", str(mini_data()))
    assert (code, err) == (0, "")
    assert ("  alignment of A: 0 offsets, 1 exact, 0 normalised, 0 fuzzy, 1 unaligned\n"
            "    unaligned, line 2 (text): 'The talks failed': not found in the article\n") in text
    assert "alignment of B" not in text  # offsets only: nothing to say
    code, text, err = run_cli(capsys, "compare", str(by_offsets), str(by_text), "quotes", "--bootstrap", "20",
                              "--gold-dir", str(mini_data()), "--json", "-")
    assert (code, err) == (0, "")
    assert json.loads(text)["alignment"] == {"b": {
        "offsets": 0, "exact": 1, "normalised": 0, "fuzzy": 0, "unaligned": 1,
        "unaligned_records": [{"line": 2, "field": "text", "article_id": "a2", "text": "The talks failed",
                               "reason": "not found in the article"}]}}


def test_an_unaligned_event_mention_keeps_its_cluster() -> None:
    gold = mini_gold()
    found = [{"article_id": "a1", "text": "met", "event": "x"}, {"article_id": "a2", "text": "met", "event": "x"}]
    invented = {"article_id": "a2", "text": "summit", "event": "x"}
    with_invented = score("events", [*found, invented], gold)
    assert with_invented["alignment"]["unaligned"] == 1
    assert with_invented["spans"]["strict"]["spurious"] == score("events", found, gold)["spans"]["strict"][
        "spurious"] + 1
    # The invented mention joins cluster x in the end-to-end response, as a spurious mention would.
    assert with_invented["coref_end_to_end"]["b3"]["precision"] < score("events", found, gold)[
        "coref_end_to_end"]["b3"]["precision"]


def test_an_unaligned_passage_member_matches_nothing() -> None:
    gold = mini_gold()
    members = [{"article_id": "a1", "text": "Alice met Bob in Paris on Monday."},
               {"article_id": "a2", "text": "Alice met Bob in Paris on Monday."}]
    assert score("passages", [{"cluster": members}], gold)["links"]["f1"] == 1.0
    out = score("passages", [{"cluster": [*members, {"article_id": "a3", "text": "It snowed"}]}], gold)
    assert out["alignment"]["unaligned_records"] == [{"line": 1, "field": "cluster[2].text", "article_id": "a3",
                                                      "text": "It snowed", "reason": "not found in the article"}]
    assert out["counts"]["predicted_members"] == 3 and out["counts"]["matched_members"] == 2
    assert out["links"]["precision"] == 1 / 3


def test_offsets_take_their_places_before_any_text() -> None:
    gold = mini_gold()
    records = read_predictions("events", [{"article_id": "a2", "text": "met"},
                                          {"article_id": "a2", "start": 26, "end": 29}], gold)
    assert records[0] == {"article_id": "a2", "start": 26, "end": 29}
    assert records[1]["alignment"] == "unaligned"
    # "met" occurs once in a2 and the offsets hold it: the text has nowhere left to go.
    assert records[1]["unaligned"]["reason"] == ("every place it matches in the article is already taken by an "
                                                 "earlier prediction")


def test_offsets_with_text_are_checked_for_agreement() -> None:
    gold = mini_gold()
    records = read_predictions("quotes", [{"article_id": "a1", "start": 54, "end": 64, "text": "We agreed,"},
                                          {"article_id": "a2", "start": 63, "end": 86,
                                           "text": "the  talks were useful 😀"}], gold)
    assert [r["alignment"] for r in records] == ["exact", "normalised"]
    with pytest.raises(InputError) as raised:
        read_predictions("quotes", [{"article_id": "a1", "start": 54, "end": 64, "text": "We disagreed"}], gold)
    assert [str(p) for p in raised.value.problems] == [
        "<predictions>:1: text: 'We disagreed' does not match the article's text at [54, 64): 'We agreed,'"]


# ---------------------------------------------------------------------------------------------------------
# Strict input


def lines(path: Path, *bodies: str) -> Path:
    path.write_text("".join(body + "\n" for body in bodies), encoding="utf-8")
    return path


BAD = {
    "neither offsets nor text": ("quotes", ['{"article_id": "a1", "type": "direct"}'],
                                 ["{p}:1: -: give start and end, or text"]),
    "start without end": ("events", ['{"article_id": "a1", "start": 3}'],
                          ["{p}:1: -: give start and end, or text", "{p}:1: end: required when start is given"]),
    "occurrence and context": ("events", ['{"article_id": "a1", "text": "met", "occurrence": 1, "context": "x met"}'],
                               ["{p}:1: context: not allowed with occurrence"]),
    "occurrence with offsets": ("quotes", ['{"article_id": "a1", "start": 54, "end": 64, "text": "We agreed,", '
                                           '"occurrence": 1}'],
                                ["{p}:1: occurrence: not allowed with start"]),
    "occurrence without text": ("quotes", ['{"article_id": "a1", "start": 54, "end": 64, "occurrence": 2}'],
                                ["{p}:1: occurrence: not allowed with start",
                                 "{p}:1: text: required when occurrence is given"]),
    "occurrence 0": ("events", ['{"article_id": "a1", "text": "met", "occurrence": 0}'],
                     ["{p}:1: occurrence: 0 is less than the minimum of 1"]),
    "alignment without offsets": ("events", ['{"article_id": "a1", "text": "met", "alignment": "exact"}'],
                                  ["{p}:1: start: required when alignment is given"]),
    "alignment unaligned": ("events", ['{"article_id": "a1", "start": 25, "end": 28, "text": "met", '
                                       '"alignment": "unaligned"}'],
                            ["{p}:1: alignment: 'unaligned' is not one of ['exact', 'normalised', 'fuzzy']"]),
    "unknown article": ("quotes", ['{"article_id": "zz", "text": "We agreed,"}'],
                        ["{p}:1: article_id: unknown article id 'zz'"]),
    "white space only": ("quotes", ['{"article_id": "a1", "text": " \\n "}'],
                         ["{p}:1: text: is white space only"]),
    "passage member": ("passages", ['{"cluster": [{"article_id": "a1", "text": "Alice met Bob"}, '
                                    '{"article_id": "zz", "text": "Alice met Bob"}, {"article_id": "a2", "start": 0, '
                                    '"end": 500}]}',
                                    '{"cluster": [{"article_id": "a1", "text": "Alice met Bob"}, '
                                    '{"article_id": "a2"}]}'],
                       ["{p}:1: cluster[1].article_id: unknown article id 'zz'",
                        "{p}:1: cluster[2].end: offsets [0, 500) outside the article (0..88)",
                        "{p}:2: cluster[1]: give start and end, or text"]),
    "text that disagrees": ("events", ['{"article_id": "a1", "start": 25, "end": 28, "text": "meet"}'],
                            ["{p}:1: text: 'meet' does not match the article's text at [25, 28): 'met'"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_text_anchor_is_one_exact_line(case: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    task, bodies, expected = BAD[case]
    path = lines(tmp_path / f"{task}.jsonl", *bodies)
    code, out, err = run_cli(capsys, "score", task, "--pred", str(path), "--gold-dir", str(mini_data()))
    assert (code, out) == (2, "")
    assert err.splitlines() == [line.format(p=path) for line in expected]


def test_bad_fuzzy_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "text": "We agreed"}')
    for value in ("0", "101", "nan"):
        code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--fuzzy", value,
                                 "--gold-dir", str(mini_data()))
        assert (code, out) == (2, "")
        assert err.startswith("<command line>:0: --fuzzy: a rapidfuzz score above 0 and at most 100")
    code, out, err = run_cli(capsys, "score", "doc_pairs", "--pred", str(path), "--fuzzy", "90",
                             "--gold-dir", str(mini_data()))
    assert (code, out, err) == (2, "", "<command line>:0: --fuzzy: aligns text-anchored spans, which doc_pairs "
                                       "predictions do not have\n")
    with pytest.raises(ValueError, match="fuzzy alignment is for quotes, events, passages"):
        score("boilerplate", [], mini_gold(), fuzzy=90)


def test_fuzzy_without_rapidfuzz_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "rapidfuzz", None)  # import rapidfuzz now raises ImportError
    path = lines(tmp_path / "quotes.jsonl", '{"article_id": "a1", "text": "We agreed"}')
    code, out, err = run_cli(capsys, "score", "quotes", "--pred", str(path), "--fuzzy", "90",
                             "--gold-dir", str(mini_data()))
    assert (code, out) == (2, "")
    assert err == "<command line>:0: --fuzzy: fuzzy alignment needs rapidfuzz: pip install 'newsgold[fuzzy]'\n"


# ---------------------------------------------------------------------------------------------------------
# newsgold align


def test_align_writes_the_offset_form_and_scoring_it_gives_the_same_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = write_jsonl(tmp_path / "quotes.jsonl", [
        {"article_id": "a2", "text": "the talks were useful", "speaker": "Bob"},
        {"article_id": "a1", "text": '"We agreed," Alice said', "type": "direct"},
        {"article_id": "a1", "text": "It snowed", "type": "direct"},
        {"article_id": "a1", "start": 19, "end": 24},
    ])
    out = tmp_path / "aligned.jsonl"
    code, text, err = run_cli(capsys, "align", "quotes", "--pred", str(pred), "--out", str(out),
                              "--gold-dir", str(mini_data()))
    assert (code, err) == (0, "")
    assert text == f"{out}: 4 records; 1 offsets, 1 exact, 1 normalised, 0 fuzzy, 1 unaligned\n"
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == [
        {"article_id": "a2", "start": 63, "end": 84, "text": "the talks were useful", "speaker": "Bob",
         "alignment": "exact"},
        {"article_id": "a1", "start": 53, "end": 76, "text": "“We agreed,” Alice said", "type": "direct",
         "alignment": "normalised"},
        {"article_id": "a1", "text": "It snowed", "type": "direct"},
        {"article_id": "a1", "start": 19, "end": 24},
    ]
    assert score("quotes", out, mini_gold()) == score("quotes", pred, mini_gold())
    code, again, _ = run_cli(capsys, "score", "quotes", "--pred", str(out), "--gold-dir", str(mini_data()))
    code, first, _ = run_cli(capsys, "score", "quotes", "--pred", str(pred), "--gold-dir", str(mini_data()))
    assert again == first


def test_align_checks_before_writing_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = lines(tmp_path / "events.jsonl", '{"article_id": "a1", "text": "met"}', '{"article_id": "zz", "text": "x"}')
    out = tmp_path / "aligned.jsonl"
    code, text, err = run_cli(capsys, "align", "events", "--pred", str(pred), "--out", str(out),
                              "--gold-dir", str(mini_data()))
    assert (code, text, err) == (2, "", f"{pred}:2: article_id: unknown article id 'zz'\n")
    assert not out.exists()
    code, text, err = run_cli(capsys, "align", "events", "--pred", str(pred), "--out",
                              str(tmp_path / "nowhere" / "x.jsonl"), "--gold-dir", str(mini_data()))
    assert code == 2 and err.endswith(f"cannot write: no such folder {str(tmp_path / 'nowhere')!r}\n")
    with pytest.raises(ValueError, match="only quotes, events, passages"):
        aligned("doc_pairs", [], mini_gold())


def test_score_all_and_compare_take_text_anchored_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(tmp_path / "events.jsonl", [{"article_id": "a1", "text": "met", "event": "m"}])
    write_jsonl(tmp_path / "doc_pairs.jsonl", [{"a": "a1", "b": "a2", "relation": "same_event"}])
    code, text, err = run_cli(capsys, "score", "all", "--pred-dir", str(tmp_path), "--gold-dir", str(mini_data()),
                              "--fuzzy", "90", "--json", "-")
    assert (code, err) == (0, "")
    out = json.loads(text)
    assert out["events"]["alignment"]["exact"] == 1 and "alignment" not in out["doc_pairs"]
    code, text, err = run_cli(capsys, "compare", str(tmp_path / "events.jsonl"), str(tmp_path / "events.jsonl"),
                              "events", "--bootstrap", "5", "--gold-dir", str(mini_data()), "--fuzzy", "90")
    assert (code, err) == (0, "")


def test_the_error_report_draws_the_placed_records_and_counts_the_rest(tmp_path: Path) -> None:
    from newsgold.html.report import render_report

    write_jsonl(tmp_path / "quotes.jsonl", [{"article_id": "a1", "text": "We agreed,", "type": "direct"},
                                            {"article_id": "a1", "text": "It snowed"}])
    write_jsonl(tmp_path / "passages.jsonl", [{"cluster": [
        {"article_id": "a1", "text": "Alice met Bob in Paris on Monday."},
        {"article_id": "a2", "text": "Alice met Bob in Paris on Monday."}, {"article_id": "a3", "text": "snow"}]}])
    page = render_report(tmp_path, mini_gold())
    assert "alignment.unaligned" in page and "It snowed" in page  # listed among the report's numbers
