"""End-to-end scoring against its floor: what a user runs, in fresh processes, side by side in one run.

For each size ``n`` (document pairs of a synthetic release, ``newsgold synth --n n``; made here unless
``--work`` already holds it), with predictions of every pair (the gold relation, every 5th one wrong):

- **floor**: start Python with ``newsgold.scoring`` imported and read both pair files (the gold's and the
  predictions') with ``pyarrow.json``: the least any scorer of these files does;
- **read all**: the floor of validating: start Python with ``newsgold.scoring`` imported and read every JSON
  Lines file of the release with ``pyarrow.json`` (no check at all);
- **validate**: ``newsgold validate SYNTH`` (in full; it remembers the folder as valid);
- **score**: ``newsgold score doc_pairs --pred P --gold-dir SYNTH`` (the folder already validated);
- **bootstrap**: 1000 resamples of those statistics (``report(..., bootstrap=1000)``), timed inside one process;
- **compare**: ``python -m newsgold compare baselines/predictions/minhash/doc_pairs.jsonl
  baselines/predictions/random/doc_pairs.jsonl doc_pairs`` (two baselines with scores, on the real split, 1000
  resamples), the shipped release validated once before; run ``--runs`` times (default 10) beside its two
  floors, run as often and interleaved with it: ``python -c pass`` (the interpreter) and ``python -c "import
  newsgold"``. Its median and its slowest run are reported. At the first size only, or alone with
  ``--compare-only``.

Each command runs in its own process; its wall-clock time is taken from outside (interpreter start included),
its peak resident memory (``ru_maxrss``) is its own. The targets (never in tests): at 10^5 pairs, score within
5x the floor and at most 600 MiB; at 10^6, score at most 15 s and 1.5 GiB, validate at most 60 s and 2 GiB,
bootstrap at most 10 s; compare under 1 s in every run.

    python benchmarks/e2e_bench.py                                  # 10^5 and 10^6 pairs
    python benchmarks/e2e_bench.py --sizes 100000 --work /tmp/e2e   # keep (and reuse) the synthetic folders
    python benchmarks/e2e_bench.py --compare-only                   # compare on the real split, a few seconds
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MIB = 1 << 20
REPO = Path(__file__).resolve().parents[1]
# (size, stage) -> (seconds, MiB); None: no bound
TARGETS: dict[tuple[int, str], tuple[float | None, float | None]] = {
    (1_000_000, "score"): (15.0, 1536.0), (1_000_000, "validate"): (60.0, 2048.0),
    (1_000_000, "bootstrap"): (10.0, None), (100_000, "score"): (None, 600.0), (0, "compare"): (1.0, None),
}
FLOOR_RATIO = 5.0  # at 10^5 pairs, score within this many floors
PREDICTIONS = REPO / "baselines" / "predictions"
COMPARE = ["-m", "newsgold", "compare", str(PREDICTIONS / "minhash" / "doc_pairs.jsonl"),
           str(PREDICTIONS / "random" / "doc_pairs.jsonl"), "doc_pairs"]
STARTUP_FLOORS = {"python -c pass": ["-c", "pass"], "import newsgold": ["-c", "import newsgold"]}


def child(argv: list[str]) -> None:
    """Run one measured command in this process and print its peak memory (and inner time) as JSON."""
    kind, *rest = argv
    inner = None
    if kind == "floor":
        import pyarrow.json as pj

        import newsgold.scoring  # noqa: F401  (the import is part of the floor)

        for path in rest:
            pj.read_json(path)
    elif kind == "cli":
        from newsgold.cli import main

        with open(os.devnull, "w") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                code = main(rest)
            finally:
                sys.stdout = stdout
        if code:
            raise SystemExit(f"newsgold {' '.join(rest)} exited {code}")
    elif kind == "bootstrap":
        from newsgold.scoring import load_gold, read_predictions, report, statistics

        gold = load_gold(rest[1])
        stats = statistics("doc_pairs", read_predictions("doc_pairs", rest[0], gold), gold)
        start = time.perf_counter()
        report("doc_pairs", stats, gold, bootstrap=1000, seed=0)
        inner = time.perf_counter() - start
    print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "inner": inner}))


def measure(*argv: str) -> dict[str, Any]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", *argv], capture_output=True,
                          text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{argv} failed with status {done.returncode}:\n{done.stderr[-2000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": found["inner"] if found["inner"] is not None else seconds, "peak_mib": found["peak_mib"]}


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and peak MiB of ``python ARGV`` in a process of its own, output discarded."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resource usage, peak memory included
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"{argv} failed with status {process.returncode}:\n{errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def compare_rows(runs: int) -> dict[str, dict[str, Any]]:
    """``newsgold compare`` on the real split and its start-up floors, each run ``runs`` times, interleaved so
    that a change of load touches them alike: the median and the slowest run of each."""
    measure("cli", "validate")  # the shipped release, validated once (as on any machine that used it)
    commands = {**STARTUP_FLOORS, "compare": COMPARE}
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for name, argv in commands.items():
            seconds, mib = run_once(argv)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], mib)
    return {name: {"seconds": statistics.median(times[name]), "slowest": max(times[name]), "runs": runs,
                   "peak_mib": peaks[name]} for name in commands}


def predictions(folder: Path) -> Path:
    """Predictions of every pair beside ``folder`` (made once), as scale_bench.py writes them."""
    from scale_bench import write_pair_predictions

    out = folder.parent / f"{folder.name}-doc_pairs.jsonl"
    if not out.exists():
        write_pair_predictions(folder, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="document pairs, comma-separated")
    parser.add_argument("--work", help="where the synthetic folders are (made when missing)")
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--runs", type=int, default=10, help="runs of compare and its floors (default 10)")
    parser.add_argument("--compare-only", action="store_true", help="only compare on the real split, and its floors")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    sys.path.insert(0, str(REPO / "src"))
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="e2e-"))
    # A cache of the run's own: the first `score` must find the folder validated by this run's `validate`.
    os.environ["NEWSGOLD_CACHE_DIR"] = str(work / "cache")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'pairs':>10} {'stage':16} {'seconds':>8} {'MiB':>7}  note")
    results: list[dict[str, Any]] = []
    missed: list[str] = []
    if args.compare_only:
        report_compare(compare_rows(args.runs), results, missed)
    sizes = [] if args.compare_only else [int(s) for s in args.sizes.split(",")]
    for position, n in enumerate(sizes):
        folder = work / f"synth-{n}"
        if not (folder / "MANIFEST.json").exists():
            made = measure("cli", "synth", "--n", str(n), "--out", str(folder))
            results.append({"pairs": n, "stage": "synth", **made})
            print(f"{n:>10,} {'synth':16} {made['seconds']:8.2f} {made['peak_mib']:7.0f}", flush=True)
        pred = predictions(folder)
        rows = {"floor": measure("floor", str(folder / "doc_pairs_synthetic" / "test.jsonl"), str(pred)),
                "read all": measure("floor", *map(str, sorted(folder.glob("*/test.jsonl")))),
                "validate": measure("cli", "validate", str(folder)),
                "score": measure("cli", "score", "doc_pairs", "--pred", str(pred), "--gold-dir", str(folder)),
                "bootstrap": measure("bootstrap", str(pred), str(folder))}
        for stage, row in rows.items():
            note = ""
            if stage == "validate":
                note = f"{row['seconds'] / rows['read all']['seconds']:.1f}x reading every file"
            if stage == "score":
                ratio = row["seconds"] / rows["floor"]["seconds"]
                note = f"{ratio:.1f}x the floor"
                if n == 100_000 and ratio > FLOOR_RATIO:
                    missed.append(f"score at {n}: {ratio:.1f}x the floor > {FLOOR_RATIO}x")
            seconds, mib = TARGETS.get((n, stage), (None, None))
            if seconds is not None and row["seconds"] > seconds:
                missed.append(f"{stage} at {n}: {row['seconds']:.1f} s > {seconds} s")
            if mib is not None and row["peak_mib"] > mib:
                missed.append(f"{stage} at {n}: {row['peak_mib']:.0f} MiB > {mib} MiB")
            results.append({"pairs": n, "stage": stage, **row})
            print(f"{n:>10,} {stage:16} {row['seconds']:8.2f} {row['peak_mib']:7.0f}  {note}", flush=True)
        if position == 0:
            report_compare(compare_rows(args.runs), results, missed)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for miss in missed:
        print(f"TARGET MISSED: {miss}")
    return 1 if missed else 0


def report_compare(rows: dict[str, dict[str, Any]], results: list[dict[str, Any]], missed: list[str]) -> None:
    """Print compare beside its floors (median seconds, the slowest run in the note) and check its target."""
    limit, _ = TARGETS[(0, "compare")]
    for stage, row in rows.items():
        note = f"median of {row['runs']}, slowest {row['slowest']:.3f}"
        if stage == "compare":
            floor = rows["import newsgold"]["seconds"]
            note += f"; {row['seconds'] - floor:.3f} s beyond import newsgold"
        results.append({"pairs": 0, "stage": stage, **row})
        print(f"{'real split':>10} {stage:16} {row['seconds']:8.3f} {row['peak_mib']:7.0f}  {note}", flush=True)
    if limit is not None and rows["compare"]["slowest"] >= limit:
        missed.append(f"compare on the real split: slowest of {rows['compare']['runs']} runs "
                      f"{rows['compare']['slowest']:.2f} s >= {limit} s")


if __name__ == "__main__":
    sys.exit(main())
