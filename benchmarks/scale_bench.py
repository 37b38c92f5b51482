"""Scale of the whole toolkit: build, validate, load and score a synthetic release of 10^3 to 10^6 document pairs.

For each size ``n`` (document pairs; the synthetic articles and their boilerplate lines come with them, about
one article per 11 pairs and 22 lines per article):

- **build**: ``newsgold synth --n n`` writes a synthetic release folder (derived from the shipped release, or
  ``--source``), streamed, with its Parquet copies, card, Croissant metadata and manifest;
- **validate**: ``newsgold validate`` on that folder (schemas, spans, references, coverage, manifest, Parquet,
  card);
- **load**: ``Release.load(folder, validate=False)``, the gold as every scorer reads it;
- **score**: ``newsgold.score`` of a ``doc_pairs`` and a ``boilerplate`` prediction file of the same size (the
  gold with every 5th pair and every 7th line wrong), the release already loaded.

Each stage runs in a fresh process, so that its peak resident memory (``ru_maxrss``, the interpreter and its
imports included) is its own. Each is timed by the wall clock and by the CPU time of its process (user + system):
on a shared machine the CPU time is the steadier of the two. For each stage the growth exponent is the slope of
log CPU time against log ``n``: over all sizes, and between the two largest, where fixed costs (imports, reading
the source release) no longer count. Near-linear growth is an exponent near 1.

    python benchmarks/scale_bench.py                          # 10^3, 10^4, 10^5 and 10^6 pairs
    python benchmarks/scale_bench.py --sizes 1000,10000 --work /tmp/scale --keep
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STAGES = ("build", "validate", "load", "score")
MIB = 1 << 20
# The targets (the tests never time anything): at 10^6 pairs, each stage within these seconds on a 2-core
# machine, and no stage growing faster than n^1.15 between the two largest sizes.
TARGET_SIZE, TARGET_SECONDS, TARGET_EXPONENT = 1_000_000, 900.0, 1.15


# ---------------------------------------------------------------------------------------------------------
# One stage, in a child process


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(stage: str, folder: Path, n: int, seed: int, source: Path | None) -> dict[str, Any]:
    start, cpu = time.perf_counter(), _cpu()
    if stage == "build":
        from newsgold.synth.release import write_synthetic_release

        write_synthetic_release(folder, n, seed, source, progress=sys.stderr.isatty())
    elif stage == "validate":
        from newsgold.release.validate import validate_release

        problems = validate_release(folder)
        if problems:
            raise SystemExit(f"{len(problems)} problem(s), first: {problems[0]}")
    elif stage == "load":
        from newsgold.release.dataset import Release

        Release.load(folder, validate=False)
    elif stage == "predict":
        predict(folder)
    elif stage == "score":
        from newsgold.release.dataset import Release
        from newsgold.scoring import score

        release = Release.load(folder, validate=False)
        start, cpu = time.perf_counter(), _cpu()
        for task in ("doc_pairs", "boilerplate"):
            score(task, predictions_dir(folder) / f"{task}.jsonl", release)
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    seconds, cpu_seconds = time.perf_counter() - start, _cpu() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds,
            "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def predictions_dir(folder: Path) -> Path:
    """Beside the release folder: a release holds only the files its manifest lists."""
    return folder.parent / f"{folder.name}-predictions"


def write_pair_predictions(folder: Path, out: Path) -> None:
    """A prediction of every pair of the synthetic release in ``folder``, streamed: the gold relation, every
    5th one wrong (the next relation)."""
    from newsgold.records import RELATIONS

    with (folder / "doc_pairs_synthetic" / "test.jsonl").open(encoding="utf-8") as gold, \
            out.open("w", encoding="utf-8") as pred:
        for number, line in enumerate(gold):
            record = json.loads(line)
            relation = record["relation"]
            if number % 5 == 0:
                relation = RELATIONS[(RELATIONS.index(relation) + 1) % len(RELATIONS)]
            pred.write(json.dumps({"a": record["a"], "b": record["b"], "relation": relation}) + "\n")


def predict(folder: Path) -> None:
    """Prediction files from the gold, streamed, with every 5th pair and every 7th line wrong."""
    out = predictions_dir(folder)
    out.mkdir(exist_ok=True)
    write_pair_predictions(folder, out / "doc_pairs.jsonl")
    with (folder / "boilerplate_synthetic" / "test.jsonl").open(encoding="utf-8") as gold, \
            (out / "boilerplate.jsonl").open("w", encoding="utf-8") as pred:
        for number, line in enumerate(gold):
            record = json.loads(line)
            flipped = number % 7 == 0
            is_boilerplate = record["is_boilerplate"] != flipped
            role = record["role"] if not flipped else ("other" if is_boilerplate else "body")
            pred.write(json.dumps({"article_id": record["article_id"], "line_no": record["line_no"],
                                   "is_boilerplate": is_boilerplate, "role": role}) + "\n")


def run(stage: str, folder: Path, n: int, seed: int, source: Path | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", stage, "--folder", str(folder), "--n", str(n), "--seed", str(seed)]
    if source is not None:
        command += ["--source", str(source)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {stage} at n={n} failed with status {done.returncode}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------------------------------------------------
# The table


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log seconds against log n."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-6)) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores ({cpu}), {memory / (1 << 30):.1f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; load average {load:.1f} at start")


def rows_of(folder: Path) -> dict[str, int]:
    files = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))["files"]
    return {config: files[f"{config}/test.jsonl"]["rows"]
            for config in ("articles_synthetic", "doc_pairs_synthetic", "boilerplate_synthetic")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="document pairs, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", help="the release to derive from (default: the shipped one)")
    parser.add_argument("--work", help="where the synthetic folders go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic folders")
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    source = Path(args.source).resolve() if args.source else None
    if args.child:
        print(json.dumps(child(args.child, Path(args.folder), args.n, args.seed, source)))
        return 0

    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsgold-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(machine())
    results: list[dict[str, Any]] = []
    header = ("| pairs | articles | lines | " + " | ".join(f"{s} s (CPU s) | {s} MiB" for s in STAGES) + " |")
    print(header)
    print("|" + "---:|" * (3 + 2 * len(STAGES)))
    for n in sizes:
        folder = work / f"synth-{n}"
        measured: dict[str, Any] = {"n": n}
        for stage in STAGES:
            if stage == "score":
                run("predict", folder, n, args.seed, source)
            measured[stage] = run(stage, folder, n, args.seed, source)
        measured["rows"] = rows_of(folder)
        results.append(measured)
        rows = measured["rows"]
        cells = [f"{n:,}", f"{rows['articles_synthetic']:,}", f"{rows['boilerplate_synthetic']:,}"]
        cells += [f"{measured[s]['seconds']:.1f} ({measured[s]['cpu_seconds']:.1f}) | "
                  f"{measured[s]['peak_bytes'] / MIB:,.0f}" for s in STAGES]
        print("| " + " | ".join(cells) + " |", flush=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(predictions_dir(folder), ignore_errors=True)
    print()
    failed = []
    for stage in STAGES:
        points = [(r["n"], r[stage]["cpu_seconds"]) for r in results]
        overall, last = slope(points), slope(points[-2:])
        text = "n/a" if overall is None else f"{overall:.2f} over all sizes, {last:.2f} between the two largest"
        print(f"growth exponent of CPU time, {stage}: {text}")
        if last is not None and points[-1][0] >= TARGET_SIZE and last > TARGET_EXPONENT:
            failed.append(f"{stage} grows as n^{last:.2f} (target {TARGET_EXPONENT})")
        big = [r[stage]["seconds"] for r in results if r["n"] == TARGET_SIZE]
        if big and big[0] > TARGET_SECONDS:
            failed.append(f"{stage} takes {big[0]:.0f} s at n={TARGET_SIZE:,} (target {TARGET_SECONDS:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "results": results}, indent=2) + "\n")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    for message in failed:
        print(f"target missed: {message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
