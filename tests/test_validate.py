"""Each kind of defect the validator knows is seeded into a copy of the data and reported exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from newsgold.release.layout import MANIFEST, file_entry

Records = list[dict]


def edit(data: Path, config: str, change: Callable[[Records], Records], *, refresh_manifest: bool = True) -> Path:
    """Rewrite one released file through ``change``; keep the manifest in step unless told otherwise."""
    path = data / config / "test.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records = change(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    if refresh_manifest:
        manifest = json.loads((data / MANIFEST).read_text(encoding="utf-8"))
        manifest["files"][f"{config}/test.jsonl"] = file_entry(path, len(records))
        (data / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def at(index: int, **fields: object) -> Callable[[Records], Records]:
    def change(records: Records) -> Records:
        records[index].update(fields)
        return records

    return change


def validate(capsys: pytest.CaptureFixture[str], data: Path) -> tuple[int, list[str]]:
    code, _, err = run_cli(capsys, "validate", str(data))
    assert "Traceback" not in err
    return code, err.splitlines()[:-1]  # the last line is the count


def test_repository_release_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "validate", str(REPO / "data"))
    assert (code, err) == (0, "")
    assert out.endswith(": valid\n")


def test_fixture_release_is_valid(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "validate", str(mini / "data"))[0] == 0


@pytest.mark.parametrize(
    ("config", "change", "expected"),
    [
        pytest.param("quotes", at(0, start=55), ":1: text: text 'We agreed,' does not equal the article's text at "
                     "[55, 64): 'e agreed,'", id="bad-offset"),
        pytest.param("quotes", at(0, end=999), ":1: text: offsets [54, 999) outside the article (0..96)",
                     id="offset-outside"),
        pytest.param("event_mentions", at(0, text="met!"), ":1: text: text 'met!' does not equal the article's "
                     "text at [25, 28): 'met'", id="text-mismatch"),
        pytest.param("quotes", at(1, cue={"start": 58, "end": 62, "text": "Said"}), ":2: cue.text: text 'Said' does "
                     "not equal the article's text at [58, 62): 'said'", id="nested-span-mismatch"),
        pytest.param("quotes", at(0, speaker="carol"), ":1: speaker: unknown entities id 'carol'", id="unknown-entity"),
        pytest.param("event_mentions", at(2, event_id="ev-nothing"), ":3: event_id: unknown events id 'ev-nothing'",
                     id="unknown-event"),
        pytest.param("event_mentions", at(0, article_id="zz"), ":1: article_id: unknown articles id 'zz'",
                     id="unknown-article"),
        pytest.param("quotes", at(1, quote_id="q-a1-01"), ":2: quote_id: duplicate quote_id 'q-a1-01' (first at "
                     "{path}:1)", id="duplicate-id"),
        pytest.param("quotes", at(0, type="reported"), ":1: type: 'reported' is not one of ['direct', 'mixed', "
                     "'indirect']", id="schema-enum"),
        pytest.param("quotes", at(0, quote_id="../etc"), ":1: quote_id: '../etc' does not match "
                     "'^[a-z0-9][a-z0-9_-]*$'", id="schema-id-pattern"),
        pytest.param("events", at(0, colour="red"), ":1: colour: unknown field", id="schema-unknown-field"),
        pytest.param("boilerplate", at(0, is_boilerplate=True), ":1: is_boilerplate: False was expected",
                     id="schema-role-flag"),
    ],
)
def test_seeded_defect_is_reported(mini: Path, capsys: pytest.CaptureFixture[str], config: str,
                                   change: Callable[[Records], Records], expected: str) -> None:
    path = edit(mini / "data", config, change)
    code, lines = validate(capsys, mini / "data")
    assert code == 2
    assert lines == [f"{path}{expected.format(path=path)}"]


def test_missing_line_label(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit(mini / "data", "boilerplate", lambda records: records[:-1])
    code, lines = validate(capsys, mini / "data")
    assert (code, lines) == (2, [f"{path}:0: line_no: missing line label: a3 line 2 'It rained in Lyon.'"])


def test_missing_pair(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit(mini / "data", "doc_pairs", lambda records: [*records, dict(records[0], a="a2", b="a1")])
    code, lines = validate(capsys, mini / "data")
    assert code == 2
    assert lines == [f"{path}:4: b: a pair is written with a < b; got a='a2', b='a1'"]
    path = edit(mini / "data", "doc_pairs", lambda records: records[1:3])
    code, lines = validate(capsys, mini / "data")
    assert (code, lines) == (2, [f"{path}:0: relation: missing pair: a1 / a2"])


def test_missing_required_field(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def drop_cue(records: Records) -> Records:
        del records[0]["cue"]
        return records

    path = edit(mini / "data", "quotes", drop_cue)
    assert validate(capsys, mini / "data") == (2, [f"{path}:1: cue: required field is missing"])


def test_manifest_mismatch(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "data", "events", at(0, description="Changed."), refresh_manifest=False)
    code, lines = validate(capsys, mini / "data")
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith(f"{mini / 'data' / MANIFEST}:0: files.events/test.jsonl.sha256: manifest says ")


def test_every_problem_is_listed_not_only_the_first(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit(mini / "data", "quotes", lambda r: at(1, speaker="nobody")(at(0, type="x")(r)))
    code, lines = validate(capsys, mini / "data")
    assert code == 2
    assert lines == [f"{path}:1: type: 'x' is not one of ['direct', 'mixed', 'indirect']",
                     f"{path}:2: speaker: unknown entities id 'nobody'"]


def test_invalid_json_line(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "data" / "events" / "test.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    code, lines = validate(capsys, mini / "data")
    assert code == 2
    assert lines[0].startswith(f"{path}:2: -: not valid JSON: ")


def test_two_gold_mentions_with_one_span(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit(mini / "data", "event_mentions", lambda r: [*r, dict(r[0], mention_id="m-a1-99")])
    code, lines = validate(capsys, mini / "data")
    assert (code, lines) == (2, [f"{path}:4: start: another event_mentions record marks the same span "
                                 f"(first at {path}:1)"])


def test_whole_number_float_is_not_an_offset(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit(mini / "data", "quotes", at(0, start=54.0))
    code, lines = validate(capsys, mini / "data")
    assert (code, lines[0]) == (2, f"{path}:1: start: 54.0 is not of type 'integer'")


def test_duplicate_key_in_a_record(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "data" / "events" / "test.jsonl"
    line = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(line[:-1] + ', "type": "other"}\n', encoding="utf-8")
    code, lines = validate(capsys, mini / "data")
    assert (code, lines[0]) == (2, f"{path}:1: type: duplicate key in one object")
