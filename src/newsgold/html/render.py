"""Drawing articles and their annotations as HTML, shared by the error report and the gold viewer.

Everything here builds :class:`Html` values with :func:`el`, which escapes every text and attribute value it
is given; a plain ``str`` is always treated as text. So an article that contains ``<script>`` is shown as
those characters, and no caller needs to remember to escape.

An article is drawn line by line (lines as the dataset numbers them). Each annotation is a :class:`Mark`,
drawn as ``<span class="m" data-ann="ID" data-kind="quote" ...>`` around its text. Marks may overlap and may
cross lines: the text is cut at every mark boundary, and a mark that cannot stay one element (it crosses a
line or another mark's end) is drawn as several segments that share its ``data-ann``, the first of which
carries its anchor ``id``. Counting distinct ``data-ann`` values of a kind counts the annotations.

Output is deterministic: nothing depends on time, dictionary order of unordered inputs or the machine.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeAlias

from ..corpus import Article, Line
from ..records import BOILERPLATE_ROLES, CONTENT_ROLES

# Error kinds of the report, in the order the filters and summaries list them. The viewer draws no kinds.
KINDS = ("correct", "boundary", "type", "link", "missed", "spurious")
KIND_HELP = {
    "correct": "gold and prediction agree",
    "boundary": "matched, but the spans differ (partial overlap)",
    "type": "matched, but the label differs (role, relation, quote type)",
    "link": "matched, but attributed or linked differently (speaker, event, passage cluster)",
    "missed": "in the gold, not predicted",
    "spurious": "predicted, not in the gold",
}
TASK_TITLES = {
    "boilerplate": "Boilerplate lines",
    "boilerplate_text": "Extracted main text",
    "doc_pairs": "Document pairs",
    "passages": "Copied passages",
    "quotes": "Quotes",
    "events": "Events",
}
# Roles get fixed colours so that the same role looks the same in every page of every release.
ROLE_COLOURS = {
    "title": "#86efac", "body": "#e5e7eb", "caption": "#fcd34d", "metadata": "#a5b4fc",
    "advertisement": "#fca5a5", "navigation": "#7dd3fc", "branding": "#c4b5fd", "related": "#f9a8d4",
    "comment_form": "#5eead4", "other": "#d6d3d1",
}
_VOID = frozenset({"meta", "input", "br", "hr"})


class Html(str):
    """Markup built by this module: the only kind of string inserted without escaping."""


Child: TypeAlias = "str | Html | Iterable[Child] | None"


def _flatten(children: Iterable[Child], out: list[str]) -> None:
    for child in children:
        if child is None:
            continue
        if isinstance(child, Html):
            out.append(child)
        elif isinstance(child, str):
            out.append(html.escape(child, quote=False))
        else:
            _flatten(child, out)


def el(tag: str, attrs: Mapping[str, object] | None = None, *children: Child) -> Html:
    """The element ``<tag attrs>children</tag>``; text children and all attribute values are escaped.

    Attributes whose value is None or False are left out; True writes the bare attribute name.
    """
    parts = [_start_tag(tag, attrs)]
    if tag in _VOID:
        return Html(parts[0])
    _flatten(children, parts)
    parts.append(f"</{tag}>")
    return Html("".join(parts))


def _start_tag(tag: str, attrs: Mapping[str, object] | None) -> str:
    parts = [f"<{tag}"]
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{html.escape(str(value), quote=True)}"')
    return "".join(parts) + ">"


def join(*children: Child) -> Html:
    out: list[str] = []
    _flatten(children, out)
    return Html("".join(out))


def anchor(*parts: str) -> str:
    """A fragment id from parts; characters outside ``[A-Za-z0-9_-]`` are spelled out so ids stay distinct."""
    raw = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9_-]", lambda m: f".{ord(m.group()):x}.", raw)


def gold_ann(task: str, *key: str) -> str:
    """The ``data-ann`` (and anchor) of a gold annotation, the same in the report and in every viewer page."""
    return anchor(f"g-{task}", *key)


class Palette:
    """Distinct, stable colours for a set of keys (events, passage clusters, speakers).

    Keys are coloured in sorted order by the golden angle, so neighbours differ and the same release always
    gets the same colours.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self._index = {key: number for number, key in enumerate(sorted(set(keys)))}

    def __call__(self, key: str | None) -> str:
        if key is None or key not in self._index:
            return "#e5e7eb"
        # Start away from red, which the report uses for missed annotations.
        hue = (50 + self._index[key] * 137.508) % 360
        return f"hsl({hue:.0f} 75% 82%)"


def role_colour(role: str | None) -> str:
    return ROLE_COLOURS.get(role or "", "#ffffff")


def is_content(role: str | None) -> bool:
    return role in CONTENT_ROLES


@dataclass(frozen=True)
class Mark:
    """One annotation drawn over ``[start, end)`` of an article.

    ``side`` is gold or pred (a prediction); ``kinds`` are its error kinds in the report (empty in the viewer);
    ``note`` is a chip shown beside the line where the mark starts (a label, links to related marks).
    """

    ann: str
    start: int
    end: int
    kind: str
    side: str = "gold"
    colour: str | None = None
    title: str = ""
    kinds: tuple[str, ...] = ()
    note: Html | None = None


@dataclass(frozen=True)
class LineLook:
    """How one line is drawn: its role colour, badges in the margin, and its own annotation id if it has one."""

    ann: str | None = None
    role: str | None = None
    badges: tuple[Html, ...] = ()
    title: str = ""
    kinds: tuple[str, ...] = ()
    wrong: bool = False


def chip(label: str, *, href: str | None = None, colour: str | None = None, kinds: Sequence[str] = (),
         title: str = "") -> Html:
    """A small label, a link when ``href`` is given; coloured like the annotation it stands for."""
    attrs: dict[str, object] = {
        "class": " ".join(["chip", *(f"k-{k}" for k in kinds)]),
        "href": href,
        "style": f"--c:{colour}" if colour else None,
        "title": title or None,
        "data-kinds": " ".join(kinds) if kinds else None,
    }
    return el("a" if href else "span", attrs, label)


def _mark_attrs(mark: Mark, first: bool) -> dict[str, object]:
    return {
        "class": " ".join(["m", f"m-{mark.kind}", mark.side, *(f"k-{k}" for k in mark.kinds)]),
        "id": anchor(mark.ann) if first else None,
        "data-ann": mark.ann,
        "data-kind": mark.kind,
        "data-side": mark.side,
        "data-kinds": " ".join(mark.kinds) if mark.kinds else None,
        "style": f"--c:{mark.colour}" if mark.colour else None,
        "title": mark.title or None,
    }


def _draw_text(text: str, line: Line, marks: list[Mark], started: set[str]) -> Html:
    """The text of one line with the marks that meet it, cut into properly nested segments."""
    if not marks:
        return Html(html.escape(line.text, quote=False))
    points = sorted({line.start, line.end, *(max(m.start, line.start) for m in marks),
                     *(min(m.end, line.end) for m in marks)})
    # Marks that start earlier (then end later) are drawn outside, so a mark that merely contains another stays
    # one element; only a mark that crosses another's end is cut.
    order = {id(m): number for number, m in enumerate(sorted(marks, key=lambda m: (m.start, -m.end, m.ann)))}
    out: list[str] = []
    stack: list[Mark] = []
    for left, right in pairwise(points):
        covering = sorted((m for m in marks if m.start <= left and right <= m.end), key=lambda m: order[id(m)])
        keep = 0
        while keep < min(len(stack), len(covering)) and stack[keep] is covering[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        for mark in covering[keep:]:
            out.append(_start_tag("span", _mark_attrs(mark, mark.ann not in started)))
            started.add(mark.ann)
        stack = covering
        out.append(html.escape(text[left:right], quote=False))
    out.append("</span>" * len(stack))
    return Html("".join(out))


def draw_article(article: Article, marks: Iterable[Mark], *, prefix: str,
                 lines: Mapping[int, LineLook] | None = None, only: Iterable[int] | None = None,
                 anchors: bool = True) -> Html:
    """An article as a block of numbered lines with ``marks`` drawn on the text.

    ``prefix`` makes the line anchors (``<prefix>-L<n>``) unique in the page; ``lines`` gives the look of
    annotated lines (boilerplate); ``only`` restricts the drawing to some line numbers (snippets), and
    ``anchors=False`` leaves the marks without ids, for pages that draw the same mark more than once.
    """
    text = article.text
    starts = [line.start for line in article.lines]
    by_line: dict[int, list[Mark]] = {}
    notes: dict[int, list[Html]] = {}
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, m.ann)):
        start, end = max(0, mark.start), min(len(text), mark.end)
        if start >= end:
            continue
        first = max(0, bisect_right(starts, start) - 1)
        if mark.note is not None:
            notes.setdefault(article.lines[first].line_no, []).append(mark.note)
        index = first
        while index < len(article.lines) and article.lines[index].start < end:
            line = article.lines[index]
            if start < line.end:
                by_line.setdefault(line.line_no, []).append(mark)
            index += 1
    wanted = set(only) if only is not None else None
    looks = lines or {}
    # A mark already "started" gets no id: with anchors off, every mark counts as started from the outset.
    started: set[str] = set() if anchors else {m.ann for ms in by_line.values() for m in ms}
    rows = []
    for line in article.lines:
        if wanted is not None and line.line_no not in wanted:
            continue
        look = looks.get(line.line_no)
        rows.append(_draw_line(article, line, by_line.get(line.line_no, []), notes.get(line.line_no, []), look,
                               prefix, started))
    return el("div", {"class": "doc", "data-article": article.article_id}, rows)


def _draw_line(article: Article, line: Line, marks: list[Mark], notes: list[Html], look: LineLook | None,
               prefix: str, started: set[str]) -> Html:
    classes = ["ln"]
    attrs: dict[str, object] = {"id": anchor(prefix, f"L{line.line_no}"), "data-line": line.line_no}
    if line.is_blank:
        classes.append("blank")
    if look is not None:
        classes += [f"role-{look.role}"] if look.role in BOILERPLATE_ROLES else []
        classes += ["wrong"] if look.wrong else []
        classes += [f"k-{k}" for k in look.kinds]
        attrs.update({
            "data-ann": look.ann, "data-kind": "line" if look.ann else None, "data-side": "gold" if look.ann else None,
            "data-kinds": " ".join(look.kinds) if look.kinds else None,
            "style": f"--role:{role_colour(look.role)}" if look.role else None,
            "title": look.title or None,
        })
    attrs["class"] = " ".join(classes)
    return el("div", attrs,
              el("span", {"class": "no"}, str(line.line_no)),
              el("span", {"class": "bd"}, look.badges if look else None),
              el("span", {"class": "tx"}, _draw_text(article.text, line, marks, started)),
              el("span", {"class": "nt"}, notes))


def line_of(article: Article, offset: int) -> int:
    """The number of the line holding ``offset`` (the last line for offsets past the end)."""
    index = bisect_left(article.lines, offset, key=lambda line: line.end)
    return min(index, len(article.lines) - 1) + 1


def legend_roles() -> Html:
    return el("p", {"class": "legend"}, "Roles: ",
              [el("span", {"class": "role-key", "style": f"--role:{role_colour(r)}"}, r) for r in BOILERPLATE_ROLES])


def task_filters(tasks: Sequence[str], kinds: Sequence[str] = ()) -> Html:
    """Check boxes that show or hide task sections and error kinds (the page script acts on them)."""
    boxes = [el("label", {}, el("input", {"type": "checkbox", "data-filter": "task", "value": t, "checked": True}),
                " ", TASK_TITLES.get(t, t)) for t in tasks]
    parts = [el("span", {"class": "flabel"}, "Tasks:"), boxes]
    if kinds:
        parts += [el("span", {"class": "flabel"}, "Kinds:"),
                  [el("label", {"class": f"k-{k}", "title": KIND_HELP.get(k, "")},
                      el("input", {"type": "checkbox", "data-filter": "kind", "value": k, "checked": True}),
                      " ", el("span", {"class": "swatch"}), k) for k in kinds]]
    return el("nav", {"class": "filters"}, parts)


def page(title: str, *body: Child, nav: Html | None = None) -> str:
    """A complete, self-contained page: styles and script inline, nothing fetched from anywhere."""
    return "<!DOCTYPE html>\n" + el(
        "html", {"lang": "en"},
        el("head", {},
           el("meta", {"charset": "utf-8"}),
           el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
           el("title", {}, title),
           el("style", {}, Html(CSS))),
        el("body", {},
           el("header", {}, nav, el("h1", {}, title)),
           el("main", {}, *body),
           el("script", {}, Html(SCRIPT)))) + "\n"


CSS = """
:root{--correct:#15803d;--boundary:#ea580c;--type:#2563eb;--link:#9333ea;--missed:#dc2626;--spurious:#db2777;
--ink:#1f2937;--muted:#6b7280;--rule:#e5e7eb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#f8fafc}
header,main{max-width:1280px;margin:0 auto;padding:0 16px}
header{padding-top:8px}
h1{font-size:22px;margin:8px 0}
h2{font-size:18px;margin:24px 0 8px;border-bottom:2px solid var(--rule)}
h3{font-size:15px;margin:16px 0 6px}
a{color:#1d4ed8}
section[hidden]{display:none}
.meta{color:var(--muted)}
nav.top a{margin-right:12px}
.filters{position:sticky;top:0;z-index:2;background:#fff;border:1px solid var(--rule);padding:6px 10px;
display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;border-radius:4px}
.flabel{font-weight:600}
.swatch{display:inline-block;width:10px;height:10px;background:var(--s);border-radius:2px}
table{border-collapse:collapse;margin:6px 0;background:#fff}
th,td{border:1px solid var(--rule);padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.k-correct{--s:var(--correct)}.k-boundary{--s:var(--boundary)}.k-type{--s:var(--type)}
.k-link{--s:var(--link)}.k-missed{--s:var(--missed)}.k-spurious{--s:var(--spurious)}
tr.err td:first-child{border-left:4px solid var(--s)}
.errlist{max-height:24em;overflow:auto;border:1px solid var(--rule);display:inline-block;max-width:100%}
.errlist table{margin:0}
.kind{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;background:var(--s);font-size:12px}
.off{display:none}
.doc{background:#fff;border:1px solid var(--rule);border-radius:4px;padding:4px 0;margin:4px 0 12px}
.ln{display:grid;grid-template-columns:3.2em 7.5em minmax(0,1fr) 15em;gap:0 8px;padding:0 6px;
border-left:6px solid var(--role,transparent);min-height:1.2em}
.ln.blank{min-height:.6em}
.ln .no{color:#9ca3af;text-align:right;font-variant-numeric:tabular-nums;user-select:none}
.ln .tx{white-space:pre-wrap;overflow-wrap:anywhere}
.ln .bd,.ln .nt{font-size:12px}
.ln[data-kind=line]{background:color-mix(in srgb,var(--role) 18%,#fff)}
.ln.role-title .tx{font-weight:600}
.ln.wrong{box-shadow:inset 4px 0 0 var(--s)}
.ln.wrong .tx{text-decoration:underline wavy var(--s)}
.ln.off.wrong{box-shadow:none}.ln.off.wrong .tx{text-decoration:none}
.ln:target,.m:target{animation:flash 1.5s}
@keyframes flash{from{background:#fde047}}
.role-key,.badge{display:inline-block;padding:0 5px;margin:1px 2px;border-radius:3px;font-size:12px;
background:var(--role,#eee)}
.badge.pred{outline:2px solid var(--s);background:#fff}
.legend{margin:4px 0;color:var(--muted)}
.m{border-radius:2px;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.m.gold{background:var(--c,#fde68a);box-shadow:inset 0 -2px 0 rgba(0,0,0,.25)}
.m.gold[data-kinds]{box-shadow:inset 0 -3px 0 var(--s)}
.m.pred{outline:2px solid var(--s);outline-offset:1px}
.m.pred.k-spurious{outline-style:dashed}
.m-cue.gold{background:none;box-shadow:none;text-decoration:underline dotted 2px}
.m-speaker.gold{font-weight:600}
.m.off{background:none;box-shadow:none;outline:none}
.chip{display:inline-block;margin:1px 2px;padding:0 5px;border-radius:8px;background:var(--c,#eee);
color:var(--ink);text-decoration:none;font-size:12px;white-space:nowrap;max-width:100%;overflow:hidden;
text-overflow:ellipsis;vertical-align:top}
a.chip:hover{text-decoration:underline}
.chip[data-kinds]{border:2px solid var(--s)}
.chip.off{display:none}
.matrix td{text-align:center;font-size:12px}
.matrix td.wrong{outline:3px solid var(--s);outline-offset:-3px}
.rel-exact{background:#fca5a5}.rel-near_duplicate{background:#fdba74}.rel-partial_overlap{background:#fde68a}
.rel-same_event{background:#bfdbfe}.rel-unrelated{background:#f3f4f6}
.muted{color:var(--muted)}
.entry{background:#fff;border:1px solid var(--rule);border-radius:4px;padding:4px 12px;margin:10px 0}
.entry h3{margin:6px 0}
.snip{margin:4px 0 0}.snip>a{font-size:12px}.snip .doc{margin:0 0 6px}
.snip .ln{grid-template-columns:3.2em 0 minmax(0,1fr) 0}
"""

# The filters change classes only, so the page reads the same with scripts off (everything shown).
SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  function chosen(filter) {
    var on = {};
    boxes.forEach(function (b) { if (b.dataset.filter === filter && b.checked) { on[b.value] = true; } });
    return on;
  }
  function apply() {
    var tasks = chosen('task'), kinds = chosen('kind');
    var anyTask = boxes.some(function (b) { return b.dataset.filter === 'task'; });
    var anyKind = boxes.some(function (b) { return b.dataset.filter === 'kind'; });
    if (anyTask) {
      document.querySelectorAll('section[data-task]').forEach(function (s) {
        s.hidden = s.dataset.task !== 'summary' && !tasks[s.dataset.task];
      });
    }
    if (anyKind) {
      document.querySelectorAll('[data-kinds]').forEach(function (e) {
        var show = e.dataset.kinds.split(' ').some(function (k) { return kinds[k]; });
        e.classList.toggle('off', !show);
      });
    }
  }
  // ?tasks=quotes,events&kinds=missed,spurious starts with only those checked: a filtered view is a link.
  var query = new URLSearchParams(window.location.search);
  ['task', 'kind'].forEach(function (filter) {
    var wanted = query.get(filter + 's');
    if (wanted === null) { return; }
    var keep = wanted.split(',');
    boxes.forEach(function (b) { if (b.dataset.filter === filter) { b.checked = keep.indexOf(b.value) >= 0; } });
  });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
})();
"""


# ---------------------------------------------------------------------------------------------------------
# How each kind of annotation is drawn, the same in the report and the viewer


def quote_marks(quote: Mapping[str, Any], ann: str, *, speaker: str, side: str = "gold", colour: str | None = None,
                kinds: tuple[str, ...] = (), href: str | None = None, note: bool = True) -> list[Mark]:
    """A quote's content span, and its cue and speaker mention when it has them (drawn under ``ann-cue`` and
    ``ann-speaker``); the chip beside the line names its type and speaker."""
    quote_type = str(quote.get("type") or "untyped")
    title = f"{'predicted' if side == 'pred' else 'gold'} {quote_type} quote · speaker: {speaker}"
    cue = quote.get("cue")
    if isinstance(cue, Mapping):
        title += f" · cue: {cue.get('text', '')}"
    label = chip(f"{quote_type} · {speaker}", href=href, colour=colour, kinds=kinds, title=title) if note else None
    marks = [Mark(ann, int(quote["start"]), int(quote["end"]), "quote", side, colour, title, kinds, label)]
    for field_name, kind in (("cue", "cue"), ("speaker_mention", "speaker")):
        part = quote.get(field_name)
        if isinstance(part, Mapping):
            marks.append(Mark(f"{ann}-{kind}", int(part["start"]), int(part["end"]), kind, side, colour,
                              f"{kind} of: {title}", kinds))
    return marks


def mention_mark(mention: Mapping[str, Any], ann: str, *, event: str, event_title: str, side: str = "gold",
                 colour: str | None = None, kinds: tuple[str, ...] = (), href: str | None = None,
                 note: bool = True) -> Mark:
    """An event mention, coloured by its event; the chip links to the event (and so to its other mentions)."""
    title = f"{'predicted' if side == 'pred' else 'gold'} mention of {event}: {event_title}"
    label = chip(event, href=href, colour=colour, kinds=kinds, title=title) if note else None
    return Mark(ann, int(mention["start"]), int(mention["end"]), "mention", side, colour, title, kinds, label)


def passage_mark(member: Mapping[str, Any], ann: str, *, cluster: str, others: Sequence[tuple[str, str]],
                 side: str = "gold", colour: str | None = None, kinds: tuple[str, ...] = ()) -> Mark:
    """A passage member, coloured by its cluster, with one linked chip per other copy (label, href)."""
    title = f"{'predicted' if side == 'pred' else 'gold'} passage {cluster}: copied {len(others)} time(s) elsewhere"
    note = join(chip(cluster, colour=colour, kinds=kinds, title=title),
                [chip(f"↔ {label}", href=href, colour=colour, kinds=kinds, title=f"the copy in {label}")
                 for label, href in others])
    return Mark(ann, int(member["start"]), int(member["end"]), "passage", side, colour, title, kinds, note)


def role_badge(role: str | None, *, pred: bool = False, kinds: tuple[str, ...] = ()) -> Html:
    classes = ["badge", *(["pred"] if pred else []), *(f"k-{k}" for k in kinds)]
    return el("span", {"class": " ".join(classes), "style": f"--role:{role_colour(role)}",
                       "title": "predicted role" if pred else "gold role",
                       "data-kinds": " ".join(kinds) if kinds else None},
              ("→ " if pred else "") + (role or "none"))


def pair_matrices(release: Any, cell: Callable[[Mapping[str, Any]], Html]) -> Html:
    """One square table of article pairs per cluster; ``cell(pair)`` draws each gold pair (upper triangle)."""
    pairs = {(min(r["a"], r["b"]), max(r["a"], r["b"])): r for r in release.records.get("doc_pairs", [])}
    clusters: dict[str, list[str]] = {}
    for article_id in sorted(release.articles):
        clusters.setdefault(release.articles[article_id].cluster_id, []).append(article_id)
    tables = []
    for cluster, ids in sorted(clusters.items()):
        head = el("tr", {}, el("th", {}, ""), [el("th", {"title": b}, b[:12]) for b in ids])
        rows = []
        for a in ids:
            cells = [cell(pairs[(a, b)]) if (a, b) in pairs else el("td", {"class": "muted"}, "·" if a == b else "")
                     for b in ids]
            rows.append(el("tr", {}, el("th", {"title": a}, a[:12]), cells))
        tables.append(el("div", {}, el("h3", {}, f"Cluster {cluster}"), el("table", {"class": "matrix"}, head, rows)))
    return join(tables)


def pair_cell(pair: Mapping[str, Any], ann: str, extra: str = "", kinds: tuple[str, ...] = ()) -> Html:
    """One article pair: its gold relation (coloured), the note as tooltip, and ``extra`` (the prediction)."""
    wrong = bool(kinds) and kinds != ("correct",)
    classes = [f"rel-{pair['relation']}", *(["wrong"] if wrong else []), *(f"k-{k}" for k in kinds)]
    return el("td", {"id": anchor(ann), "class": " ".join(classes), "data-ann": ann, "data-kind": "pair",
                     "data-kinds": " ".join(kinds) if kinds else None, "title": pair.get("note") or None},
              str(pair["relation"]), el("br", {}) if extra else None, extra or None)


def clip(text: str, width: int = 80) -> str:
    """``text`` on one line, cut to ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
