"""Label Studio round trips offline: configs, export, import, and every way an export can be wrong."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, REPO, run_cli
from newsgold.labelstudio.core import RECORD_IDS, TASK_KEY, interface, load_config, same_text
from newsgold.labelstudio.offsets import Offsets, utf16_length
from newsgold.records import BOILERPLATE_ROLES, EVENT_TYPES, QUOTE_TYPES, RELATIONS
from newsgold.release.dataset import Release
from newsgold.scoring import score
from newsgold.tasks import TASKS

GOLD = MINI / "annotation" / "gold"
Tasks = list[dict[str, Any]]


@pytest.fixture
def built(labelstudio_tree: Path) -> Path:
    """The small fixture tree with the labeling configs, built by the code under test (read only)."""
    return labelstudio_tree


@pytest.fixture
def tree(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(built, root)
    return root


def export(capsys: pytest.CaptureFixture[str], root: Path, task: str, *options: str) -> Tasks:
    path = root / f"{task}.tasks.json"
    code, _, err = run_cli(capsys, "ls", "export", task, "--root", str(root), "--out", str(path), *options)
    assert code == 0 and all(": warning: " in line for line in err.splitlines()), err  # warnings only
    tasks: Tasks = json.loads(path.read_text(encoding="utf-8"))
    return tasks


def as_served(tasks: Tasks) -> Tasks:
    """What Label Studio's JSON export makes of imported tasks: its own task and annotation ids, an annotator."""
    served = json.loads(json.dumps(tasks))
    for index, task in enumerate(served):
        task["id"] = 101 + index
        for j, annotation in enumerate(task.get("annotations", [])):
            annotation.update(id=201 + 10 * index + j, completed_by={"id": 1, "email": "a@example.org"},
                              was_cancelled=False, created_at="2024-01-01T10:00:00Z",
                              updated_at="2024-01-01T10:00:00Z")
    return served


def import_(capsys: pytest.CaptureFixture[str], root: Path, task: str, tasks: Tasks, into: str = "a",
            *options: str) -> tuple[int, str, str]:
    path = root / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return run_cli(capsys, "ls", "import", task, str(path), "--root", str(root), "--into", into, *options)


def pass_folder(root: Path, task: str, name: str = "a") -> Path:
    return root / "annotation" / "passes" / TASKS[task].annotation_task / name


def region(tasks: Tasks, key: str, region_id: str, control: str | None = None) -> dict[str, Any]:
    task = next(t for t in tasks if t["data"][TASK_KEY] == key)
    return next(r for r in task["annotations"][0]["result"]
                if r.get("id") == region_id and (control is None or r["from_name"] == control))


def test_every_task_has_a_converter_and_a_config() -> None:
    from newsgold.labelstudio import CONVERTERS

    assert sorted(CONVERTERS) == sorted(TASKS)
    for task, converter in CONVERTERS.items():
        assert set(converter.writes) | set(converter.carries) == set(TASKS[task].configs)
        assert (REPO / "annotation" / "labelstudio" / f"{task}.xml").is_file()


# --- configs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("task", "control", "labels"), [
    ("boilerplate", "role", BOILERPLATE_ROLES),
    ("doc_pairs", "relation", RELATIONS),
    ("passages", "passage", ("passage",)),
    ("quotes", "type", (*QUOTE_TYPES, "untyped")),
    ("quotes", "attribution", ("cue", "speaker_mention")),
    ("events", "trigger", (*EVENT_TYPES, "untyped")),
])
def test_config_is_valid_and_has_the_scheme_labels(task: str, control: str, labels: tuple[str, ...]) -> None:
    config = interface(load_config(REPO, task))
    config.validate()
    assert config.get_control(control).labels == list(labels)


@pytest.mark.parametrize("task", sorted(TASKS))
def test_exported_tasks_pass_the_sdk_checks(built: Path, capsys: pytest.CaptureFixture[str], task: str) -> None:
    config = interface(load_config(REPO, task))
    tasks = export(capsys, built, task, "--annotations", "gold")
    for task_json in tasks:
        # validate_task cannot take annotations (it raises TypeError): data and results are checked apart.
        assert config.validate_task({"data": task_json["data"]})
        for annotation in task_json["annotations"]:
            assert config.validate_annotation(annotation)


# --- round trips -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", sorted(TASKS))
def test_gold_comes_back_byte_for_byte(tree: Path, capsys: pytest.CaptureFixture[str], task: str) -> None:
    tasks = export(capsys, tree, task, "--annotations", "gold")
    code, out, err = import_(capsys, tree, task, as_served(tasks))
    assert (code, err) == (0, "")
    written = sorted(pass_folder(tree, task).iterdir())
    expected = [*TASKS[task].configs]
    assert [p.name for p in written] == sorted(f"{config}.jsonl" for config in expected)
    for path in written:
        assert path.read_bytes() == (GOLD / path.name).read_bytes(), path.name
    assert "note:" not in out


@pytest.mark.parametrize("task", sorted(TASKS))
def test_gold_into_itself_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str], task: str) -> None:
    tasks = export(capsys, tree, task, "--annotations", "gold")
    assert import_(capsys, tree, task, as_served(tasks), "gold")[0] == 0
    for path in (tree / "annotation" / "gold").iterdir():
        assert path.read_bytes() == (GOLD / path.name).read_bytes(), path.name


@pytest.mark.parametrize("task", sorted(TASKS))
def test_utf16_offsets_round_trip(tree: Path, capsys: pytest.CaptureFixture[str], task: str) -> None:
    tasks = export(capsys, tree, task, "--annotations", "gold", "--offset-unit", "utf16")
    code, _, err = import_(capsys, tree, task, as_served(tasks), "a", "--offset-unit", "utf16")
    assert (code, err) == (0, "")
    for path in pass_folder(tree, task).iterdir():
        assert path.read_bytes() == (GOLD / path.name).read_bytes(), path.name


def test_offsets_after_an_astral_character(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a2 is "Alice meets Bob 😀\n \n...": the quote after the emoji starts at code point 63, UTF-16 unit 64.
    quote = {"start": 63, "end": 86, "text": "the talks were useful 😀", "labels": ["indirect"]}
    codepoints = export(capsys, built, "quotes", "--annotations", "gold")
    assert region(codepoints, "quotes:a2", "q-a2-01", "type")["value"] == quote
    utf16 = export(capsys, built, "quotes", "--annotations", "gold", "--offset-unit", "utf16")
    assert region(utf16, "quotes:a2", "q-a2-01", "type")["value"] == {**quote, "start": 64, "end": 88}


def test_offsets_unit_conversion() -> None:
    text = "a😀b𝒜"
    utf16 = Offsets("utf16")
    assert [utf16.to_studio(text, i) for i in range(5)] == [0, 1, 3, 4, 6]
    assert [utf16.from_studio(text, i) for i in range(7)] == [0, 1, None, 2, 3, None, 4]
    assert Offsets("codepoints").from_studio(text, 5) is None
    assert utf16_length(text) == len(text.encode("utf-16-le")) // 2


def test_export_without_annotations_is_ready_to_annotate(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = export(capsys, built, "quotes")
    assert [t["data"][TASK_KEY] for t in tasks] == ["quotes:a1", "quotes:a2", "quotes:a3"]
    assert all("annotations" not in t and RECORD_IDS not in t["data"] for t in tasks)
    assert tasks[0]["data"]["speakers"][0] == {"value": "unknown", "html": "unknown speaker"}


def test_pass_as_annotations(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = pass_folder(tree, "quotes", "b")
    folder.mkdir(parents=True)
    lines = (GOLD / "quotes.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "quotes.jsonl").write_text(lines[0], encoding="utf-8")  # pass b found only the first quote
    tasks = export(capsys, tree, "quotes", "--annotations", "b")
    assert [len(t["annotations"][0]["result"]) for t in tasks] == [7, 0, 0]
    assert import_(capsys, tree, "quotes", as_served(tasks), "c")[0] == 0
    assert (pass_folder(tree, "quotes", "c") / "quotes.jsonl").read_text(encoding="utf-8") == lines[0]


# --- what an annotator does in the editor ------------------------------------------------------------------


def test_new_regions_get_new_ids_and_old_ones_keep_theirs(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = as_served(export(capsys, tree, "events", "--annotations", "gold"))
    a1 = tasks[0]["annotations"][0]["result"]
    text = tasks[0]["data"]["text"]
    start = text.index("Paris")
    new = {"id": "Xk3_f9QzLm", "from_name": "trigger", "to_name": "text", "type": "labels",
           "value": {"start": start, "end": start + 5, "text": "Paris", "labels": ["meeting"]}}
    a1 += [new, {**new, "from_name": "event", "type": "choices",
                 "value": {**new["value"], "labels": None, "choices": ["ev-meeting"]}}]
    del a1[-1]["value"]["labels"]
    assert import_(capsys, tree, "events", tasks)[0] == 0
    mentions = (pass_folder(tree, "events") / "event_mentions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(m)["mention_id"] for m in mentions] == ["m-a1-01", "m-a1-02", "m-a2-01", "m-a2-02"]
    assert json.loads(mentions[1])["text"] == "Paris"


def test_task_without_annotation_keeps_its_records(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = as_served(export(capsys, tree, "quotes", "--annotations", "gold"))
    del tasks[1]["annotations"]
    tasks[0]["annotations"][0]["result"] = []  # a1 now has no quotes
    code, out, _ = import_(capsys, tree, "quotes", tasks, "gold")
    assert code == 0
    assert "note: task 102 (quotes:a2): not annotated; its records stay as they are\n" in out
    gold = (GOLD / "quotes.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert (tree / "annotation" / "gold" / "quotes.jsonl").read_text(encoding="utf-8") == gold[1]


def test_boilerplate_region_over_several_lines(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = as_served(export(capsys, tree, "boilerplate", "--annotations", "gold"))
    a1 = tasks[0]["annotations"][0]["result"]
    # One selection from line 3 to line 4 labelled body, as the editor stores it: paragraph indices.
    a1[1:3] = [{**a1[1], "id": "Ab12Cd34Ef", "value": {**a1[1]["value"], "start": "1", "end": "2", "endOffset": 5,
                                                         "text": "Alice met Bob in Paris on Monday.“We ag"}}]
    assert import_(capsys, tree, "boilerplate", tasks)[0] == 0
    written = pass_folder(tree, "boilerplate") / "boilerplate.jsonl"
    assert written.read_bytes() == (GOLD / "boilerplate.jsonl").read_bytes()


def test_white_space_as_the_editor_shows_it(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A browser may render a run of spaces or a no-break space as one space; the offsets still count every
    # character, and the record takes its text from the article.
    tasks = as_served(export(capsys, tree, "quotes", "--annotations", "gold"))
    result(tasks, 0, 0)["value"]["text"] = "We\u00a0 agreed,"
    assert import_(capsys, tree, "quotes", tasks)[0] == 0
    assert (pass_folder(tree, "quotes") / "quotes.jsonl").read_bytes() == (GOLD / "quotes.jsonl").read_bytes()


@pytest.mark.parametrize(("raw", "shown", "same"), [
    ("Bob 😀\n \nAlice", "Bob 😀\\n \\nAlice", True),  # the editor writes a line break as backslash and n
    ("Bob 😀\n \nAlice", "Bob 😀\\n\\nAlice", True),  # and, unless pre-wrapped, drops a line of spaces
    ("Two  spaces", "Two spaces", True),
    ("and\u00a0nbsp", "and nbsp", True),
    ("We agreed,", "We agreed!", False),
    ("We agreed,", " We agreed", False),
    ("x", None, False),
])
def test_region_text_as_the_editor_writes_it(raw: str, shown: str | None, same: bool) -> None:
    assert same_text(raw, shown) is same


# --- choosing an annotation --------------------------------------------------------------------------------


def two_annotations(capsys: pytest.CaptureFixture[str], root: Path) -> Tasks:
    tasks = as_served(export(capsys, root, "doc_pairs", "--annotations", "gold"))
    first = tasks[0]["annotations"][0]
    second = json.loads(json.dumps(first))
    second.update(id=299, completed_by={"id": 2, "email": "b@example.org"}, updated_at="2024-02-01T10:00:00Z")
    second["result"][0]["value"]["choices"] = ["near_duplicate"]
    tasks[0]["annotations"].append(second)
    return tasks


def test_several_annotations_fail_listing_them(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = import_(capsys, tree, "doc_pairs", two_annotations(capsys, tree))
    assert (code, out) == (2, "")
    assert err == (f"{tree / 'export.json'}:0: tasks[0].annotations: task 101 (doc_pairs:a1/a2): 2 annotations "
                   "(annotation 201 by a@example.org, saved 2024-01-01T10:00:00Z; annotation 299 by b@example.org, "
                   "saved 2024-02-01T10:00:00Z); choose one with --annotator or --newest\n")
    assert not pass_folder(tree, "doc_pairs").exists()


@pytest.mark.parametrize(("option", "relation", "note"), [
    (("--annotator", "a@example.org"), "partial_overlap", "annotation 299 by b@example.org is not by a@example.org"),
    (("--annotator", "2"), "near_duplicate", "annotation 201 by a@example.org is not by 2"),
    (("--newest",), "near_duplicate", "annotation 201 by a@example.org is older than another; left out (--newest)"),
])
def test_choosing_an_annotation(tree: Path, capsys: pytest.CaptureFixture[str], option: tuple[str, ...],
                                relation: str, note: str) -> None:
    # Into the gold: with --annotator 2 the other pairs (annotated by a@ only) keep their records.
    code, out, err = import_(capsys, tree, "doc_pairs", two_annotations(capsys, tree), "gold", *option)
    assert (code, err) == (0, "")
    assert f"note: task 101 (doc_pairs:a1/a2): {note}" in out
    written = tree / "annotation" / "gold" / "doc_pairs.jsonl"
    first = json.loads(written.read_text(encoding="utf-8").split("\n")[0])
    assert first["relation"] == relation


def test_skipped_annotation_is_left_out_and_reported(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = two_annotations(capsys, tree)
    tasks[0]["annotations"][1].update(was_cancelled=True, result=[])
    code, out, err = import_(capsys, tree, "doc_pairs", tasks)
    assert (code, err) == (0, "")
    assert "note: task 101 (doc_pairs:a1/a2): annotation 299 by b@example.org was skipped; left out\n" in out
    assert (pass_folder(tree, "doc_pairs") / "doc_pairs.jsonl").read_bytes() == (GOLD / "doc_pairs.jsonl").read_bytes()


# --- a corrupted export: exit 2, every problem naming its task and region, nothing written ------------------


def corrupt(change: Callable[[Tasks], object]) -> Callable[[Tasks], Tasks]:
    def apply(tasks: Tasks) -> Tasks:
        change(tasks)
        return tasks

    return apply


def result(tasks: Tasks, task: int, index: int) -> dict[str, Any]:
    found: dict[str, Any] = tasks[task]["annotations"][0]["result"][index]
    return found


@pytest.mark.parametrize(("task", "change", "expected"), [
    pytest.param("quotes", corrupt(lambda t: result(t, 0, 0)["value"].update(text="We agreed!")),
                 ["tasks[0].annotations[0].result[0].value.text: task 101 (quotes:a1), region q-a1-01: a1: text "
                  "'We agreed!' does not equal the article's text at [54, 64): 'We agreed,'"], id="text-changed"),
    pytest.param("quotes", corrupt(lambda t: result(t, 1, 0)["value"].update(start=62, end=85)),
                 ["tasks[1].annotations[0].result[0].value.text: task 102 (quotes:a2), region q-a2-01: a2: text "
                  "'the talks were useful 😀' does not equal the article's text at [62, 85): ' the talks were "
                  "useful '"], id="offsets-moved"),
    pytest.param("quotes", corrupt(lambda t: result(t, 0, 0)["value"].update(start=55, end=65)),
                 ["tasks[0].annotations[0].result[0].value.text: task 101 (quotes:a1), region q-a1-01: a1: text "
                  "'We agreed,' does not equal the article's text at [55, 65): 'e agreed,”'"], id="offsets-shifted"),
    pytest.param("events", corrupt(lambda t: result(t, 0, 0)["value"].update(labels=["conference"])),
                 ["tasks[0].annotations[0].result[0].value.labels: task 101 (events:a1), region m-a1-01: unknown "
                  "label 'conference' for trigger; known: meeting, travel, postponement, military_incident, "
                  "agreement, legal_action, summit, other, untyped"], id="unknown-label"),
    pytest.param("boilerplate", corrupt(lambda t: result(t, 2, 0)["value"].update(paragraphlabels=["footer"])),
                 ["tasks[2].annotations[0].result[0].value.paragraphlabels: task 103 (boilerplate:a3), region L1: "
                  "unknown label 'footer' for role; known: title, body, caption, metadata, advertisement, "
                  "navigation, branding, related, comment_form, other"], id="unknown-role"),
    pytest.param("quotes", corrupt(lambda t: t[1]["data"].update(newsgold_id="quotes:zz")),
                 [*[f"tasks[1].annotations[0].result[{k}]: task 102 (quotes:zz), region {r}: left out: its task "
                    "is unknown" for k, r in enumerate(["q-a2-01", "q-a2-01", "q-a2-01", "Cue-58-62",
                                                         "Speaker-54-57", "q-a2-01->Cue-58-62",
                                                         "q-a2-01->Speaker-54-57"])],
                  "tasks[1].data.newsgold_id: task 102 (quotes:zz): names no article of the corpus"],
                 id="region-with-no-task"),
    pytest.param("quotes", corrupt(lambda t: t[0]["data"].update(newsgold_id="events:a1")),
                 [*[f"tasks[0].annotations[0].result[{k}]: task 101 (events:a1), region {r}: left out: its task "
                    "is unknown" for k, r in enumerate(["q-a1-01", "q-a1-01", "q-a1-01", "Cue-72-76",
                                                         "Speaker-66-71", "q-a1-01->Cue-72-76",
                                                         "q-a1-01->Speaker-66-71"])],
                  "tasks[0].data.newsgold_id: task 101 (events:a1): belongs to task events, not quotes"],
                 id="task-of-another-project"),
    pytest.param("quotes", corrupt(lambda t: t[0]["annotations"][0]["result"].append(
        {"id": "Zq81Lx0aBc", "from_name": "speaker", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 3, "text": "Big", "choices": ["bob"]}})),
                 ["tasks[0].annotations[0].result[7]: task 101 (quotes:a1), region Zq81Lx0aBc: speaker 'bob' is in "
                  "no record: no labelled span has its id"], id="value-of-no-region"),
    pytest.param("quotes", corrupt(lambda t: t[0]["annotations"][0]["result"].pop(5)),
                 ["tasks[0].annotations[0].result[3]: task 101 (quotes:a1), region Cue-72-76: cue is linked to no "
                  "quote"], id="cue-without-quote"),
    pytest.param("quotes", corrupt(lambda t: result(t, 0, 5).update(to_id="Cue-1-2")),
                 ["tasks[0].annotations[0].result[3]: task 101 (quotes:a1), region Cue-72-76: cue is linked to no "
                  "quote",
                  "tasks[0].annotations[0].result[5].to_id: task 101 (quotes:a1), region q-a1-01->Cue-1-2: relation "
                  "to_id 'Cue-1-2' names no region of this annotation"], id="dangling-relation"),
    pytest.param("events", corrupt(lambda t: result(t, 0, 1)["value"].update(choices=["ev-nothing"])),
                 ["tasks[0].annotations[0].result[1].value.choices: task 101 (events:a1), region m-a1-01: unknown "
                  "event 'ev-nothing'; add it to events.jsonl first"], id="unknown-event"),
    pytest.param("events", corrupt(lambda t: result(t, 0, 0)["value"].update(labels=["travel"])),
                 ["tasks[0].annotations[0].result[0].value.labels: task 101 (events:a1), region m-a1-01: labelled "
                  "travel but event ev-meeting is a meeting"], id="type-differs-from-registry"),
    pytest.param("passages", corrupt(lambda t: t[1]["annotations"][0].update(result=[])),
                 ["tasks[0].annotations[0].result[0]: task 101 (passages:a1), region Passage-1: members: "
                  "[{'article_id': 'a1', 'start': 19, 'end': 52, 'text': 'Alice met Bob in Paris on Monday.'}] "
                  "is too short"], id="cluster-of-one"),
    pytest.param("doc_pairs", corrupt(lambda t: t[0]["annotations"][0]["result"].pop(0)),
                 ["tasks[0].annotations[0].result: task 101 (doc_pairs:a1/a2): no relation chosen"],
                 id="no-relation"),
    pytest.param("quotes", corrupt(lambda t: t[0]["data"].update(text=t[0]["data"]["text"].replace("Big", "Huge"))),
                 [*[f"tasks[0].annotations[0].result[{k}]: task 101 (quotes:a1), region {r}: left out: its task "
                    "shows an old text" for k, r in enumerate(["q-a1-01", "q-a1-01", "q-a1-01", "Cue-72-76",
                                                               "Speaker-66-71", "q-a1-01->Cue-72-76",
                                                               "q-a1-01->Speaker-66-71"])],
                  "tasks[0].data.text: task 101 (quotes:a1): the task's text differs from the raw article; push "
                  "the task again and redo its annotation"], id="stale-task"),
])
def test_corrupted_export(tree: Path, capsys: pytest.CaptureFixture[str], task: str,
                          change: Callable[[Tasks], Tasks], expected: list[str]) -> None:
    tasks = change(as_served(export(capsys, tree, task, "--annotations", "gold")))
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    code, out, err = import_(capsys, tree, task, tasks)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{tree / 'export.json'}:0: {line}" for line in expected]
    assert "Traceback" not in err
    assert sorted(p.relative_to(tree) for p in tree.rglob("*")) == sorted([*before, Path("export.json")])


def test_utf16_export_read_as_code_points_names_the_unit(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tasks = as_served(export(capsys, tree, "quotes", "--annotations", "gold", "--offset-unit", "utf16"))
    code, _, err = import_(capsys, tree, "quotes", tasks)
    assert code == 2
    assert err.splitlines()[0] == (
        f"{tree / 'export.json'}:0: tasks[1].annotations[0].result[0].value.text: task 102 (quotes:a2), region "
        "q-a2-01: a2: text 'the talks were useful 😀' does not equal the article's text at [64, 88): 'he talks were "
        "useful 😀.\\n' (the offsets match in utf16: use --offset-unit utf16)")


def test_not_an_export(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "export.json").write_text('{"data": {}}', encoding="utf-8")
    code, _, err = run_cli(capsys, "ls", "import", "quotes", str(tree / "export.json"), "--root", str(tree),
                           "--into", "a")
    assert (code, err) == (2, f"{tree / 'export.json'}:0: -: a Label Studio JSON export is a list of tasks\n")


# --- predictions -------------------------------------------------------------------------------------------


PREDICTIONS = {
    "boilerplate": [{"article_id": "a1", "line_no": 5, "is_boilerplate": True},
                    {"article_id": "a2", "line_no": 1, "is_boilerplate": False, "role": "title"}],
    "doc_pairs": [{"a": "a2", "b": "a1", "relation": "near_duplicate", "score": 0.8},
                  {"a": "a1", "b": "a3", "score": 7.5}],
    "passages": [{"cluster": [{"article_id": "a1", "start": 19, "end": 52}, {"article_id": "a2", "start": 20,
                                                                            "end": 53}]}],
    "quotes": [{"article_id": "a2", "start": 63, "end": 86, "speaker": "Bob Example"},
               {"article_id": "a1", "start": 54, "end": 64, "type": "direct", "speaker": "nobody"}],
    "events": [{"article_id": "a2", "start": 26, "end": 29, "event": "sys-7", "type": "meeting"},
               {"article_id": "a1", "start": 25, "end": 28}],
}


@pytest.mark.parametrize("task", sorted(TASKS))
def test_predictions_become_pre_annotations(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            task: str) -> None:
    path = tmp_path / f"{task}.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PREDICTIONS[task]), encoding="utf-8")
    tasks = export(capsys, built, task, "--predictions", str(path), "--model-version", "sys-1")
    config = interface(load_config(REPO, task))
    predicted = [t for t in tasks if "predictions" in t]
    assert predicted
    for task_json in predicted:
        (prediction,) = task_json["predictions"]
        assert prediction["model_version"] == "sys-1"
        assert config.validate_prediction(prediction, return_errors=True) == []


def test_prediction_details(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for task in ("quotes", "doc_pairs", "boilerplate"):
        (tmp_path / f"{task}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PREDICTIONS[task]),
                                                encoding="utf-8")
    quotes = export(capsys, built, "quotes", "--predictions", str(tmp_path / "quotes.jsonl"), "--model-version", "s")
    a2 = quotes[1]["predictions"][0]["result"]
    # No type: shown as untyped for the annotator to type; a speaker named by name is shown by its id.
    assert [(r["from_name"], r["value"].get("labels") or r["value"].get("choices")) for r in a2] == [
        ("type", ["untyped"]), ("speaker", ["bob"])]
    assert [r["from_name"] for r in quotes[0]["predictions"][0]["result"]] == ["type"]  # "nobody" resolves to no one
    code, _, err = run_cli(capsys, "ls", "export", "quotes", "--root", str(built), "--out", str(tmp_path / "q.json"),
                           "--predictions", str(tmp_path / "quotes.jsonl"), "--model-version", "s")
    assert (code, err) == (0, f"{tmp_path / 'quotes.jsonl'}:2: speaker: warning: 'nobody' resolves to no entity: it "
                              "is no entity id, name or alias of the registry (1 prediction, first here); it counts "
                              "as no speaker\n")
    pairs = export(capsys, built, "doc_pairs", "--predictions", str(tmp_path / "doc_pairs.jsonl"),
                   "--model-version", "s")
    assert pairs[0]["predictions"][0]["score"] == 0.8
    assert "score" not in pairs[1]["predictions"][0]  # 7.5 is outside Label Studio's [0, 1]
    lines = export(capsys, built, "boilerplate", "--predictions", str(tmp_path / "boilerplate.jsonl"),
                   "--model-version", "s")
    assert [r["value"]["paragraphlabels"] for t in lines[:2] for r in t["predictions"][0]["result"]] == [
        ["other"], ["title"]]


# PREDICTIONS of the span tasks anchored by their text, and one text found nowhere (last).
BY_TEXT = {
    "quotes": [{"article_id": "a2", "text": "the talks were useful 😀", "speaker": "Bob Example"},
               {"article_id": "a1", "text": "We agreed,", "type": "direct", "speaker": "nobody"},
               {"article_id": "a1", "text": "Nobody said this", "type": "direct"}],
    "events": [{"article_id": "a2", "text": "met", "event": "sys-7", "type": "meeting"},
               {"article_id": "a1", "text": "met"},
               {"article_id": "a2", "text": "convened", "context": "Alice convened Bob"}],
    "passages": [{"cluster": [{"article_id": "a1", "text": "Alice met Bob in Paris on Monday."},
                              {"article_id": "a2", "text": "Alice met Bob in Paris on Monday."},
                              {"article_id": "a3", "text": "It snowed in Lyon."}]}],
}


@pytest.mark.parametrize("task", sorted(BY_TEXT))
def test_predictions_given_as_text_are_placed_as_scoring_places_them(
        built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], task: str) -> None:
    by_offsets, by_text = tmp_path / "offsets.jsonl", tmp_path / "text.jsonl"
    by_offsets.write_text("".join(json.dumps(p) + "\n" for p in PREDICTIONS[task]), encoding="utf-8")
    by_text.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in BY_TEXT[task]), encoding="utf-8")
    expected = export(capsys, built, task, "--predictions", str(by_offsets), "--model-version", "s")
    out_path = tmp_path / "tasks.json"
    code, out, err = run_cli(capsys, "ls", "export", task, "--root", str(built), "--out", str(out_path),
                             "--predictions", str(by_text), "--model-version", "s", "--fuzzy", "90")
    assert code == 0, err
    # The regions of the placed spans are those of the same spans given by offsets; the one found nowhere has none.
    assert json.loads(out_path.read_text(encoding="utf-8")) == expected
    assert (f"{by_text}: spans placed as scoring places them: 0 offsets, 2 exact, 0 normalised, 0 fuzzy, "
            "1 unaligned (1 without a region, each warned about above)\n") in out
    line, field = (1, "cluster[2].text") if task == "passages" else (3, "text")
    unplaced = [w for w in err.splitlines() if w.startswith(f"{by_text}:{line}: {field}: warning: ")]
    assert len(unplaced) == 1 and unplaced[0].endswith("no region drawn (scoring counts it as spurious)"), err
    # The same counts as the score report's, with the same option.
    report = score(task, by_text, Release.load(built / "data"), fuzzy=90)
    assert {kind: n for kind, n in report["alignment"].items() if kind != "unaligned_records"} == {
        "offsets": 0, "exact": 2, "normalised": 0, "fuzzy": 0, "unaligned": 1}


def test_fuzzy_needs_predictions_with_text(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = str(tmp_path / "t.json")
    code, _, err = run_cli(capsys, "ls", "export", "quotes", "--root", str(built), "--out", out_path, "--fuzzy", "90")
    assert (code, err) == (2, "<command line>:0: --fuzzy: aligns the spans of --predictions; give them\n")
    code, _, err = run_cli(capsys, "ls", "export", "doc_pairs", "--root", str(built), "--out", out_path,
                           "--fuzzy", "101")
    assert code == 2 and "--fuzzy: a rapidfuzz score above 0 and at most 100, not 101" in err


def test_bad_prediction_file(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quotes.jsonl"
    path.write_text('{"article_id": "zz", "start": 0, "end": 3}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "ls", "export", "quotes", "--root", str(built), "--out", str(tmp_path / "t.json"),
                           "--predictions", str(path), "--model-version", "s")
    assert code == 2
    assert err.startswith(f"{path}:1: article_id: ")
    code, _, err = run_cli(capsys, "ls", "export", "quotes", "--root", str(built), "--out", str(tmp_path / "t.json"),
                           "--predictions", str(path))
    assert (code, err) == (2, "<command line>:0: --model-version: --predictions and --model-version go together\n")


# --- a live server that cannot be used ---------------------------------------------------------------------


def test_unreachable_server_is_one_line(built: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "x" * 40)
    code, out, err = run_cli(capsys, "ls", "pull", "quotes", "--root", str(built), "--into", "a")
    assert (code, out) == (2, "")
    assert err.startswith(f"{url}:0: LABEL_STUDIO_URL: cannot reach Label Studio: ")
    assert err.count("\n") == 1


def test_missing_key_is_one_line(built: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    code, _, err = run_cli(capsys, "ls", "pull", "quotes", "--root", str(built), "--into", "a")
    assert (code, err) == (2, "http://127.0.0.1:9:0: LABEL_STUDIO_API_KEY: set LABEL_STUDIO_API_KEY to your access "
                              "token (Label Studio: Account & Settings)\n")


# --- push, against a stand-in for the SDK client -----------------------------------------------------------


class StandIn:
    """The few SDK calls ``push`` makes, recorded; tasks and projects kept in memory."""

    def __init__(self) -> None:
        from types import SimpleNamespace

        self.calls: list[tuple[str, int]] = []
        self.tasks: list[Any] = []
        self.project: Any = None
        self.projects = SimpleNamespace(list=self._projects, create=self._create, get=lambda pid: self.project,
                                        update=self._update, import_tasks=self._import,
                                        import_predictions=lambda pid, request: self.calls.append(
                                            ("predictions", len(request))))
        self.tasks_api = SimpleNamespace(list=lambda **kw: list(self.tasks), update=self._update_task)

    def _projects(self, title: str) -> list[Any]:
        return [self.project] if self.project else []

    def _create(self, title: str, label_config: str, description: str) -> Any:
        from types import SimpleNamespace

        self.project = SimpleNamespace(id=7, title=title, label_config=label_config)
        return self.project

    def _update(self, pid: int, label_config: str) -> None:
        self.project.label_config = label_config
        self.calls.append(("config", 1))

    def _import(self, pid: int, request: Tasks, commit_to_project: bool) -> None:
        from types import SimpleNamespace

        self.calls.append(("import", len(request)))
        self.tasks += [SimpleNamespace(id=1000 + len(self.tasks) + i, data=t["data"]) for i, t in enumerate(request)]

    def _update_task(self, id: str, data: dict[str, Any]) -> None:
        self.calls.append(("update", 1))
        next(t for t in self.tasks if str(t.id) == id).data = data


def test_push_in_batches_and_again(capsys: pytest.CaptureFixture[str]) -> None:
    from types import SimpleNamespace

    from newsgold.labelstudio.client import Server, push

    stand_in = StandIn()
    server = Server("http://ls.invalid", SimpleNamespace(projects=stand_in.projects, tasks=stand_in.tasks_api))  # type: ignore[arg-type]
    tasks = [{"data": {TASK_KEY: f"quotes:x{i:03d}", "text": "t", RECORD_IDS: [f"q-{i}"]},
              "annotations": [{"result": []}]} for i in range(250)]
    report = push(server, "quotes", "<View/>", tasks)
    assert (report.created, report.added, stand_in.calls) == (True, 250, [("import", 100), ("import", 100),
                                                                           ("import", 50)])
    assert "adding quotes tasks: 100%" in capsys.readouterr().err  # more than one batch: a progress bar
    # Pushed again without annotations and with one text changed: that task's data is refreshed and keeps the
    # record ids its annotation carries; no task is added twice and no annotation is sent again.
    again = [{"data": {TASK_KEY: t["data"][TASK_KEY], "text": "u" if i == 3 else "t"}} for i, t in enumerate(tasks)]
    again[5]["predictions"] = [{"model_version": "s", "result": []}]
    stand_in.calls.clear()
    report = push(server, "quotes", "<View/>\n", again)
    assert (report.created, report.config_updated, report.added, report.refreshed) == (False, False, 0, 1)
    assert (report.predictions_added, report.annotations_not_added) == (1, 0)
    assert stand_in.calls == [("update", 1), ("predictions", 1)]
    assert stand_in.tasks[3].data == {TASK_KEY: "quotes:x003", "text": "u", RECORD_IDS: ["q-3"]}
