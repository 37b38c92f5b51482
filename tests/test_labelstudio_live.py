"""Label Studio round trips through a real server: push every task with the gold, pull it back, byte for byte."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from conftest import MINI, REPO, run_cli
from labelstudio_server import Editor, LabelStudioServer
from newsgold.corpus import Article
from newsgold.labelstudio.client import connect, find_project
from newsgold.labelstudio.core import Annotation, Where, interface, load_config
from newsgold.labelstudio.offsets import Offsets
from newsgold.spans import Span
from newsgold.tasks import TASKS

pytestmark = pytest.mark.labelstudio
GOLD = MINI / "annotation" / "gold"


@pytest.fixture
def live(label_studio_server: LabelStudioServer, labelstudio_tree: Path, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio_server.api_key)
    root = tmp_path / "tree"
    shutil.copytree(labelstudio_tree, root)
    return root


def test_every_task_round_trips_through_the_server(live: Path, capsys: pytest.CaptureFixture[str],
                                                   label_studio_server: LabelStudioServer) -> None:
    began = time.monotonic()
    for task in sorted(TASKS):
        code, out, err = run_cli(capsys, "ls", "push", task, "--root", str(live), "--annotations", "gold")
        assert code == 0, err
        assert out.endswith("created; 3 tasks added, 0 refreshed, 0 unchanged\n")
        saved = live / f"{task}.export.json"
        code, out, err = run_cli(capsys, "ls", "pull", task, "--root", str(live), "--into", "live",
                                 "--save", str(saved))
        assert code == 0, err
        assert "note:" not in out
        folder = live / "annotation" / "passes" / TASKS[task].annotation_task / "live"
        for config in TASKS[task].configs:
            assert (folder / f"{config}.jsonl").read_bytes() == (GOLD / f"{config}.jsonl").read_bytes(), config
        # The server numbered the tasks and annotations itself, and named the annotator.
        export = json.loads(saved.read_text(encoding="utf-8"))
        assert all(isinstance(t["id"], int) and t["annotations"][0]["completed_by"]["email"] for t in export)
    # A second push changes nothing: tasks are matched by their newsgold_id, annotations stay.
    code, out, _ = run_cli(capsys, "ls", "push", "quotes", "--root", str(live), "--annotations", "gold")
    assert (code, out.split(": ", 1)[1]) == (0, "0 tasks added, 0 refreshed, 3 unchanged\nnote: 3 tasks were "
                                                "already in the project and keep their annotations; the annotations "
                                                "given for them were not added (push into a new --project to start "
                                                "over)\n")
    print(f"\nLabel Studio started in {label_studio_server.startup_seconds:.1f} s; five round trips took "
          f"{time.monotonic() - began:.1f} s")


def test_astral_offsets_both_ways(live: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The server stores offsets as sent: UTF-16 offsets (older editors) come back as UTF-16, and convert."""
    for unit, name in (("codepoints", "cp"), ("utf16", "u16")):
        project = ("--project", f"newsgold quotes {unit}", "--offset-unit", unit)
        assert run_cli(capsys, "ls", "push", "quotes", "--root", str(live), "--annotations", "gold", *project)[0] == 0
        saved = live / f"{name}.json"
        code, _, err = run_cli(capsys, "ls", "pull", "quotes", "--root", str(live), "--into", name, "--save",
                               str(saved), *project)
        assert code == 0, err
        assert (live / "annotation" / "passes" / "quotes" / name / "quotes.jsonl").read_bytes() == \
            (GOLD / "quotes.jsonl").read_bytes()
        a2 = next(t for t in json.loads(saved.read_text(encoding="utf-8")) if t["data"]["newsgold_id"] == "quotes:a2")
        quote = next(r for r in a2["annotations"][0]["result"] if r.get("id") == "q-a2-01")
        # "Alice meets Bob 😀\n \n...": after the emoji, code point 63 is UTF-16 unit 64.
        assert (quote["value"]["start"], quote["value"]["end"]) == ((63, 86) if unit == "codepoints" else (64, 88))


def test_predictions_reach_the_server_whole(live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quotes.jsonl"
    path.write_text('{"article_id": "a2", "start": 63, "end": 86, "type": "indirect", "speaker": "Bob"}\n',
                    encoding="utf-8")
    project = ("--project", "newsgold quotes predicted")
    code, _, err = run_cli(capsys, "ls", "push", "quotes", "--root", str(live), "--predictions", str(path),
                           "--model-version", "sys-1", *project)
    assert code == 0, err
    saved = tmp_path / "export.json"
    code, out, err = run_cli(capsys, "ls", "pull", "quotes", "--root", str(live), "--into", "p", "--save",
                             str(saved), *project)
    assert code == 0, err
    assert out.count("not annotated") == 3  # predictions are pre-annotations, never records
    a2 = next(t for t in json.loads(saved.read_text(encoding="utf-8")) if t["data"]["newsgold_id"] == "quotes:a2")
    (prediction,) = a2["predictions"]
    assert prediction["model_version"] == "sys-1"
    assert [r["value"].get("labels") or r["value"].get("choices") for r in prediction["result"]] == [
        ["indirect"], ["bob"]]


def test_wrong_key_is_one_line(live: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                               label_studio_server: LabelStudioServer) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "0" * 40)
    code, out, err = run_cli(capsys, "ls", "push", "quotes", "--root", str(live))
    assert (code, out) == (2, "")
    assert err == (f"{label_studio_server.url}:0: LABEL_STUDIO_API_KEY: Label Studio refused the API key "
                   "(401 Invalid token.)\n")


def test_the_editor_counts_code_points(live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       label_studio_server: LabelStudioServer) -> None:
    """What Label Studio's own editor writes for an annotator's selection, measured in a headless browser."""
    title = "newsgold passages editor"
    assert run_cli(capsys, "ls", "push", "passages", "--root", str(live), "--project", title)[0] == 0
    server = connect(label_studio_server.url, label_studio_server.api_key)
    project_id = find_project(server, title).id
    task = next(t for t in server.client.tasks.list(project=project_id) if t.data["newsgold_id"] == "passages:a2")
    text = task.data["text"]  # "Alice meets Bob 😀\n \nAlice met Bob in Paris on Monday.\nBob said the talks …"
    wanted = {"after an emoji": (text.index("talks"), text.index("talks") + 5),
              "across lines": (text.index("Bob 😀"), text.index("Paris") + 5)}
    editor = Editor(label_studio_server, tmp_path)
    try:
        editor.open(project_id, task.id)
        assert editor.white_space() == "pre-wrap"  # the config's style reaches the text
        dom = Offsets("utf16")  # the browser's selection counts UTF-16 units
        made = {name: editor.select("passage", "passage", dom.to_studio(text, start), dom.to_studio(text, end))
                for name, (start, end) in wanted.items()}
    finally:
        editor.close()
    config = interface(load_config(REPO, "passages"))
    article = Article.from_text("a2", "mini", text)
    for name, (start, end) in wanted.items():
        value = made[name]["value"]
        assert (value["start"], value["end"]) == (start, end), name  # code points: 😀 counts one
        annotation = Annotation([made[name]], config, Where("editor", 0), task.data)
        assert annotation.span(annotation.regions[0].spans()[0], article, Offsets()) == Span.of(text, start, end)
    # The editor writes a line break inside a region's text as the two characters backslash and n.
    assert made["across lines"]["value"]["text"] == text[slice(*wanted["across lines"])].replace("\n", "\\n")


def test_the_editor_saves_what_was_pushed(live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          label_studio_server: LabelStudioServer) -> None:
    """An annotator who opens a gold task and submits it unchanged sends back exactly the regions pushed."""
    server = connect(label_studio_server.url, label_studio_server.api_key)
    kept = ("id", "from_name", "to_name", "type", "value", "from_id", "to_id", "direction")

    def regions(results: list[dict[str, object]]) -> list[str]:
        return sorted(json.dumps({k: r.get(k) for k in kept}, sort_keys=True, ensure_ascii=False) for r in results)

    editor = Editor(label_studio_server, tmp_path)
    try:
        for task in sorted(TASKS):
            title = f"newsgold {task} in the editor"
            assert run_cli(capsys, "ls", "push", task, "--root", str(live), "--annotations", "gold",
                           "--project", title)[0] == 0
            project_id = find_project(server, title).id
            # a2 holds the emoji; doc_pairs shows it beside a1.
            item = next(t for t in server.client.tasks.list(project=project_id, fields="all")
                        if t.data["newsgold_id"].endswith(("a2", "a1/a2")))
            editor.open(project_id, item.id, ".lsf-paragraphs" if task == "boilerplate" else
                        ".lsf-htx-richtext .lsf-richtext__line")
            pushed = item.annotations[0]["result"]
            assert pushed, task
            assert regions(editor.results()) == regions(pushed), task
    finally:
        editor.close()
