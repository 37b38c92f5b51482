"""Speed and memory of reading predictions anchored by text, against the same predictions given by offsets.

``n`` quote predictions on the articles of the shipped release, in the proportions of a chat model's answers:
60% spans of 1 to 40 words copied verbatim (aligned by the exact stage), 25% spans around a curly quote, a dash or
a line break given back with straight quotes, ``--`` and collapsed white space (the normalised stage), 10% spans of 1
to 5 words with 40 characters of context on each side (straightened the same way), and 5% invented sentences (found
nowhere, so every stage is tried). The floor is the same predictions given by their offsets. Both are written
to a JSON Lines file and read as ``newsgold score`` reads them (``read_predictions``: parsing, the schema, the
alignment, the span checks); the ``score`` column is the whole ``newsgold.score`` (reading, matching, report).
A second row set does the same with ``--fuzzy 90`` for paraphrased spans (a word changed), whose every record
reaches the fuzzy stage.

With 10^5 records on five articles most places are soon taken, so records that share a text (a repeated word)
walk past every taken place first: a harder case than the same number of records spread over many articles.

    python benchmarks/align_bench.py                      # 10^4 and 10^5 records, 10^3 fuzzy ones
    python benchmarks/align_bench.py --sizes 100000 --fuzzy-sizes 1000
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from newsgold.jsonl import write_jsonl
from newsgold.scoring import load_gold, read_predictions, score
from score_bench import Measure, measure

STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "--", "–": "-", "…": "...", "\u00a0": " "})
ODD = re.compile(r"[“”‘’—–…\u00a0]|\s{2,}|\n")
WORD = re.compile(r"\w+")
CONTEXT = 40
WORDS_MOST = 40  # a span is 1 to 40 words: the 3,561 words of the release give 142,000 distinct spans
ATTEMPTS = 20  # draws per prediction before giving up (a span drawn twice is drawn again)


def chat_style(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(STRAIGHT)).strip()


def predictions(n: int, seed: int, *, paraphrase: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``n`` text-anchored quote predictions and the same ones by offsets (see the module docstring)."""
    gold = load_gold(None)
    rng = np.random.default_rng(seed)
    articles = sorted(gold.articles)
    words = {a: [m.span() for m in WORD.finditer(gold.articles[a].text)] for a in articles}
    odd = {a: [m.start() for m in ODD.finditer(gold.articles[a].text)] for a in articles}
    texts: list[dict[str, Any]] = []
    offsets: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for _ in range(ATTEMPTS * n):
        if len(texts) == n:
            break
        article_id = articles[int(rng.integers(len(articles)))]
        raw, spans = gold.articles[article_id].text, words[article_id]
        kind = rng.random()
        if kind < 0.25 and odd[article_id] and not paraphrase:  # around an odd character: the normalised stage
            at = odd[article_id][int(rng.integers(len(odd[article_id])))]
            first = next((i for i, (s, _) in enumerate(spans) if s > at), len(spans)) - int(rng.integers(1, 4))
            first = max(first, 0)
        else:
            first = int(rng.integers(len(spans)))
        extra = int(rng.integers(0, 5 if 0.25 <= kind < 0.35 and not paraphrase else WORDS_MOST))
        last = min(first + extra, len(spans) - 1)
        start, end = spans[first][0], spans[last][1]
        if (article_id, start, end) in seen:
            continue
        seen.add((article_id, start, end))
        offsets.append({"article_id": article_id, "start": start, "end": end, "type": "direct"})
        if paraphrase:
            words_of = raw[start:end].split()
            if len(words_of) < 8:
                seen.discard((article_id, start, end))
                offsets.pop()
                continue
            words_of[len(words_of) // 2] = "said"  # one word changed: only the fuzzy stage finds it
            texts.append({"article_id": article_id, "text": " ".join(words_of), "type": "direct"})
        elif kind < 0.25:
            texts.append({"article_id": article_id, "text": chat_style(raw[start:end]), "type": "direct"})
        elif kind < 0.35:
            context = chat_style(raw[max(0, start - CONTEXT):end + CONTEXT])
            texts.append({"article_id": article_id, "text": raw[start:end], "context": context, "type": "direct"})
        elif kind < 0.95:
            texts.append({"article_id": article_id, "text": raw[start:end], "type": "direct"})
        else:
            texts.append({"article_id": article_id, "text": f"An invented sentence number {len(texts)}.",
                          "type": "direct"})
    if len(texts) < n:
        raise SystemExit(f"the release has too few distinct spans for {n} predictions")
    return texts, offsets


def row(label: str, n: int, text: Measure, floor: Measure, whole: Measure) -> str:
    mib = 1 << 20
    return (f"{label:8} {n:>9,} {text.seconds:9.3f}s {text.peak_bytes / mib:7.1f}MB  {floor.seconds:9.3f}s "
            f"{floor.peak_bytes / mib:7.1f}MB  {text.seconds / floor.seconds:7.1f}x  {whole.seconds:8.3f}s  "
            f"{1e6 * text.seconds / n:8.1f}")


def bench(n: int, seed: int, fuzzy: float | None, folder: Path) -> tuple[str, dict[str, int]]:
    gold = load_gold(None)
    texts, offsets = predictions(n, seed, paraphrase=fuzzy is not None)
    text_path, offset_path = folder / f"text-{n}.jsonl", folder / f"offsets-{n}.jsonl"
    write_jsonl(text_path, texts)
    write_jsonl(offset_path, offsets)
    text = measure(lambda: read_predictions("quotes", text_path, gold, fuzzy=fuzzy))
    floor = measure(lambda: read_predictions("quotes", offset_path, gold))
    whole = measure(lambda: score("quotes", text_path, gold, fuzzy=fuzzy))
    alignment = {k: v for k, v in whole.result["alignment"].items() if isinstance(v, int)}
    return row("fuzzy" if fuzzy is not None else "align", n, text, floor, whole), alignment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of records")
    parser.add_argument("--fuzzy-sizes", default="1000", help="numbers of paraphrased records aligned with --fuzzy")
    parser.add_argument("--threshold", type=float, default=90.0, help="the --fuzzy threshold (default 90)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    # Warm up: load the release and do the imports (rapidfuzz included) before anything is timed.
    load_gold(None)
    read_predictions("quotes", predictions(50, 1)[0], load_gold(None), fuzzy=args.threshold)
    print(f"{'stage':8} {'records':>9} {'by text':>10} {'peak':>9}  {'by offsets':>10} {'peak':>9}  "
          f"{'ratio':>8}  {'score':>9}  {'µs/record':>9}")
    notes = []
    with tempfile.TemporaryDirectory(prefix="newsgold-align-bench-") as tmp:
        for sizes, fuzzy in ((args.sizes, None), (args.fuzzy_sizes, args.threshold)):
            for n in (int(s) for s in sizes.split(",") if s):
                line, alignment = bench(n, args.seed, fuzzy, Path(tmp))
                print(line, flush=True)
                notes.append(f"{'fuzzy' if fuzzy else 'align'} {n:,}: " + ", ".join(f"{v} {k}" for k, v in
                                                                                    alignment.items()))
    print()
    print("by text / by offsets: reading a prediction file (parse, schema, alignment, span checks);"
          " score: the whole newsgold.score of the text-anchored file")
    for note in notes:
        print(f"alignment of {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
