"""The published agreement is what the passes give, and every disagreement is adjudicated in the log."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from newsgold.agreement import Pass, agreement_markdown, disagreements, kappa, read_passes
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


@pytest.mark.parametrize("task", TASKS)
def test_every_disagreement_is_in_the_adjudication_log(passes: dict[str, list[Pass]], task: str) -> None:
    log = (REPO / "annotation" / "adjudication" / f"{task}.md").read_text(encoding="utf-8")
    first, second = passes[task]
    missing = [place for place in disagreements(task, first, second) if place not in log]
    assert missing == []


def test_event_disagreements_are_the_three_adjudicated(passes: dict[str, list[Pass]]) -> None:
    first, second = passes["events"]
    assert disagreements("events", first, second) == [
        "001_4f93319504ee3d29 [1796, 1800)", "ev-aukus-partnership",
        "ev-japan-philippines-united-states-defense-agreement", "ev-japan-philippines-united-states-meeting"]


def test_kappa_is_undefined_for_one_shared_label() -> None:
    assert kappa(["body", "body"], ["body", "body"]) != kappa(["body", "body"], ["body", "body"])  # NaN
    assert kappa(["body", "caption"], ["body", "caption"]) == 1.0
