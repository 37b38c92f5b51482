"""The gold viewer: every page is drawn in a real browser with every gold annotation, and every link resolves."""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, run_cli
from newsgold.html.viewer import ARTICLE_TASKS, site, write_site
from newsgold.release.dataset import Release
from test_report import (  # the browser helpers and the fixtures built on the mini release
    annotations,
    assert_shown_as_text,
    dom,
    evil_release,
    parse,
    release_dir,
    screenshot,
    section,
)

__all__ = ["evil_release", "release_dir"]  # fixtures, imported so that pytest finds them here


def test_article_pages_draw_every_gold_annotation(release_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    code, printed, _ = run_cli(capsys, "view", "--out", str(out), "--gold-dir", str(release_dir))
    assert code == 0 and "index.html" in printed
    release = Release.load(release_dir)
    lines = Counter(r["article_id"] for r in release.records["boilerplate"])
    quotes = Counter(r["article_id"] for r in release.records["quotes"])
    mentions = Counter(r["article_id"] for r in release.records["event_mentions"])
    members = Counter(m["article_id"] for c in release.records["passages"] for m in c["members"])
    assert (lines["a1"], lines["a2"], quotes["a2"], mentions["a2"], members["a3"]) == (4, 3, 1, 2, 0)
    for article_id in sorted(release.articles):
        root = dom(out / "articles" / f"{article_id}.html")
        assert {s.attrs["data-task"] for s in root.all("section", data_task=None)} == set(ARTICLE_TASKS)
        assert len(annotations(section(root, "boilerplate"), "line", "gold")) == lines[article_id]
        assert len(annotations(section(root, "quotes"), "quote", "gold")) == quotes[article_id]
        assert len(annotations(section(root, "quotes"), "speaker", "gold")) == quotes[article_id]
        assert len(annotations(section(root, "events"), "mention", "gold")) == mentions[article_id]
        assert len(annotations(section(root, "passages"), "passage", "gold")) == members[article_id]
        pairs = sum(article_id in (p["a"], p["b"]) for p in release.records["doc_pairs"])
        assert len(section(root, "doc_pairs").all(data_kind="pair")) == pairs
        assert not root.all("section", hidden=None), "every task is shown at first"
    screenshot(out / "articles" / "a2.html", tmp_path / "a2.png")


def test_registries_list_every_mention(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(Release.load(release_dir), out)
    index = dom(out / "index.html")
    assert sorted(a.attrs["href"] for a in index.all("a") if a.attrs["href"].startswith("articles/")) == [
        "articles/a1.html", "articles/a2.html", "articles/a3.html"]
    events = dom(out / "events.html")
    meeting = events.all("section", id="event-ev-meeting")[0]
    assert len(annotations(meeting, "mention")) == 3
    assert [a.attrs["href"] for a in meeting.all("a") if "articles/" in a.attrs["href"]] == [
        "articles/a1.html#g-events-m-a1-01", "articles/a2.html#g-events-m-a2-01", "articles/a2.html#g-events-m-a2-02"]
    entities = dom(out / "entities.html")
    for entity_id, spoken in (("alice", 1), ("bob", 1), ("paris", 0)):
        entry = entities.all("section", id=f"entity-{entity_id}")[0]
        assert len(annotations(entry, "quote")) == spoken
        assert any("ev-meeting" in a.text() for a in entry.all("a")), f"{entity_id} is in the meeting"
    pairs = dom(out / "pairs.html")
    assert len(pairs.all(data_kind="pair")) == 3
    assert len(annotations(pairs.all("section", id="passage-p01")[0], "passage")) == 2
    screenshot(out / "events.html", tmp_path / "events.png")


def test_every_link_of_the_site_resolves(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(Release.load(release_dir), out)
    pages = {p.relative_to(out).as_posix(): parse(p.read_text(encoding="utf-8")) for p in out.rglob("*.html")}
    ids = {name: {n.attrs["id"] for n in root.all(id=None)} for name, root in pages.items()}
    checked = 0
    for name, root in pages.items():
        for link in root.all("a", href=None):
            href = urlsplit(link.attrs["href"])
            assert not href.scheme and not href.netloc, f"{name} links outside the site: {link.attrs['href']}"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(href.path))) if href.path \
                else name
            assert target in pages, f"{name}: {link.attrs['href']} has no page"
            if href.fragment:
                assert unquote(href.fragment) in ids[target], f"{name}: {link.attrs['href']} has no anchor"
            checked += 1
    assert checked > 30


def test_an_article_of_html_and_script_is_shown_as_text(evil_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(Release.load(evil_release), out)
    assert_shown_as_text(dom(out / "articles" / "a4.html"), "a4")
    events = dom(out / "events.html")
    assert [t.text() for t in events.all("title")] == ["Events"] and not events.all("b") and not events.all("img")
    assert any('<script>document.title = "injected"</script>' in d.text()
               for d in events.all("div", data_article="a4"))
    screenshot(out / "articles" / "a4.html", tmp_path / "a4.png")


def test_the_site_is_deterministic(release_dir: Path) -> None:
    release = Release.load(release_dir)
    first = site(release)
    assert site(Release.load(release_dir)) == first
    assert list(first) == ["index.html", "entities.html", "events.html", "pairs.html", "articles/a1.html",
                           "articles/a2.html", "articles/a3.html"]


def test_the_index_counts_the_boilerplate_lines_of_each_article(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release = Release.load(REPO / "data")
    write_site(release, out)
    table = dom(out / "index.html").all("section", id="articles")[0].all("table")[0]
    head = [th.text() for th in table.all("th")]
    column = head.index("boilerplate lines")
    shown = {cells[0].text(): cells[column].text() for row in table.all("tr") if (cells := row.all("td"))}
    boilerplate = Counter(r["article_id"] for r in release.records["boilerplate"] if r["is_boilerplate"])
    assert shown == {article_id: str(boilerplate[article_id]) for article_id in release.articles}
    assert list(shown.values()) == ["5", "25", "2", "5", "4"]  # as DATASHEET.md counts them, not the 126 labelled
