"""The gold viewer: a static site to browse a release, drawn as the error report draws it, gold alone.

``write_site(release, out)`` writes::

    index.html              the release, its counts and the article list, by cluster
    articles/<id>.html      one article with each task's gold drawn on its text (filters by task)
    entities.html           the entity registry, each entity with the quotes it speaks and the events it is in
    events.html             the event registry, each event with every mention in every article
    pairs.html              the document pair matrix of each cluster, and every cluster of copied passages

Every page is self-contained (styles and script inline, nothing fetched) and links to the others by relative
paths, so the folder works from ``file://`` and from any static host. The same release gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..corpus import Article
from ..release.dataset import Release
from .render import (
    TASK_TITLES,
    Html,
    LineLook,
    Mark,
    Palette,
    anchor,
    chip,
    clip,
    draw_article,
    el,
    gold_ann,
    is_content,
    legend_roles,
    line_of,
    mention_mark,
    page,
    pair_cell,
    pair_matrices,
    passage_mark,
    quote_marks,
    role_badge,
    task_filters,
)

Record = Mapping[str, Any]
ARTICLE_TASKS = ("boilerplate", "passages", "quotes", "events", "doc_pairs")
MAIN_KINDS = ("quote", "mention", "passage")  # cues and speaker mentions are parts of a quote, not annotations


class Gold:
    """A release read once for drawing: colours, names, and every annotation grouped by article and cluster."""

    def __init__(self, release: Release) -> None:
        self.release = release
        self.entities = release.entities()
        self.events = {e["event_id"]: e for e in release.records.get("events", [])}
        self.speakers = Palette([*self.entities, "unknown"])
        self.event_colours = Palette(self.events)
        self.passage_colours = Palette(str(c["passage_cluster_id"]) for c in release.records.get("passages", []))
        self._by_article: dict[str, dict[str, list[Record]]] = {}
        # Every passage member with its data-ann, in release order, and the members of each cluster.
        self.members = [(gold_ann("passages", str(c["passage_cluster_id"]), str(n)),
                         {**m, "cluster": str(c["passage_cluster_id"])})
                        for c in release.records.get("passages", []) for n, m in enumerate(c["members"], start=1)]
        self.clusters: dict[str, list[tuple[str, Record]]] = defaultdict(list)
        for ann, member in self.members:
            self.clusters[member["cluster"]].append((ann, member))

    def name(self, entity_id: str | None) -> str:
        if not entity_id:
            return "no speaker"
        return str(self.entities.get(entity_id, {}).get("name", entity_id))

    def by_article(self, config: str) -> dict[str, list[Record]]:
        """The records of a config grouped by article (computed once per config)."""
        if config not in self._by_article:
            grouped: dict[str, list[Record]] = defaultdict(list)
            for record in self.release.records.get(config, []):
                grouped[str(record["article_id"])].append(record)
            self._by_article[config] = grouped
        return self._by_article[config]


def _article_href(article_id: str, ann: str | None = None, *, depth: int = 0) -> str:
    """The link to an article page (and an annotation in it) from a page ``depth`` folders below the site root."""
    return "../" * depth + f"articles/{article_id}.html" + (f"#{anchor(ann)}" if ann else "")


def _nav(depth: int) -> Html:
    up = "../" * depth
    return el("nav", {"class": "top"},
              [el("a", {"href": f"{up}{target}"}, label) for target, label in (
                  ("index.html", "Articles"), ("entities.html", "Entities"), ("events.html", "Events"),
                  ("pairs.html", "Pairs and passages"))])


# ---------------------------------------------------------------------------------------------------------
# Marks of the gold, shared by article pages and snippets


def quote_layer(gold: Gold, quotes: Iterable[Record], depth: int) -> list[Mark]:
    marks: list[Mark] = []
    for quote in quotes:
        speaker = str(quote["speaker"])
        marks += quote_marks(quote, gold_ann("quotes", str(quote["quote_id"])), speaker=gold.name(speaker),
                             colour=gold.speakers(speaker),
                             href=f"{'../' * depth}entities.html#{anchor('entity', speaker)}")
    return marks


def event_layer(gold: Gold, mentions: Iterable[Record], depth: int) -> list[Mark]:
    return [mention_mark(m, gold_ann("events", str(m["mention_id"])), event=str(m["event_id"]),
                         event_title=str(gold.events.get(m["event_id"], {}).get("description", "")),
                         colour=gold.event_colours(str(m["event_id"])),
                         href=f"{'../' * depth}events.html#{anchor('event', str(m['event_id']))}")
            for m in mentions]


def passage_layer(gold: Gold, article_id: str, depth: int) -> list[Mark]:
    marks = []
    for ann, member in gold.members:
        if member["article_id"] != article_id:
            continue
        others = [(f"{o['article_id'][:12]}:{line_of(gold.release.articles[o['article_id']], o['start'])}",
                   _article_href(o["article_id"], other, depth=depth))
                  for other, o in gold.clusters[member["cluster"]] if other != ann]
        marks.append(passage_mark(member, ann, cluster=member["cluster"], others=others,
                                  colour=gold.passage_colours(member["cluster"])))
    return marks


def boilerplate_looks(records: Iterable[Record]) -> dict[int, LineLook]:
    return {r["line_no"]: LineLook(gold_ann("boilerplate", str(r["article_id"]), str(r["line_no"])), r["role"],
                                   (role_badge(r["role"]),), f"gold role: {r['role']}") for r in records}


def article_marks(gold: Gold, task: str, article_id: str) -> list[Mark]:
    """The marks of one task on an article page (one folder below the site root)."""
    if task == "quotes":
        return quote_layer(gold, gold.by_article("quotes").get(article_id, []), 1)
    if task == "events":
        return event_layer(gold, gold.by_article("event_mentions").get(article_id, []), 1)
    if task == "passages":
        return passage_layer(gold, article_id, 1)
    return []


def snippet(article: Article, mark: Mark, *, prefix: str) -> Html:
    """The lines of one annotation, drawn alone (without anchors, so a page may show a mark more than once)."""
    first, last = line_of(article, mark.start), line_of(article, max(mark.start, mark.end - 1))
    plain = Mark(mark.ann, mark.start, mark.end, mark.kind, mark.side, mark.colour, mark.title)
    return draw_article(article, [plain], prefix=prefix, only=range(first, last + 1), anchors=False)


# ---------------------------------------------------------------------------------------------------------
# Pages


def article_page(gold: Gold, article: Article) -> str:
    article_id = article.article_id
    bp = gold.by_article("boilerplate").get(article_id, [])
    title_line = next((r["text"] for r in bp if r["role"] == "title"), "")
    sections = []
    for task in ARTICLE_TASKS:
        if task == "doc_pairs":
            body = _pairs_of(gold, article_id)
        else:
            looks = boilerplate_looks(bp) if task == "boilerplate" else None
            marks = article_marks(gold, task, article_id)
            count = len(looks) if looks is not None else len({m.ann for m in marks if m.kind in MAIN_KINDS})
            body = el("div", {}, legend_roles() if task == "boilerplate" else None,
                      el("p", {"class": "meta"}, f"{count} annotation(s)"),
                      draw_article(article, marks, prefix=anchor(task, article_id), lines=looks))
        sections.append(el("section", {"data-task": task, "id": anchor("task", task)},
                           el("h2", {}, TASK_TITLES[task]), body))
    intro = el("p", {"class": "meta"}, f"Cluster {article.cluster_id} · {len(article.lines)} lines · "
                                       f"release {gold.release.version}", el("br", {}), title_line)
    return page(f"{article_id}", intro, task_filters(ARTICLE_TASKS), sections, nav=_nav(1))


def _pairs_of(gold: Gold, article_id: str) -> Html:
    rows = []
    for pair in gold.release.records.get("doc_pairs", []):
        if article_id not in (pair["a"], pair["b"]):
            continue
        other = pair["b"] if pair["a"] == article_id else pair["a"]
        rows.append(el("tr", {}, el("td", {}, el("a", {"href": f"{other}.html"}, other)),
                       pair_cell(pair, anchor("pair", pair["a"], pair["b"])), el("td", {}, pair.get("note", ""))))
    if not rows:
        return el("p", {}, "No other article in this cluster.")
    return el("table", {}, el("tr", {}, el("th", {}, "other article"), el("th", {}, "relation"), el("th", {}, "note")),
              rows)


def index_page(gold: Gold) -> str:
    release = gold.release
    counts = {config: len(records) for config, records in sorted(release.records.items())}
    per_article: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for config in ("quotes", "event_mentions"):
        for record in release.records.get(config, []):
            per_article[str(record["article_id"])][config] += 1
    for record in release.records.get("boilerplate", []):  # every non-empty line has a role; count the boilerplate
        per_article[str(record["article_id"])]["boilerplate"] += not is_content(record["role"])
    for _, member in gold.members:
        per_article[str(member["article_id"])]["passages"] += 1
    clusters: dict[str, list[Article]] = defaultdict(list)
    for article_id in sorted(release.articles):
        clusters[release.articles[article_id].cluster_id].append(release.articles[article_id])
    head = el("tr", {}, [el("th", {}, h) for h in ("article", "title", "lines", "boilerplate lines",
                                                   "passage members", "quotes", "event mentions")])
    tables = []
    for cluster, articles in sorted(clusters.items()):
        rows = []
        for article in articles:
            found = per_article[article.article_id]
            titles = [r["text"] for r in gold.by_article("boilerplate").get(article.article_id, [])
                      if r["role"] == "title"]
            rows.append(el("tr", {},
                           el("td", {}, el("a", {"href": _article_href(article.article_id)}, article.article_id)),
                           el("td", {}, clip(titles[0] if titles else article.text, 70)),
                           el("td", {"class": "num"}, str(len(article.lines))),
                           [el("td", {"class": "num"}, str(found[c]))
                            for c in ("boilerplate", "passages", "quotes", "event_mentions")]))
        tables.append(el("div", {}, el("h3", {}, f"Cluster {cluster} ({len(articles)} articles)"),
                         el("table", {}, head, rows)))
    summary = el("table", {}, el("tr", {}, el("th", {}, "config"), el("th", {}, "records")),
                 [el("tr", {}, el("td", {}, c), el("td", {"class": "num"}, str(n))) for c, n in counts.items()])
    intro = el("p", {"class": "meta"}, f"Release {release.version}, manifest sha256 {release.manifest_sha256[:12]}; "
                                       f"{len(release.articles)} articles in {len(clusters)} cluster(s).")
    return page(f"newsgold {release.version}: the gold", intro,
                el("section", {"id": "articles"}, el("h2", {}, "Articles"), tables),
                el("section", {"id": "records"}, el("h2", {}, "Records"), summary), nav=_nav(0))


def entities_page(gold: Gold) -> str:
    release = gold.release
    quotes: dict[str, list[Record]] = defaultdict(list)
    for quote in release.records.get("quotes", []):
        quotes[str(quote["speaker"])].append(quote)
    events: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event in gold.events.values():
        for participant in event.get("participants", []):
            events[participant].append((event["event_id"], "participant"))
        if event.get("place"):
            events[event["place"]].append((event["event_id"], "place"))
    blocks = []
    for entity_id in sorted([*gold.entities, *(["unknown"] if "unknown" in quotes else [])]):
        entity = gold.entities.get(entity_id, {"name": "unknown speaker", "kind": "-", "aliases": []})
        said = [el("div", {"class": "snip"},
                   el("a", {"href": _article_href(q["article_id"], gold_ann("quotes", str(q["quote_id"])))},
                      f"{q['article_id']} line {line_of(release.articles[q['article_id']], q['start'])}"),
                   snippet(release.articles[q["article_id"]], quote_layer(gold, [q], 0)[0],
                           prefix=anchor("s", str(q["quote_id"]))))
                for q in quotes.get(entity_id, [])]
        in_events = [chip(f"{event_id} ({role})", href=f"events.html#{anchor('event', event_id)}",
                          colour=gold.event_colours(event_id)) for event_id, role in sorted(events.get(entity_id, []))]
        blocks.append(el("section", {"id": anchor("entity", entity_id), "class": "entry"},
                         el("h3", {}, chip(entity_id, colour=gold.speakers(entity_id)), " ", str(entity["name"])),
                         el("p", {"class": "meta"}, f"{entity.get('kind')} · aliases: "
                                                    f"{', '.join(entity.get('aliases', [])) or 'none'}"),
                         el("p", {}, f"In {len(in_events)} event(s): ", in_events) if in_events else None,
                         el("p", {}, f"Speaker of {len(said)} quote(s)") if said else None, said))
    return page("Entities", el("p", {"class": "meta"}, f"{len(gold.entities)} entities"), blocks, nav=_nav(0))


def events_page(gold: Gold) -> str:
    release = gold.release
    mentions: dict[str, list[Record]] = defaultdict(list)
    for mention in release.records.get("event_mentions", []):
        mentions[str(mention["event_id"])].append(mention)
    blocks = []
    for event_id, event in sorted(gold.events.items()):
        found = mentions.get(event_id, [])
        links = [el("div", {"class": "snip"},
                    el("a", {"href": _article_href(m["article_id"], gold_ann("events", str(m["mention_id"])))},
                       f"{m['article_id']} line {line_of(release.articles[m['article_id']], m['start'])}"),
                    snippet(release.articles[m["article_id"]], event_layer(gold, [m], 0)[0],
                            prefix=anchor("s", str(m["mention_id"]))))
                 for m in found]
        who = [chip(gold.name(p), href=f"entities.html#{anchor('entity', p)}", colour=gold.speakers(p))
               for p in event.get("participants", [])]
        place = event.get("place")
        facts = el("p", {"class": "meta"}, f"{event['type']} · {event.get('date') or 'no date'} · place: ",
                   chip(gold.name(place), href=f"entities.html#{anchor('entity', place)}") if place else "none")
        blocks.append(el("section", {"id": anchor("event", event_id), "class": "entry"},
                         el("h3", {}, chip(event_id, colour=gold.event_colours(event_id))),
                         facts, el("p", {}, str(event.get("description", ""))),
                         el("p", {}, "Participants: ", who or "none"),
                         el("p", {}, f"{len(found)} mention(s) in "
                                     f"{len({m['article_id'] for m in found})} article(s)"), links))
    return page("Events", el("p", {"class": "meta"}, f"{len(gold.events)} events, "
                                                     f"{len(release.records.get('event_mentions', []))} mentions"),
                blocks, nav=_nav(0))


def pairs_page(gold: Gold) -> str:
    release = gold.release

    def cell(pair: Record) -> Html:
        return pair_cell(pair, anchor("pair", pair["a"], pair["b"]))

    clusters = []
    for cluster, found in sorted(gold.clusters.items()):
        colour = gold.passage_colours(cluster)
        snippets = [el("div", {"class": "snip"},
                       el("a", {"href": _article_href(m["article_id"], ann)},
                          f"{m['article_id']} line {line_of(release.articles[m['article_id']], m['start'])}"),
                       snippet(release.articles[m["article_id"]],
                               Mark(ann, m["start"], m["end"], "passage", colour=colour),
                               prefix=anchor("s", ann)))
                    for ann, m in found]
        clusters.append(el("section", {"id": anchor("passage", cluster), "class": "entry"},
                           el("h3", {}, chip(cluster, colour=colour), f" {len(found)} copies"), snippets))
    return page("Document pairs and copied passages",
                el("section", {"id": "pairs"}, el("h2", {}, "Document pairs"), pair_matrices(release, cell),
                   el("p", {"class": "meta"}, "Hover a cell for the annotator's note.")),
                el("section", {"id": "passages"}, el("h2", {}, "Copied passages"), clusters or el("p", {}, "None.")),
                nav=_nav(0))


def site(release: Release) -> dict[str, str]:
    """Every page of the site, by relative path, in a fixed order."""
    gold = Gold(release)
    pages = {"index.html": index_page(gold), "entities.html": entities_page(gold), "events.html": events_page(gold),
             "pairs.html": pairs_page(gold)}
    for article_id in sorted(release.articles):
        pages[f"articles/{article_id}.html"] = article_page(gold, release.articles[article_id])
    return pages


def write_site(release: Release, out: Path) -> list[Path]:
    """Write the site into ``out`` (created if needed); pages already there are replaced."""
    written = []
    for relative, text in site(release).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
