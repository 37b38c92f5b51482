"""The published agreement is what the passes give, every disagreement is adjudicated in the log, and
`newsgold agree` shows both for any two passes."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, run_cli
from newsgold.agreement.figures import ABSENT, Pass, agreement_markdown, disagreements, kappa, read_passes
from newsgold.corpus import load_corpus

TASKS = ("boilerplate", "duplicates", "quotes", "events")


@pytest.fixture(scope="module")
def passes() -> dict[str, list[Pass]]:
    articles = load_corpus(REPO / "data" / "raw")
    return {task: read_passes(REPO, task, articles) for task in TASKS}


@pytest.mark.parametrize("task", TASKS)
def test_two_complete_independent_passes(passes: dict[str, list[Pass]], task: str) -> None:
    assert [p.annotator for p in passes[task]] == ["a", "b"]


def test_datasheet_agreement_block_is_reproduced_by_the_script() -> None:
    text = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- generated:agreement -->\n(.*?)\n<!-- /generated:agreement -->", text, re.S)
    assert block is not None
    assert block.group(1).strip() == agreement_markdown(REPO).strip()


def log_disagreements(task: str) -> str:
    """The "Disagreements" section of the task's adjudication log."""
    log = (REPO / "annotation" / "adjudication" / f"{task}.md").read_text(encoding="utf-8")
    section = re.search(r"^## Disagreements\n(.*?)(?=^## )", log, re.S | re.M)
    assert section is not None
    return section.group(1)


@pytest.mark.parametrize("task", TASKS)
def test_every_disagreement_is_in_the_adjudication_log(passes: dict[str, list[Pass]], task: str) -> None:
    section = log_disagreements(task)
    first, second = passes[task]
    found = disagreements(task, first, second)
    # Each disagreement is in the log with what both passes said; each entry of the log is one that was found.
    assert [d.place for d in found if d.place not in section] == []
    assert [d for d in found if not all(v in section for v in (*d.value_a.split(", "), *d.value_b.split(", "))
                                        if v != ABSENT)] == []
    entries = re.split(r"^### ", section, flags=re.M)[1:]
    assert [e.splitlines()[0] for e in entries if not any(d.place in e for d in found)] == []
    assert (not found) == section.strip().startswith("None.")


def test_event_disagreements_are_the_three_adjudicated(passes: dict[str, list[Pass]]) -> None:
    first, second = passes["events"]
    found = disagreements("events", first, second)
    assert [(d.record, d.field, d.place, d.line, d.value_a, d.value_b) for d in found] == [
        ("mention", "", "001_4f93319504ee3d29 [1796, 1800)", 24, "ev-blinken-china-visit", ABSENT),
        ("event", "date", "ev-aukus-partnership", 92, "2021", "2021-12"),
        ("event", "participants", "ev-japan-philippines-united-states-defense-agreement", 88,
         "japan, philippines, united_states", "jake_sullivan, japan, philippines"),
        ("event", "participants", "ev-japan-philippines-united-states-meeting", 88,
         "japan, philippines, united_states", "jake_sullivan, japan, philippines")]
    assert (found[0].before[-10:], found[0].text, found[0].after[:15]) == ("Biden had ", "sent", " him to Beijing")


# --- newsgold agree ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_agree_prints_the_datasheet_figures_and_the_logged_disagreements(capsys: pytest.CaptureFixture[str],
                                                                         tmp_path: Path, task: str) -> None:
    out_json, out_md = tmp_path / "agree.json", tmp_path / "agree.md"
    code, out, err = run_cli(capsys, "agree", task, "a", "b", "--root", str(REPO), "--json", str(out_json),
                             "--markdown", str(out_md))
    assert (code, err) == (0, "")
    report = json.loads(out_json.read_text(encoding="utf-8"))
    datasheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    log_text = out_md.read_text(encoding="utf-8")
    for figure in report["figures"]:
        # The same tables as the datasheet's, by the same code.
        table = log_text.split(f"**{figure['title']}**\n\n")[1].split("\n\n")[0]
        assert f"**{figure['title']}** — passes `a` and `b`\n\n{table}\n" in datasheet
        assert table in out
    section = log_disagreements(task)
    assert [d["place"] for d in report["disagreements"] if d["place"] not in section] == []
    assert len(report["disagreements"]) == {"events": 4}.get(task, 0)
    assert log_text.count("- **Decision / reason:**\n") == len(report["disagreements"])
    assert log_text.startswith(f"# Adjudication: {task}\n")


def test_agree_lists_the_sent_mention_with_its_context(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "agree", "events", "a", "b", "--root", str(REPO), "--markdown", "-")
    assert (code, err) == (0, "")
    assert ("### D1. Mention in a only: 001_4f93319504ee3d29 [1796, 1800), line 24\n\n"
            "> …beside the Chinese leader, Blinken said President Biden had **sent** him to Beijing “because he "
            "believes that the United States …\n\n- pass `a`: `ev-blinken-china-visit`\n- pass `b`: (none)\n"
            "- **Decision / reason:**\n") in out
    assert "### D2. Event date: ev-aukus-partnership (001_4f93319504ee3d29:92)" in out


def changed(p: Pass, config: str, change: Callable[[list[dict[str, Any]]], None]) -> Pass:
    records = copy.deepcopy(p.records)
    change(records[config])
    return replace(p, annotator=f"{p.annotator}-changed", records=records)


def test_every_kind_of_disagreement_is_listed(passes: dict[str, list[Pass]]) -> None:
    first = passes["boilerplate"][0]
    second = changed(first, "boilerplate", lambda rows: rows[3].update(role="advertisement"))
    [line] = disagreements("boilerplate", first, second)
    row = first.records["boilerplate"][3]
    assert (line.record, line.field, line.place, line.value_a, line.value_b, line.text) == (
        "line", "role", f"{row['article_id']}:{row['line_no']}", row["role"], "advertisement", row["text"])

    first = passes["duplicates"][0]
    second = changed(first, "doc_pairs", lambda rows: rows[0].update(relation="near_duplicate"))
    second = changed(second, "passages", lambda clusters: clusters[0]["members"][0].update(
        start=clusters[0]["members"][0]["start"] + 4))
    pair, boundary = disagreements("duplicates", first, second)
    assert (pair.record, pair.field, pair.value_a, pair.value_b) == ("pair", "relation", "partial_overlap",
                                                                     "near_duplicate")
    assert pair.text.startswith("a: 6 of 13 content sentences")
    member = first.records["passages"][0]["members"][0]
    assert (boundary.record, boundary.field, boundary.place) == ("passage", "span", _key(member))
    assert boundary.value_b.startswith(f"[{member['start'] + 4}, {member['end']})")

    first = passes["quotes"][0]
    second = changed(first, "quotes", lambda rows: (rows[0].update(speaker="unknown"), rows.pop(1)))
    moved = changed(first, "quotes", lambda rows: rows[0].update(quote_cluster="qc-new"))
    found = {(d.record, d.field, d.place) for d in disagreements("quotes", first, second)}
    quotes = first.records["quotes"]
    assert found == {("quote", "speaker", _key(quotes[0])), ("quote", "", _key(quotes[1]))}
    [cluster] = disagreements("quotes", first, moved)
    assert (cluster.field, cluster.value_a, cluster.value_b) == ("quote_cluster", quotes[0]["quote_cluster"],
                                                                 "qc-new (aligned with none)")

    first = passes["events"][0]
    second = changed(first, "event_mentions", lambda rows: rows[0].update(event_id="ev-blinken-china-visit"))
    second = changed(second, "entities", lambda rows: rows[0].update(name="A. Blinken"))
    found = disagreements("events", first, second)
    mention = first.records["event_mentions"][0]
    assert [(d.record, d.field, d.place, d.value_a, d.value_b) for d in found] == [
        ("mention", "event_id", _key(mention), mention["event_id"],
         "ev-blinken-china-visit (aligned with ev-blinken-china-visit)"),
        ("entity", "name", "antony_blinken", "Antony Blinken", "A. Blinken")]


def _key(record: dict[str, Any]) -> str:
    return f"{record['article_id']} [{record['start']}, {record['end']})"


@pytest.mark.parametrize(("argv", "expected"), [
    (["agree", "quotes", "a", "zz"], "{root}/annotation/passes/quotes/zz:0: -: no such pass folder"),
    (["agree", "citations", "a", "b"], "<command line>:0: task: unknown task 'citations'; one of boilerplate, "
                                       "duplicates, quotes, events, doc_pairs, passages"),
    (["agree", "quotes", "a", "{root}/annotation/passes/events/a"],
     "{root}/annotation/passes/events/a/quotes.jsonl:0: quotes: no records: the folder holds no quotes pass"),
    (["agree", "quotes", "a", "B!"], "<command line>:0: pass: 'B!' is not a pass name (a-z, 0-9, _ and -) nor a "
                                     "folder"),
    (["agree", "quotes", "a", "b", "--json", "{root}/no/such/folder/x.json"],
     "{root}/no/such/folder/x.json:0: -: cannot write: no such folder '{root}/no/such/folder'"),
])
def test_agree_bad_input_is_one_line_each_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                      expected: str) -> None:
    code, out, err = run_cli(capsys, *[a.format(root=REPO) for a in argv], "--root", str(REPO))
    assert (code, out, err) == (2, "", expected.format(root=REPO) + "\n")


def test_agree_reports_a_broken_pass_by_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    lines = (REPO / "annotation" / "passes" / "quotes" / "b" / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"type": "direct"', '"type": "sung"').replace('"type": "indirect"', '"type": "sung"')
    (folder / "quotes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "agree", "quotes", "a", str(folder), "--root", str(REPO))
    assert (code, out) == (2, "")
    assert err.startswith(f"{folder / 'quotes.jsonl'}:3: type: ")
    assert "Traceback" not in err


def test_kappa_is_undefined_for_one_shared_label() -> None:
    assert kappa(["body", "body"], ["body", "body"]) != kappa(["body", "body"], ["body", "body"])  # NaN
    assert kappa(["body", "caption"], ["body", "caption"]) == 1.0
