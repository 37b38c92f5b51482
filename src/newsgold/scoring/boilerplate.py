r"""The boilerplate scorers: labelled lines (``boilerplate``) and extracted main text (``boilerplate_text``).

**Lines** (schema ``boilerplate``): ``{article_id, line_no, is_boilerplate, role?}``, one per line. Every
non-empty line of every article is scored; a line without a prediction counts as predicted content (not
boilerplate, no role), and a prediction for an empty line is accepted and not scored (empty lines carry no
label). With boilerplate as the positive class and ``tp, fp, fn, tn`` the line counts:

- ``lines.precision = tp / (tp + fp)``, ``lines.recall = tp / (tp + fn)``, ``lines.f1`` their harmonic mean,
  ``lines.accuracy = (tp + tn) / lines``;
- ``lines.kappa``: Cohen's kappa ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the accuracy and ``p_e`` the agreement
  expected from the two label distributions (``null`` when ``p_e = 1``);
- ``roles`` (when any prediction gives a role): ``roles.accuracy`` and ``roles.macro_f1``, the unweighted mean
  over the roles that occur in the gold or the predictions of each role's F1 (a line with no predicted role
  counts as a miss for its gold role).

All are scikit-learn's (``precision_recall_fscore_support``, ``accuracy_score``, ``cohen_kappa_score``,
``f1_score``) of the summed line-count matrices, computed from them by :mod:`.confusion` (equal to
scikit-learn's to the last bit).

**Extracted text** (schema ``boilerplate_text``): ``{article_id, text}``, one per article; an article without a
prediction has extracted nothing. The metric is the one of the article-extraction benchmark by Scrapinghub:
tokens are the matches of ``\w+``; the shingles of a text are its runs of 4 consecutive tokens (one shingle
of all tokens when there are fewer than 4), as a multiset; per article, with ``tp = |G ∩ P|``,
``fp = |P - G|`` and ``fn = |G - P|`` over the multisets of gold and predicted shingles,
``precision = tp / (tp + fp)`` and ``recall = tp / (tp + fn)`` (1 when ``fp = fn = 0``). ``tokens.precision``
is the mean over the articles with a predicted shingle, ``tokens.recall`` the mean over the articles with a
gold shingle, ``tokens.f1`` the F1 of the two means, and ``tokens.accuracy`` the share of articles whose
predicted tokens equal the gold tokens. The gold text of an article is its ``title`` and ``body`` lines,
in order, joined by ``"\n"``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from ..errors import Problem
from ..metrics.coref import f1
from ..records import BOILERPLATE_ROLES, CONTENT_ROLES
from ..release.dataset import Release
from .confusion import accuracy, cohen_kappa, macro_f1, precision_recall_f1, present_labels
from .core import (
    Options,
    Scorer,
    Source,
    Statistics,
    Totals,
    article_problem,
    defined,
    first_seen,
    load_rows,
    no_gold,
    rate,
    scope,
)

NAME = "boilerplate"
TEXT_NAME = "boilerplate_text"
NO_ROLE = len(BOILERPLATE_ROLES)  # the role code of a line predicted without a role
ROLE_LABELS = (*BOILERPLATE_ROLES, "none")
HEADLINE = ("lines.precision", "lines.recall", "lines.f1", "lines.accuracy", "lines.kappa", "roles.macro_f1")
TEXT_HEADLINE = ("tokens.precision", "tokens.recall", "tokens.f1", "tokens.accuracy")
SHINGLE = 4
TOKEN = re.compile(r"\w+")


# ---------------------------------------------------------------------------------------------------------
# Lines


def read_predictions(source: Source, gold: Release) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, NAME)
    records = []
    seen: dict[Any, Any] = {}
    for row in rows:
        data = row.data
        article_id, line_no = data["article_id"], data["line_no"]
        problem = article_problem(row, "article_id", article_id, gold)
        if problem is None and gold.articles[article_id].line(line_no) is None:
            problem = row.problem("line_no", f"line {line_no} does not exist "
                                             f"(article has {len(gold.articles[article_id].lines)})")
        role = data.get("role")
        if problem is None and role is not None and (role not in CONTENT_ROLES) != data["is_boilerplate"]:
            kind = "content" if role in CONTENT_ROLES else "boilerplate"
            problem = row.problem("is_boilerplate", f"role {role!r} is {kind} but is_boilerplate is "
                                                    f"{str(data['is_boilerplate']).lower()}")
        if problem is None:
            earlier = first_seen(seen, (article_id, line_no), row)
            if earlier is not None:
                problem = row.problem("line_no", f"duplicate prediction for {article_id} line {line_no} "
                                                 f"(first at {earlier.path}:{earlier.line})")
        if problem is None:
            records.append(data)
        else:
            problems.append(problem)
    return records, problems


def statistics(records: Sequence[dict[str, Any]], gold: Release,
               article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    index = {article: i for i, article in enumerate(articles)}
    n = len(articles)
    predicted = {(r["article_id"], r["line_no"]): r for r in records if r["article_id"] in index}
    lines = np.zeros((n, 2, 2), dtype=np.int64)  # gold is_boilerplate x predicted is_boilerplate
    roles = np.zeros((n, len(ROLE_LABELS), len(ROLE_LABELS)), dtype=np.int64)
    given = np.zeros((n, 2), dtype=np.int64)  # scored predictions, and those with a role
    for label in gold.records.get("boilerplate", []):
        a = index.get(label["article_id"])
        if a is None:
            continue
        guess = predicted.get((label["article_id"], label["line_no"]))
        is_boilerplate = bool(guess["is_boilerplate"]) if guess else False
        role = guess.get("role") if guess else None
        lines[a, int(label["role"] not in CONTENT_ROLES), int(is_boilerplate)] += 1
        said = NO_ROLE if role is None else BOILERPLATE_ROLES.index(role)
        roles[a, BOILERPLATE_ROLES.index(label["role"]), said] += 1
        if guess:
            given[a] += (1, role is not None)
    return Statistics(articles, counts={"lines": lines, "roles": roles, "given": given})


def report(totals: Totals, options: Options) -> dict[str, Any]:
    lines, roles = totals.counts["lines"], totals.counts["roles"]
    scored, with_role = (int(x) for x in totals.counts["given"])
    out: dict[str, Any] = {"counts": {"articles": totals.articles, "lines": int(lines.sum()),
                                      "boilerplate": int(lines[1].sum()), "predicted": scored}}
    if not lines.any():
        out["lines"] = no_gold("line", ("precision", "recall", "f1", "accuracy", "kappa"))
    else:
        precision, recall, f_score = precision_recall_f1(lines, 1, options.undefined)
        out["lines"] = {"precision": precision, "recall": recall, "f1": f_score,
                        "accuracy": accuracy(lines, options.undefined),
                        "kappa": defined(cohen_kappa(lines), "the chance agreement is 1: gold and predictions have "
                                                             "one and the same class")}
        if not lines[1].sum():
            out["lines"].update(no_gold("boilerplate line"))
    if with_role:
        if not roles.any():
            out["roles"] = {**no_gold("line", ("accuracy", "macro_f1")), "labels": []}
            return out
        present = present_labels(roles, exclude=NO_ROLE)
        out["roles"] = {"accuracy": accuracy(roles, options.undefined),
                        "macro_f1": macro_f1(roles, present, options.undefined),
                        "labels": [ROLE_LABELS[r] for r in present]}
    return out


SCORER = Scorer(NAME, "boilerplate", HEADLINE, read_predictions, statistics, report)


# ---------------------------------------------------------------------------------------------------------
# Extracted text


def read_text_predictions(source: Source, gold: Release) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = load_rows(source, TEXT_NAME)
    records = []
    seen: dict[Any, Any] = {}
    for row in rows:
        article_id = row.data["article_id"]
        problem = article_problem(row, "article_id", article_id, gold)
        if problem is None:
            earlier = first_seen(seen, article_id, row)
            if earlier is not None:
                problem = row.problem("article_id", f"duplicate prediction for {article_id} "
                                                    f"(first at {earlier.path}:{earlier.line})")
        if problem is None:
            records.append(row.data)
        else:
            problems.append(problem)
    return records, problems


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def shingles(words: list[str]) -> Counter[tuple[str, ...]]:
    """The multiset of runs of ``SHINGLE`` consecutive tokens (all tokens as one, when there are fewer)."""
    return Counter(tuple(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)) if words[i:i + SHINGLE])


def gold_texts(gold: Release, articles: Collection[str]) -> dict[str, str]:
    """Each article's main text: its title and body lines, in order, joined by newlines."""
    roles: dict[str, dict[int, str]] = {article_id: {} for article_id in articles}
    for label in gold.records.get("boilerplate", []):
        if label["article_id"] in roles:
            roles[label["article_id"]][label["line_no"]] = label["role"]
    return {article_id: "\n".join(line.text for line in gold.articles[article_id].lines
                                  if labels.get(line.line_no) in CONTENT_ROLES)
            for article_id, labels in roles.items()}


TEXT_COLUMNS = ("precision", "precision_articles", "recall", "recall_articles", "exact", "tp", "fp", "fn")


def text_statistics(records: Sequence[dict[str, Any]], gold: Release,
                    article_ids: Collection[str] | None = None) -> Statistics:
    articles = scope(gold, article_ids)
    predicted = {r["article_id"]: r["text"] for r in records}
    truth = gold_texts(gold, articles)
    out = np.zeros((len(articles), len(TEXT_COLUMNS)), dtype=np.float64)
    for a, article_id in enumerate(articles):
        words_true, words_pred = tokens(truth[article_id]), tokens(predicted.get(article_id, ""))
        true, pred = shingles(words_true), shingles(words_pred)
        tp = sum((true & pred).values())
        fp, fn = sum(pred.values()) - tp, sum(true.values()) - tp
        perfect = fp == fn == 0
        out[a] = (1.0 if perfect else tp / (tp + fp) if tp else 0.0, tp + fp > 0,
                  1.0 if perfect else tp / (tp + fn) if tp else 0.0, tp + fn > 0, words_true == words_pred, tp, fp, fn)
    # Only articles with predicted (gold) shingles enter the precision (recall) mean.
    out[:, 0] *= out[:, 1]
    out[:, 2] *= out[:, 3]
    return Statistics(articles, counts={"tokens": out})


def text_report(totals: Totals, options: Options) -> dict[str, Any]:
    precision_sum, precision_n, recall_sum, recall_n, exact, tp, fp, fn = totals.counts["tokens"].tolist()
    precision, recall = rate(precision_sum, precision_n, options), rate(recall_sum, recall_n, options)
    tokens: dict[str, Any] = {"precision": precision, "recall": recall,
                              "f1": f1(precision, recall) if precision == precision and recall == recall else math.nan,
                              "accuracy": rate(exact, totals.articles, options)}
    if not recall_n:
        tokens.update(no_gold("text", ("precision", "recall", "f1")))  # no article has a gold shingle
    if not totals.articles:
        tokens.update(no_gold("article", ("accuracy",)))
    return {
        "counts": {"articles": totals.articles, "predicted": int(precision_n), "gold": int(recall_n),
                   "shingles": {"tp": int(tp), "fp": int(fp), "fn": int(fn)}},
        "tokens": tokens,
    }


TEXT_SCORER = Scorer(TEXT_NAME, "boilerplate", TEXT_HEADLINE, read_text_predictions, text_statistics, text_report)
