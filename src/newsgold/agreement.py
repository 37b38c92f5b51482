"""Inter-annotator agreement between the independent passes in ``annotation/passes/<task>/<annotator>/``.

Each function takes two passes (records as read from their folders) and returns rows for the agreement table
of DATASHEET.md; :func:`agreement_markdown` renders every task. The figures are computed, never typed:
the datasheet check regenerates them and fails when the published table differs.

- boilerplate: Cohen's kappa on the binary content/boilerplate decision and on the full role label,
  per article and overall, over the lines both passes labelled.
- doc_pairs: observed agreement and Cohen's kappa on the relation.
- passages, quotes, events: the second pass scored against the first with the dataset's own scorers
  (symmetric for F1), so agreement and system scores are computed by the same code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from .corpus import Article, load_corpus
from .records import CONTENT_ROLES
from .release import RAW_DIR, read_gold
from .tasks import TASKS

PASSES_DIR = Path("annotation") / "passes"
Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Pass:
    annotator: str
    records: Records


def read_passes(root: Path, annotation_task: str, articles: dict[str, Article]) -> list[Pass]:
    """Every complete pass of one annotation task, in annotator order (checked like the gold)."""
    folder = root / PASSES_DIR / annotation_task
    passes = []
    for annotator_dir in sorted(p for p in folder.glob("*") if p.is_dir()):
        rows = read_gold(root, articles, annotator_dir)
        passes.append(Pass(annotator_dir.name, {c: [r.data for r in rs] for c, rs in rows.items()}))
    return passes


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa, (p_o - p_e) / (1 - p_e); NaN when both raters used one and the same label (p_e = 1)."""
    if len(set(first) | set(second)) < 2:
        return math.nan
    return float(cohen_kappa_score(first, second))


def boilerplate_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    first = {(r["article_id"], r["line_no"]): r["role"] for r in a.records["boilerplate"]}
    second = {(r["article_id"], r["line_no"]): r["role"] for r in b.records["boilerplate"]}
    keys = sorted(set(first) & set(second))
    rows = []
    for article_id in [*sorted({k[0] for k in keys}), None]:
        chosen = [k for k in keys if article_id is None or k[0] == article_id]
        roles_a = [first[k] for k in chosen]
        roles_b = [second[k] for k in chosen]
        binary_a = [str(r not in CONTENT_ROLES) for r in roles_a]
        binary_b = [str(r not in CONTENT_ROLES) for r in roles_b]
        rows.append({
            "article": article_id or "all",
            "lines": len(chosen),
            "agreement": sum(x == y for x, y in zip(roles_a, roles_b, strict=True)) / len(chosen),
            "kappa_binary": kappa(binary_a, binary_b),
            "kappa_role": kappa(roles_a, roles_b),
        })
    return rows


def doc_pairs_rows(a: Pass, b: Pass) -> list[dict[str, Any]]:
    first = {(r["a"], r["b"]): r["relation"] for r in a.records["doc_pairs"]}
    second = {(r["a"], r["b"]): r["relation"] for r in b.records["doc_pairs"]}
    keys = sorted(set(first) & set(second))
    relations_a, relations_b = [first[k] for k in keys], [second[k] for k in keys]
    return [{
        "pairs": len(keys),
        "agreement": sum(x == y for x, y in zip(relations_a, relations_b, strict=True)) / len(keys),
        "kappa": kappa(relations_a, relations_b),
    }]


def _number(value: Any) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_number(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines)


SECTIONS: list[tuple[str, str, Callable[[Pass, Pass], list[dict[str, Any]]]]] = [
    ("boilerplate", "Boilerplate lines (Cohen's kappa; role = the full label)", boilerplate_rows),
    ("duplicates", "Document pairs (relation)", doc_pairs_rows),
]


def agreement_markdown(root: Path) -> str:
    """The agreement section of DATASHEET.md, computed from the passes under ``root``."""
    articles = load_corpus(root / RAW_DIR)
    parts = []
    cache: dict[str, list[Pass]] = {}
    for annotation_task, title, rows_of in SECTIONS:
        passes = cache.setdefault(annotation_task, read_passes(root, annotation_task, articles))
        if len(passes) < 2:
            parts.append(f"**{title}**: fewer than two passes.")
            continue
        first, second = passes[:2]
        parts.append(f"**{title}** — passes `{first.annotator}` and `{second.annotator}`\n\n"
                     + table(rows_of(first, second)))
    return "\n\n".join(parts)


__all__ = ["TASKS", "agreement_markdown", "boilerplate_rows", "doc_pairs_rows", "kappa", "read_passes"]
