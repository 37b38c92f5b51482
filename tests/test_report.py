"""The error-analysis report: known errors are classified as such, and the page shows them in a real browser.

The browser helpers here (headless Chromium, a small DOM parsed with ``html.parser``) are shared with
``test_viewer.py``. Without Chromium these tests skip with one line naming ``make browser``, except under
``CI=true``, where they fail: CI must draw the pages (see ``browser.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import newsgold
from browser import chromium
from conftest import REPO, copy_tree, run_cli
from newsgold.cli import main
from newsgold.html.report import CLASSIFIERS, render_report
from newsgold.release.dataset import Release

# ---------------------------------------------------------------------------------------------------------
# A real browser, and the DOM it ends with

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def browse(url: str, *flags: str) -> str:
    """Run headless Chromium on ``url`` with a fresh profile and return what it printed."""
    with tempfile.TemporaryDirectory(prefix="newsgold-chromium-") as profile:
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=1280,2000", *flags, url],
            capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(page: Path, png: Path) -> Path:
    browse(page.resolve().as_uri(), f"--screenshot={png}")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "no PNG written"
    assert png.stat().st_size > 10_000, "the screenshot is (nearly) empty"
    return png


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = field(default=None, repr=False)
    children: list[Node | str] = field(default_factory=list, repr=False)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def all(self, tag: str | None = None, **attrs: str | None) -> list[Node]:
        """Descendants with ``tag`` whose attributes equal ``attrs`` (None: only present; ``data_x`` is data-x)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [n for n in self.walk() if (tag is None or n.tag == tag) and all(
            name in n.attrs and (value is None or n.attrs[name] == value) for name, value in wanted.items())]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestor(self, predicate: Callable[[Node], bool]) -> Node | None:
        node = self.parent
        while node is not None and not predicate(node):
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def dom(page: Path, query: str = "") -> Node:
    """The page's DOM after its scripts ran, as Chromium serialises it."""
    return parse(browse(page.resolve().as_uri() + query, "--dump-dom"))


def annotations(root: Node, kind: str, side: str | None = None) -> set[str]:
    """The distinct ``data-ann`` of the marks of one kind (segments of one mark count once)."""
    return {n.attrs["data-ann"] for n in root.all(data_kind=kind, data_ann=None)
            if side is None or n.attrs.get("data-side") == side}


def section(root: Node, task: str) -> Node:
    found = root.all("section", data_task=task)
    assert len(found) == 1, f"expected one section for {task}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------------------------------------------------
# A release with known errors

EVIL = ('<script>document.title = "injected"</script> Alice met Bob & co\n'
        '<img src=x onerror="document.title=\'img\'"> <b>bold</b> said Bob.\n')


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def append_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def build(root: Path) -> Path:
    assert main(["build", "--root", str(root)]) == 0
    return root / "data"


@pytest.fixture
def release_dir(mini: Path) -> Path:
    """The mini fixture, built (three articles, one cluster, every layer annotated)."""
    return build(mini)


@pytest.fixture
def evil_release(mini: Path, tmp_path: Path) -> Path:
    """The mini fixture plus an article whose text is HTML and script, labelled and built."""
    raw = tmp_path / "incoming" / "a4.txt"
    raw.parent.mkdir()
    raw.write_text(EVIL, encoding="utf-8")
    assert main(["add", "--root", str(mini), "evil", str(raw)]) == 0
    first, second = EVIL.split("\n")[:2]
    gold = mini / "annotation" / "gold"
    append_jsonl(gold / "boilerplate.jsonl", [{"article_id": "a4", "line_no": 1, "text": first, "role": "title"},
                                              {"article_id": "a4", "line_no": 2, "text": second, "role": "body"}])
    met = EVIL.index("met")
    append_jsonl(gold / "event_mentions.jsonl", [{"mention_id": "m-a4-01", "article_id": "a4", "start": met,
                                                  "end": met + 3, "text": "met", "event_id": "ev-meeting"}])
    bold = EVIL.index("<b>bold</b>")
    said = EVIL.index("said Bob")
    append_jsonl(gold / "quotes.jsonl", [{
        "quote_id": "q-a4-01", "article_id": "a4", "type": "indirect", "start": bold, "end": bold + 11,
        "text": "<b>bold</b>", "cue": {"start": said, "end": said + 4, "text": "said"},
        "speaker_mention": {"start": said + 5, "end": said + 8, "text": "Bob"}, "speaker": "bob",
        "quote_cluster": "qc-evil"}])
    return build(mini)


def line(article_id: str, line_no: int, role: str) -> dict[str, Any]:
    return {"article_id": article_id, "line_no": line_no, "is_boilerplate": role not in ("title", "body"), "role": role}


def write_predictions(folder: Path) -> Path:
    """Predictions derived from the mini gold with deliberate errors of every kind; EXPECTED counts them."""
    write_jsonl(folder / "boilerplate.jsonl", [
        line("a1", 1, "title"), line("a1", 3, "caption"),  # body predicted boilerplate: spurious
        line("a1", 4, "body"), line("a1", 5, "body"),  # advertisement predicted content: missed
        line("a2", 1, "body"),  # title predicted body: type
        line("a2", 3, "body"), line("a2", 4, "body"), line("a3", 1, "title"),
    ])  # a3 line 2 (body) has no prediction: content without a role, so type
    write_jsonl(folder / "doc_pairs.jsonl", [{"a": "a1", "b": "a2", "relation": "near_duplicate"},
                                             {"a": "a1", "b": "a3", "relation": "unrelated"},
                                             {"a": "a2", "b": "a3", "relation": "unrelated"}])
    write_jsonl(folder / "passages.jsonl", [{"cluster": [{"article_id": "a1", "start": 19, "end": 52},
                                                         {"article_id": "a2", "start": 20, "end": 40}]}])
    write_jsonl(folder / "quotes.jsonl", [
        {"article_id": "a1", "start": 54, "end": 64, "type": "direct", "speaker": "Alice"},  # correct (an alias)
        {"article_id": "a2", "start": 63, "end": 80, "type": "direct", "speaker": "alice"},  # boundary, type, link
        {"article_id": "a3", "start": 14, "end": 31, "type": "indirect", "speaker": "unknown"},  # spurious
    ])
    write_jsonl(folder / "events.jsonl", [
        {"article_id": "a1", "start": 25, "end": 28, "event": "e1", "type": "meeting"},  # correct
        {"article_id": "a2", "start": 6, "end": 11, "event": "e2", "type": "meeting"},  # link: e1 is aligned
        {"article_id": "a3", "start": 17, "end": 23, "event": "e3", "type": "other"},  # spurious
    ])  # a2 [26, 29) "met" is not predicted: missed
    return folder


EXPECTED = {
    "boilerplate": {"correct": 5, "type": 2, "missed": 1, "spurious": 1},
    "doc_pairs": {"correct": 2, "type": 1},
    "passages": {"correct": 1, "boundary": 1},
    "quotes": {"correct": 1, "boundary": 1, "type": 1, "link": 1, "spurious": 1},
    "events": {"correct": 1, "link": 1, "missed": 1, "spurious": 1},
}
ERRORS = {"boilerplate": 4, "doc_pairs": 1, "passages": 1, "quotes": 2, "events": 3}  # outcomes that are errors
MARKS = {  # (kind, side): distinct annotations drawn
    "passages": {("passage", "gold"): 2, ("passage", "pred"): 2},
    "quotes": {("quote", "gold"): 2, ("quote", "pred"): 3, ("cue", "gold"): 2, ("speaker", "gold"): 2},
    "events": {("mention", "gold"): 3, ("mention", "pred"): 3},
    "boilerplate": {("line", "gold"): 9},
    "doc_pairs": {("pair", None): 3},
}


def read_records(folder: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------------------------------------
# Classification


def test_every_deliberate_error_is_classified(release_dir: Path, tmp_path: Path) -> None:
    predictions = write_predictions(tmp_path / "pred")
    release = Release.load(release_dir)
    for task, expected in EXPECTED.items():
        result = CLASSIFIERS[task](release, read_records(predictions, task))
        assert dict(result.counts()) == expected, task
        assert sum(o.is_error for o in result.outcomes) == ERRORS[task], task


def test_cluster_alignment_marks_a_split_event(release_dir: Path) -> None:
    release = Release.load(release_dir)
    # The gold event has three mentions; the system splits them 2 + 1: the smaller part is a link error.
    split = [{"article_id": "a1", "start": 25, "end": 28, "event": "x"},
             {"article_id": "a2", "start": 6, "end": 11, "event": "x"},
             {"article_id": "a2", "start": 26, "end": 29, "event": "y"}]
    result = CLASSIFIERS["events"](release, split)
    assert result.aligned == {"x": "ev-meeting"}
    assert dict(result.counts()) == {"correct": 2, "link": 1}


def test_predictions_without_types_are_not_type_errors(release_dir: Path) -> None:
    release = Release.load(release_dir)
    untyped = [{"article_id": "a1", "start": 54, "end": 64, "speaker": "alice"}]
    assert dict(CLASSIFIERS["quotes"](release, untyped).counts()) == {"correct": 1, "missed": 1}


# ---------------------------------------------------------------------------------------------------------
# The page


def test_report_in_the_browser_shows_every_task_and_every_annotation(
        release_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    predictions = write_predictions(tmp_path / "pred")
    out = tmp_path / "report.html"
    code, printed, _ = run_cli(capsys, "report", "--pred-dir", str(predictions), "--out", str(out),
                               "--gold-dir", str(release_dir))
    assert code == 0 and "wrote" in printed
    root = dom(out)
    assert root.all("section", data_task="summary")
    for task, marks in MARKS.items():
        part = section(root, task)
        for (kind, side), count in marks.items():
            assert len(annotations(part, kind, side)) == count, (task, kind, side)
        rows = part.all("tr", data_kinds=None)
        assert len(rows) == ERRORS[task], task
        # Every listed error links to an element of the page that carries its kinds.
        for row in rows:
            target = row.all("a", href=None)[-1].attrs["href"][1:]
            found = root.all(id=target)
            assert len(found) == 1, target
            assert set(found[0].attrs.get("data-kinds", "").split()) == set(row.attrs["data-kinds"].split())
    # The summary quotes the scorer: its F1 for each task, as newsgold.score computes it.
    summary = " ".join(n.text() for n in section(root, "summary").all("td"))
    for task, path in (("quotes", ("spans", "strict", "f1")), ("passages", ("links", "f1"))):
        value: Any = newsgold.score(task, predictions / f"{task}.jsonl", release_dir)
        for key in path:
            value = value[key]
        assert f"{'.'.join(path)} {value:.4f}" in summary
    assert not root.all("script", src=None) and not root.all("link", href=None), "the page fetches nothing"
    screenshot(out, tmp_path / "report.png")


def test_filters_start_from_the_query_string(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text(render_report(write_predictions(tmp_path / "pred"), Release.load(release_dir)), encoding="utf-8")
    root = dom(out, "?tasks=quotes,events&kinds=missed,spurious")
    shown = {s.attrs["data-task"] for s in root.all("section", data_task=None) if "hidden" not in s.attrs}
    assert shown == {"summary", "quotes", "events"}
    visible_rows = [r for r in section(root, "events").all("tr", data_kinds=None) if "off" not in r.classes()]
    assert sorted(r.attrs["data-kinds"] for r in visible_rows) == ["missed", "spurious"]
    dimmed = {n.attrs["data-ann"] for n in section(root, "quotes").all(data_kind="quote") if "off" in n.classes()}
    # Both sides of the correct pair and of the boundary/type/link pair are dimmed; the spurious quote is not.
    assert dimmed == {"g-quotes-q-a1-01", "p-quotes-1", "g-quotes-q-a2-01", "p-quotes-2"}


def test_an_article_of_html_and_script_is_shown_as_text(evil_release: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    met = EVIL.index("met")
    write_jsonl(pred / "events.jsonl", [{"article_id": "a4", "start": met, "end": met + 3, "event": "e1"}])
    write_jsonl(pred / "quotes.jsonl", [{"article_id": "a4", "start": EVIL.index("<b>"), "end": EVIL.index("said"),
                                         "speaker": "Bob"}])
    out = tmp_path / "report.html"
    out.write_text(render_report(pred, Release.load(evil_release)), encoding="utf-8")
    assert_shown_as_text(dom(out), "Error analysis: pred")
    screenshot(out, tmp_path / "evil.png")


def assert_shown_as_text(root: Node, title: str) -> None:
    """The page kept its own title and script, grew no element from the article, and shows the article's text."""
    assert [t.text() for t in root.all("title")] == [title]
    assert len(root.all("script")) == 1, "only the page's own script"
    assert not root.all("img") and not root.all("b"), "markup of the article became elements"
    docs = [d for d in root.all("div", data_article="a4")]
    assert docs, "the article is drawn"
    for doc in docs:
        text = doc.text()
        assert '<script>document.title = "injected"</script> Alice met Bob & co' in text
        assert "<b>bold</b> said Bob." in text
    assert any(m.text() == "met" for m in root.all(data_kind="mention"))
    assert any("<b>bold" in m.text() for m in root.all(data_kind="quote"))


def test_report_is_deterministic(release_dir: Path, tmp_path: Path) -> None:
    predictions = write_predictions(tmp_path / "pred")
    first = render_report(predictions, Release.load(release_dir))
    again = tmp_path / "again"
    shutil.copytree(predictions, again / "pred")
    assert render_report(again / "pred", Release.load(release_dir)) == first


def test_scores_only_and_whole_text_predictions_are_shown_without_kinds(release_dir: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    write_jsonl(pred / "doc_pairs.jsonl", [{"a": "a1", "b": "a2", "score": 0.75}])
    write_jsonl(pred / "boilerplate_text.jsonl", [{"article_id": "a1", "text": "Big News Headline"}])
    root = parse(render_report(pred, Release.load(release_dir)))
    pairs = section(root, "doc_pairs")
    assert [c.text() for c in pairs.all(data_kind="pair")] == ["partial_overlapscore 0.7500", "unrelated", "unrelated"]
    assert not pairs.all("tr", data_kinds=None) and "scores only" in pairs.text()
    assert "scored as a whole" in section(root, "boilerplate_text").text()


def test_bad_predictions_are_problems_not_tracebacks(release_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / "pred"
    write_jsonl(pred / "quotes.jsonl", [{"article_id": "nope", "start": 0, "end": 3}])
    code, _, err = run_cli(capsys, "report", "--pred-dir", str(pred), "--out", str(tmp_path / "r.html"),
                           "--gold-dir", str(release_dir))
    assert code == 2 and "quotes.jsonl:1: article_id: unknown article id 'nope'" in err
    code, _, err = run_cli(capsys, "report", "--pred-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "r.html"),
                           "--gold-dir", str(release_dir))
    assert code == 2 and "no such folder" in err
    assert not (tmp_path / "r.html").exists()


BASELINES = REPO / "baselines" / "predictions"


@pytest.mark.parametrize("system", sorted(p.name for p in BASELINES.glob("*") if p.is_dir()) if BASELINES.is_dir()
                         else [pytest.param("none", marks=pytest.mark.skip(reason="no baselines/predictions yet"))])
def test_report_of_a_baseline_on_the_release(system: str, tmp_path: Path) -> None:
    release_dir = build(copy_tree(REPO, tmp_path / "repo"))
    folder = BASELINES / system
    out = tmp_path / "report.html"
    out.write_text(render_report(folder, Release.load(release_dir)), encoding="utf-8")
    root = dom(out)
    spans = {"quotes": "quote", "events": "mention"}
    for name in sorted(p.stem for p in folder.glob("*.jsonl")):
        if name not in CLASSIFIERS:
            continue
        part = section(root, name)
        if name in spans:
            records = read_records(folder, name)
            assert len(annotations(part, spans[name], "pred")) == len(records), name
        if name == "passages":
            members = sum(len(r["cluster"]) for r in read_records(folder, name))
            assert len(annotations(part, "passage", "pred")) == members
    assert len(root.all("section", data_task=None)) == 1 + len(list(folder.glob("*.jsonl")))
    screenshot(out, tmp_path / "baseline.png")


def test_passages_are_paired_by_the_scorer_own_match(release_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report pairs passage members with ``newsgold.scoring.passages.match``, not a copy of it."""
    from newsgold.scoring import passages

    calls = []
    real = passages.match

    def spy(gold: Any, pred: Any) -> Any:
        calls.append((gold.tolist(), pred.tolist()))
        return real(gold, pred)

    monkeypatch.setattr(passages, "match", spy)
    release = Release.load(release_dir)
    pred = [{"cluster": [{"article_id": "a1", "start": 19, "end": 52}, {"article_id": "a2", "start": 20, "end": 40}]}]
    result = CLASSIFIERS["passages"](release, pred)
    assert len(calls) == 1 and calls[0][1] == [[0, 19, 52], [1, 20, 40]]
    assert dict(result.counts()) == {"correct": 1, "boundary": 1}
