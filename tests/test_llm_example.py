"""examples/llm/: a chat model's recorded answers, parsed into prediction files and scored end to end.

No network and no model: the answers in examples/llm/answers/ are the fixture, written in the style of a chat
model (straight quotes, paraphrased words, invented quotes, one malformed JSON line).
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, run_cli
from newsgold.scoring import load_gold, read_predictions, score

EXAMPLE = REPO / "examples" / "llm"


@cache
def parser() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parse_answers", EXAMPLE / "parse_answers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(task: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[str]]:
    out = folder / f"{task}.jsonl"
    assert parser().main([task, str(EXAMPLE / "answers" / task), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    return out, captured.err.splitlines()


def test_each_task_has_a_prompt_asking_for_what_the_parser_reads() -> None:
    for task, key in (("quotes", '"quote"'), ("events", '"trigger"')):
        prompt = (EXAMPLE / f"prompt-{task}.md").read_text(encoding="utf-8")
        assert "{article}" in prompt and key in prompt and "JSON" in prompt


def test_recorded_quote_answers_score_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, warnings = predictions("quotes", tmp_path, capsys)
    reply = EXAMPLE / "answers" / "quotes" / "001_4f93319504ee3d29.txt"
    # The malformed line is shown, with its place in the reply, not dropped in silence.
    assert warnings == [f"warning: {reply}:13: not valid JSON (Expecting ',' delimiter: line 1 column 17 "
                        "(char 16)); skipped"]
    gold = load_gold(None)
    out = score("quotes", path, gold)
    alignment = out["alignment"]
    assert {k: alignment[k] for k in ("offsets", "exact", "normalised", "fuzzy", "unaligned")} == {
        "offsets": 0, "exact": 34, "normalised": 10, "fuzzy": 0, "unaligned": 6}
    invented = ["We are not seeking a new Cold War with China", "Our door is always open to dialogue",
                "The relationship has hit rock bottom"]
    unaligned = {item["line"]: item["text"] for item in alignment["unaligned_records"]}
    assert sorted(unaligned) == [5, 11, 27, 38, 43, 50] and set(invented) <= set(unaligned.values())
    assert out["counts"] == {"articles": 5, "gold": 73, "predicted": 50, "matched": 42}
    assert out["spans"]["strict"]["spurious"] == 8  # the six unaligned and two that match no gold quote
    assert 0.3 < out["spans"]["strict"]["f1"] < out["spans"]["partial"]["f1"] < 0.6
    assert out["speaker"]["accuracy"] > 0.8

    # With a fuzzy threshold the paraphrases align; the invented quotes still do not.
    fuzzy = score("quotes", path, gold, fuzzy=90)
    assert (fuzzy["alignment"]["fuzzy"], fuzzy["alignment"]["unaligned"]) == (3, 3)
    assert [item["text"] for item in fuzzy["alignment"]["unaligned_records"]] == invented
    assert fuzzy["counts"]["matched"] == 45

    # The text output says what was assumed, with the line of each unaligned quote.
    code, text, err = run_cli(capsys, "score", "quotes", "--pred", str(path))
    # The model names some speakers the registry does not know ("senior State Department official"): warned
    # about, and counted as no speaker.
    assert code == 0 and all(": speaker: warning: " in line for line in err.splitlines())
    assert "'senior State Department official' resolves to no entity" in err
    assert "  alignment: 0 offsets, 34 exact, 10 normalised, 0 fuzzy, 6 unaligned\n" in text
    assert "    unaligned, line 11 (text): 'We are not seeking a new Cold War with China': not found in the article\n" \
        in text


def test_recorded_event_answers_score_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, warnings = predictions("events", tmp_path, capsys)
    assert warnings == []
    gold = load_gold(None)
    out = score("events", path, gold)
    assert {k: out["alignment"][k] for k in ("exact", "normalised", "fuzzy", "unaligned")} == {
        "exact": 30, "normalised": 11, "fuzzy": 0, "unaligned": 1}
    assert [(item["text"], item["reason"]) for item in out["alignment"]["unaligned_records"]] == [
        ("summit", "context not found in the article")]
    assert out["spans"]["strict"]["precision"] > 0.85
    # A paragraph the article repeats: the same trigger and context twice land on its two copies.
    records = [r for r in read_predictions("events", path, gold)
               if r["article_id"] == "003_aa4f3911fa2366ff" and r["text"] == "sat down"]
    assert sorted((r["start"], r["end"]) for r in records) == [(279, 287), (533, 541)]
    gold_places = {(m["article_id"], m["start"], m["end"]) for m in gold.records["event_mentions"]}
    assert {("003_aa4f3911fa2366ff", r["start"], r["end"]) for r in records} <= gold_places
    # The model's own event names link mentions across articles.
    assert out["counts"]["predicted_clusters"] < out["counts"]["predicted"]


@pytest.mark.parametrize("task", ["quotes", "events"])
def test_aligned_answers_score_the_same(task: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = predictions(task, tmp_path, capsys)
    offsets = tmp_path / f"{task}.offsets.jsonl"
    code, _, err = run_cli(capsys, "align", task, "--pred", str(path), "--out", str(offsets), "--fuzzy", "90")
    assert code == 0 and all(": speaker: warning: " in line for line in err.splitlines())
    assert len(offsets.read_text(encoding="utf-8").splitlines()) == len(path.read_text(encoding="utf-8").splitlines())
    assert score(task, offsets) == score(task, path, fuzzy=90)
    assert all("alignment" in record or "start" not in record
               for record in map(json.loads, offsets.read_text(encoding="utf-8").splitlines()))
