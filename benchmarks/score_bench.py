"""Speed and memory of the scoring core against the reference implementations, on the same synthetic inputs.

Spans: ``n`` gold and ``n`` predicted spans (20 a document, three types, each span overlapping at most one of the
other side, so that the matching is nervaluate's), scored in the four SemEval modes overall and per type, by
newsgold and by nervaluate 1.2. Coreference: ``n`` mentions in clusters of 1 to 8, a response that moves 15% of
the mentions and drops or adds 5%, scored by newsgold (MUC, B-cubed, CEAF-e, CEAF-m, BLANC, LEA, CoNLL) and by
scorch 0.2 (MUC, B-cubed, CEAF-e, CEAF-m, BLANC). Each implementation is timed in one run and its peak memory
(``tracemalloc``, which numpy reports to) measured in another, after a warm-up that does the imports; the numbers
of the two must agree. A reference is skipped above its ``--*-reference-limit``, where it would take minutes.

Inputs are already-validated arrays: reading and checking 10^6 JSON lines is a separate cost.

    python benchmarks/score_bench.py                      # 10^4, 10^5 and 10^6
    python benchmarks/score_bench.py --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from newsgold.metrics import coref
from newsgold.scoring import spans as semeval

T = TypeVar("T")
TAGS = ("A", "B", "C")
PER_DOCUMENT = 20
SLOT = 100  # each gold span and its prediction live in a slot of their own, so no span meets two others
GIB = 1 << 30

# The targets of the scoring core (the tests never time anything).
SPAN_SECONDS, SPAN_SPEEDUP, SPAN_TARGET_SIZE = 3.0, 10.0, 1_000_000
COREF_SECONDS, COREF_TARGET_SIZE = 2.0, 100_000


@dataclass
class Measure:
    seconds: float
    peak_bytes: int
    result: Any


def measure(run: Callable[[], T]) -> Measure:
    """Time one run, then measure the peak memory of a second one."""
    gc.collect()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    del result
    gc.collect()
    tracemalloc.start()
    result = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measure(seconds, peak, result)


# ---------------------------------------------------------------------------------------------------------
# Spans


def span_inputs(n: int, rng: np.random.Generator) -> tuple[semeval.SpanArrays, semeval.SpanArrays, int]:
    slot = np.arange(n)
    document = slot // PER_DOCUMENT
    base = (slot % PER_DOCUMENT) * SLOT
    g_start = base + rng.integers(5, 30, n)
    g_end = g_start + rng.integers(1, 40, n)
    g_type = rng.integers(0, len(TAGS), n)
    kind = rng.random(n)
    exact = kind < 0.5
    p_start = np.where(exact, g_start, np.maximum(base, g_start + rng.integers(-5, 6, n)))
    p_end = np.where(exact, g_end, np.minimum(base + SLOT - 1, np.maximum(p_start + 1, g_end + rng.integers(-5, 6, n))))
    # A tenth of the predictions move to the empty end of their slot: a spurious span and a missed one.
    away = kind > 0.9
    p_start = np.where(away, base + 80, p_start)
    p_end = np.where(away, base + 90, p_end)
    p_type = np.where(rng.random(n) < 0.8, g_type, rng.integers(0, len(TAGS), n))
    gold = semeval.SpanArrays.of(document, g_start, g_end, g_type)
    pred = semeval.SpanArrays.of(document, p_start, p_end, p_type)
    return gold, pred, int(document.max()) + 1


def newsgold_spans(gold: semeval.SpanArrays, pred: semeval.SpanArrays, documents: int) -> dict[str, Any]:
    overall, by_type, _ = semeval.evaluate(gold, pred, documents, len(TAGS))
    return semeval.sections(overall.sum(axis=0), by_type.sum(axis=0), TAGS)


def nervaluate_inputs(gold: semeval.SpanArrays, pred: semeval.SpanArrays, documents: int) -> tuple[list, list]:
    def docs(spans: semeval.SpanArrays) -> list[list[dict[str, Any]]]:
        out: list[list[dict[str, Any]]] = [[] for _ in range(documents)]
        for d, s, e, t in zip(spans.article.tolist(), spans.start.tolist(), spans.end.tolist(), spans.label.tolist(),
                              strict=True):
            out[d].append({"label": TAGS[t], "start": s, "end": e - 1})  # nervaluate's ends are inclusive
        return out

    return docs(gold), docs(pred)


def agree_spans(ours: dict[str, Any], reference: dict[str, Any]) -> None:
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    fields = ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual", "precision", "recall")
    for mode, name in names.items():
        pairs = [(ours["spans"][mode], reference["overall"][name])]
        pairs += [(ours["by_type"][tag][mode], reference["entities"][tag][name]) for tag in TAGS]
        for mine, theirs in pairs:
            assert {f: mine[f] for f in fields} == {f: getattr(theirs, f) for f in fields}, mode
            assert math.isclose(mine["f1"], theirs.f1, rel_tol=2**-52), mode


# ---------------------------------------------------------------------------------------------------------
# Coreference


def coref_inputs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    sizes = rng.integers(1, 9, n)
    key = np.repeat(np.arange(n), sizes)[:n]
    clusters = int(key.max()) + 1
    moved = rng.random(n) < 0.15
    response = np.where(moved, rng.integers(0, clusters, n), key)
    response = np.where(rng.random(n) < 0.05, -1, response)  # mentions the system missed
    key = np.where(rng.random(n) < 0.05, -1, key)  # mentions the system made up
    return key, response


def newsgold_coref(key: np.ndarray, response: np.ndarray) -> dict[str, Any]:
    return coref.scores(coref.Table.from_mentions(key, response))


def clusters_of(labels: np.ndarray) -> list[set[int]]:
    out: dict[int, set[int]] = {}
    for mention, label in enumerate(labels.tolist()):
        if label >= 0:
            out.setdefault(label, set()).add(mention)
    return list(out.values())


def scorch_coref(key: list[set[int]], response: list[set[int]]) -> dict[str, tuple[float, float, float]]:
    from scorch import scores

    return {"muc": scores.muc(key, response), "b3": scores.b_cubed(key, response),
            "ceafe": scores.ceaf_e(key, response), "ceafm": scores.ceaf_m(key, response),
            "blanc": scores.blanc(key, response)}


def agree_coref(ours: dict[str, Any], reference: dict[str, tuple[float, float, float]]) -> None:
    for name, (recall, precision, f_score) in reference.items():
        mine = ours[name]
        for a, b in ((mine.precision, precision), (mine.recall, recall), (mine.f1, f_score)):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), name


# ---------------------------------------------------------------------------------------------------------


def row(task: str, n: int, ours: Measure, reference: Measure | None, agreed: str) -> str:
    mib = 1 << 20
    if reference is None:
        theirs, ratios = f"{'skipped':>10} {'':>9}", f"{'':>8} {'':>8}"
    else:
        theirs = f"{reference.seconds:9.3f}s {reference.peak_bytes / mib:7.1f}MB"
        ratios = (f"{reference.seconds / ours.seconds:7.1f}x "
                  f"{reference.peak_bytes / max(ours.peak_bytes, 1):7.2f}x")
    return (f"{task:6} {n:>9,} {ours.seconds:9.3f}s {ours.peak_bytes / mib:7.1f}MB  {theirs}  {ratios}  {agreed}")


@dataclass
class Outcome:
    line: str
    notes: list[str]
    missed: list[str]


def bench_spans(n: int, seed: int, reference_limit: int) -> Outcome:
    gold, pred, documents = span_inputs(n, np.random.default_rng(seed))
    ours = measure(lambda: newsgold_spans(gold, pred, documents))
    reference, agreed, notes, missed = None, "not compared", [], []
    if n <= reference_limit:
        from nervaluate import Evaluator

        true_docs, pred_docs = nervaluate_inputs(gold, pred, documents)
        reference = measure(lambda: Evaluator(true_docs, pred_docs, tags=list(TAGS), loader="dict").evaluate())
        agree_spans(ours.result, reference.result)
        agreed = "agree"
        if reference.seconds / ours.seconds < SPAN_SPEEDUP:
            missed.append(f"spans at {n:,}: {reference.seconds / ours.seconds:.1f}x nervaluate, target {SPAN_SPEEDUP}x")
    else:
        notes.append(f"nervaluate skipped at {n:,} spans (above --span-reference-limit: it would take minutes)")
    if n == SPAN_TARGET_SIZE and ours.seconds >= SPAN_SECONDS:
        missed.append(f"spans at {n:,}: {ours.seconds:.2f}s, target under {SPAN_SECONDS}s")
    if ours.peak_bytes >= GIB:
        missed.append(f"spans at {n:,}: peak {ours.peak_bytes / GIB:.2f} GiB, target under 1 GiB")
    return Outcome(row("spans", n, ours, reference, agreed), notes, missed)


def bench_coref(n: int, seed: int, reference_limit: int) -> Outcome:
    key, response = coref_inputs(n, np.random.default_rng(seed))
    ours = measure(lambda: newsgold_coref(key, response))
    reference, agreed, notes, missed = None, "not compared", [], []
    if n <= reference_limit:
        key_clusters, response_clusters = clusters_of(key), clusters_of(response)
        reference = measure(lambda: scorch_coref(key_clusters, response_clusters))
        agree_coref(ours.result, reference.result)
        agreed = "agree"
    else:
        notes.append(f"scorch skipped at {n:,} mentions (above --coref-reference-limit: its MUC and B-cubed "
                     "intersect every key cluster with every response cluster, its BLANC allocates a mentions² "
                     "matrix)")
    if n == COREF_TARGET_SIZE and ours.seconds >= COREF_SECONDS:
        missed.append(f"coref at {n:,}: {ours.seconds:.2f}s, target under {COREF_SECONDS}s")
    if ours.peak_bytes >= GIB:
        missed.append(f"coref at {n:,}: peak {ours.peak_bytes / GIB:.2f} GiB, target under 1 GiB")
    return Outcome(row("coref", n, ours, reference, agreed), notes, missed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of items")
    parser.add_argument("--span-reference-limit", type=int, default=100_000,
                        help="largest size at which nervaluate runs (default 100000)")
    parser.add_argument("--coref-reference-limit", type=int, default=10_000,
                        help="largest size at which scorch runs (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    # Warm up, so that importing scipy (done on first use) is not timed as scoring.
    newsgold_coref(*coref_inputs(1000, np.random.default_rng(1)))
    newsgold_spans(*span_inputs(1000, np.random.default_rng(1)))
    print(f"{'task':6} {'items':>9} {'newsgold':>10} {'peak':>9}  {'reference':>10} {'peak':>9}  "
          f"{'time':>8} {'memory':>8}  numbers")
    print(f"{'':6} {'':>9} {'':>10} {'':>9}  {'':>10} {'':>9}  {'ratio':>8} {'ratio':>8}")
    outcomes = []
    for n in sizes:
        for bench, limit in ((bench_spans, args.span_reference_limit), (bench_coref, args.coref_reference_limit)):
            outcome = bench(n, args.seed, limit)
            print(outcome.line, flush=True)
            outcomes.append(outcome)
    print()
    print("ratios are reference / newsgold: above 1 means newsgold is faster or smaller")
    for outcome in outcomes:
        for note in outcome.notes:
            print(f"note: {note}")
    missed = [miss for outcome in outcomes for miss in outcome.missed]
    for miss in missed:
        print(f"TARGET MISSED: {miss}")
    if not missed:
        print("targets met where measured: spans at 10^6 under 3 s, 10x nervaluate; coreference at 10^5 under 2 s; "
              "peaks under 1 GiB")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
