"""The figures of DATASHEET.md, computed from the release and the annotation passes, never typed.

DATASHEET.md is prose written by people, with generated blocks between ``<!-- generated:NAME -->`` and
``<!-- /generated:NAME -->``. ``newsgold datasheet`` rewrites every block from the data; ``--check`` changes
nothing and exits 1 naming each block that differs, so a datasheet cannot silently disagree with its data.

Blocks: ``sizes`` (records, articles, lines), ``labels`` (label distributions) and ``agreement`` (the
inter-annotator agreement of :func:`newsgold.agreement.figures.agreement_markdown`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..columns import columns
from ..corpus import Article
from ..errors import InputError, Problem, raise_if
from ..paths import project_root
from ..records import CONFIGS, CONTENT_ROLES, UNKNOWN_SPEAKER
from ..release.layout import MANIFEST
from ..release.validate import articles_from_rows, read_release

DATASHEET = "DATASHEET.md"
EXIT_STALE = 1
BLOCK = re.compile(r"<!-- generated:(?P<name>[a-z_]+) -->\n(?P<body>.*?)<!-- /generated:(?P=name) -->", re.S)
Records = dict[str, list[dict[str, Any]]]


def _table(header: Iterable[str], rows: Iterable[Iterable[Any]], right: int = 1) -> str:
    """A Markdown table; columns from index ``right`` on are numbers, aligned right."""
    header = list(header)
    align = ["---" if i < right else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _labels(config: str, field: str) -> tuple[str, ...]:
    return next(c.labels for c in columns(config) if c.name == field)


def _distribution(config: str, field: str, records: list[dict[str, Any]], noun: str) -> str:
    counts = Counter(r[field] for r in records)
    total = sum(counts.values())
    return _table([f"`{field}`", noun, "share"],
                  [(f"`{label}`", counts[label], _share(counts[label], total)) for label in _labels(config, field)]
                  + [("all", total, _share(total, total))])


def sizes_block(version: str, records: Records, articles: dict[str, Article]) -> str:
    boilerplate: dict[str, list[dict[str, Any]]] = {a: [] for a in articles}
    for r in records["boilerplate"]:
        boilerplate.setdefault(r["article_id"], []).append(r)
    per_config = {config: Counter(r.get("article_id") for r in records[config]) for config in ("quotes",
                                                                                                 "event_mentions")}
    article_rows = []
    for article_id, article in sorted(articles.items()):
        labelled = boilerplate.get(article_id, [])
        content = sum(r["role"] in CONTENT_ROLES for r in labelled)
        article_rows.append((f"`{article_id}`", article.cluster_id, len(article.text), len(article.content_lines),
                             content, len(labelled) - content, per_config["quotes"][article_id],
                             per_config["event_mentions"][article_id]))
    clusters = {a.cluster_id for a in articles.values()}
    return "\n\n".join([
        f"Release {version}: {len(articles)} articles in {len(clusters)} cluster(s), "
        f"{sum(len(a.text) for a in articles.values())} characters (code points), "
        f"{sum(len(a.content_lines) for a in articles.values())} non-empty lines.",
        _table(["config", "records"], [(f"`{c}`", len(records[c])) for c in CONFIGS]),
        _table(["article", "cluster", "characters", "non-empty lines", "content lines", "boilerplate lines",
                "quotes", "event mentions"], article_rows, right=2),
    ])


def labels_block(records: Records) -> str:
    parts = ["**Boilerplate** (one label per non-empty line)",
             _distribution("boilerplate", "role", records["boilerplate"], "lines"),
             "**Document pairs**", _distribution("doc_pairs", "relation", records["doc_pairs"], "pairs")]
    passages = records["passages"]
    members = [len(p["members"]) for p in passages]
    inside = sum(len({m["article_id"] for m in p["members"]}) == 1 for p in passages)
    low, high = min(members, default=0), max(members, default=0)
    parts.append(f"**Passages**: {len(passages)} clusters of copied passages, {sum(members)} members "
                 f"({low if low == high else f'{low} to {high}'} per cluster); {inside} of the clusters "
                 "repeat a passage inside one article.")
    quotes = records["quotes"]
    clusters = Counter(q["quote_cluster"] for q in quotes)
    parts += ["**Quotes**", _distribution("quotes", "type", quotes, "quotes"),
              f"{sum(q['speaker'] != UNKNOWN_SPEAKER for q in quotes)} of {len(quotes)} quotes have a known speaker "
              f"({len({q['speaker'] for q in quotes} - {UNKNOWN_SPEAKER})} distinct); "
              f"{sum(q['cue'] is None for q in quotes)} have no cue and "
              f"{sum(q['speaker_mention'] is None for q in quotes)} no speaker mention. "
              f"{len(clusters)} quote clusters, {sum(n > 1 for n in clusters.values())} with more than one quote."]
    events, mentions = records["events"], records["event_mentions"]
    articles_of: dict[str, set[str]] = {}
    for m in mentions:
        articles_of.setdefault(m["event_id"], set()).add(m["article_id"])
    per_event = Counter(m["event_id"] for m in mentions)
    parts += ["**Events** (the registry)", _distribution("events", "type", events, "events"),
              f"{len(mentions)} event mentions of {len(per_event)} events (at most {max(per_event.values(), default=0)}"
              f" mentions of one event); {sum(len(a) > 1 for a in articles_of.values())} events are mentioned in more "
              f"than one article. {sum(e['date'] is not None for e in events)} events have a date, "
              f"{sum(e['place'] is not None for e in events)} a place.",
              "**Entities**", _distribution("entities", "kind", records["entities"], "entities")]
    return "\n\n".join(parts)


def blocks(root: Path) -> dict[str, str]:
    """Every generated block of the datasheet of the checkout at ``root``, computed from its data."""
    from .figures import agreement_markdown

    data_dir = root / "data"
    rows, problems = read_release(data_dir)
    raise_if(problems)
    manifest = json.loads((data_dir / MANIFEST).read_text(encoding="utf-8"))
    records = {config: [row.data for row in config_rows] for config, config_rows in rows.items()}
    articles = articles_from_rows(rows["articles"])
    makers: dict[str, Callable[[], str]] = {
        "sizes": lambda: sizes_block(str(manifest.get("version")), records, articles),
        "labels": lambda: labels_block(records),
        "agreement": lambda: agreement_markdown(root),
    }
    return {name: make() for name, make in makers.items()}


def stale_blocks(text: str, generated: dict[str, str]) -> list[str]:
    """Names of the blocks whose content differs from ``generated``, that are missing, or that are unknown."""
    found = {match["name"]: match["body"] for match in BLOCK.finditer(text)}
    stale = [name for name in generated if found.get(name) != generated[name] + "\n"]
    return stale + sorted(name for name in found if name not in generated)


def rewrite(text: str, generated: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in generated:
            return match[0]
        return f"<!-- generated:{name} -->\n{generated[name]}\n<!-- /generated:{name} -->"

    return BLOCK.sub(replace, text)


def cmd_datasheet(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    path = root / DATASHEET
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "-", "no datasheet in this project")])
    text = path.read_text(encoding="utf-8")
    generated = blocks(root)
    found = {match["name"] for match in BLOCK.finditer(text)}
    stale = stale_blocks(text, generated)
    if args.check:
        for name in stale:
            reason = ("is missing" if name not in found else "is not a known block" if name not in generated
                      else "differs from the data")
            print(f"{path}: generated block {name!r} {reason}", file=sys.stderr)
        if stale:
            print("run `newsgold datasheet` to rewrite the generated blocks", file=sys.stderr)
        return EXIT_STALE if stale else 0
    missing = [name for name in generated if name not in found]
    unknown = [name for name in found if name not in generated]
    raise_if([Problem(str(path), 0, name, "generated block is missing: add its markers") for name in missing]
             + [Problem(str(path), 0, name, "unknown generated block") for name in unknown])
    path.write_text(rewrite(text, generated), encoding="utf-8", newline="\n")
    print(f"{path}: " + (f"rewrote {', '.join(s for s in stale)}" if stale else "up to date"))
    return 0
