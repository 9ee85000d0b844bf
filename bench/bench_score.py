"""Benchmark of bulk scoring: 1,000,000 synthetic respondents, DJG-11 + LSNS-6 + duration.

Run with ``make bench`` (or ``python bench/bench_score.py [--rows N] [--write-docs]``).

For Parquet and for CSV it reports, in one run:

* ``floor``: a bare polars read of the file plus a sum of the same answer columns:
  the least any scorer must do;
* ``score``: reading and scoring through the code path of ``verbind score``
  (``verbind.cli.bulk.run_score``), without and with writing the output file;
* ``row by row``: pure-Python ``scoring.score`` for each instrument plus
  ``profile.classify`` per person on a sample (20,000 rows), extrapolated;
* peak memory (max RSS) of each measurement, each in a fresh process so one does not
  inherit another's peak, and the tracemalloc peak of Python objects while scoring.

* ``whole process``: ``verbind score FILE -o OUT`` as a process of its own (start-up,
  read, score, write; OUT in the input's format) against a bare polars process (a small
  generated script) that reads the same file, adds 20 result columns and writes the same
  format: best of N, both started with the same Python.

Targets: score within 1.5x of the floor and at least 100x faster than row by row; the
whole ``verbind score`` process within 1.5x of the bare polars process.
Outputs go to bench/out/ (gitignored). ``--write-docs`` rewrites docs/benchmarks.md;
``--only-process`` measures only the whole processes (and prints, never writes docs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))

INSTRUMENTS = ("djg11", "lsns6", "duration")
REPEAT = int(os.environ.get("VERBIND_BENCH_REPEAT", "5"))
SAMPLE = 20_000


def answer_columns() -> list[str]:
    from verbind.core.instrument import registry

    return [registry()[i].column(item.id) for i in INSTRUMENTS for item in registry()[i].items]


def generate(rows: int) -> dict[str, Path]:
    from verbind.core import demo_data

    OUT.mkdir(parents=True, exist_ok=True)
    frame = demo_data.generate(rows, seed=2022, instruments=INSTRUMENTS)
    paths = {"parquet": OUT / "survey.parquet", "csv": OUT / "survey.csv"}
    frame.write_parquet(paths["parquet"])
    frame.write_csv(paths["csv"])
    return paths


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_floor(path: Path) -> dict:
    import polars as pl

    cols = answer_columns()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path)
        frame.select(pl.sum_horizontal(cols).sum())
        times.append(time.perf_counter() - start)
        del frame
    return {"times": times, "peak_rss_mb": _peak_rss_mb()}


def record(phases: dict[str, float], phase: str, seconds: float) -> None:
    phases[f"score.{phase}"] = seconds


def child_score(path: Path, write: bool) -> dict:
    import tracemalloc

    from verbind.cli.bulk import run_score

    out = OUT / f"scored_{path.suffix.lstrip('.')}.parquet"
    times, phases = [], []
    if not write:
        # Read + score only: the same run_score, with writing replaced by nothing.
        from verbind.core import bulk

        real_write = bulk.write_frame
        bulk.write_frame = lambda frame, p, **kw: None
    for _ in range(REPEAT):
        inner: dict[str, float] = {}
        start = time.perf_counter()
        result, _, timing = run_score(path, out, on_phase_done=partial(record, inner))
        times.append(time.perf_counter() - start)
        phases.append({**timing, **inner})
        rows, errors = result.rows, result.errors.height
        del result
    tracemalloc.start()
    run_score(path, out)
    py_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if not write:
        bulk.write_frame = real_write
    return {
        "times": times,
        "phases": phases,
        "rows": rows,
        "errors": errors,
        "peak_rss_mb": _peak_rss_mb(),
        "python_peak_mb": py_peak,
    }


def child_row_by_row(path: Path) -> dict:
    import polars as pl

    from verbind.core import profile
    from verbind.core.instrument import registry
    from verbind.core.scoring import score

    sample = pl.read_parquet(path, n_rows=SAMPLE)
    instruments = [registry()[i] for i in INSTRUMENTS]
    columns = {inst.id: [inst.column(item.id) for item in inst.items] for inst in instruments}
    rows = sample.to_dicts()
    start = time.perf_counter()
    for row in rows:
        results = {
            inst.id: score(inst, {c: row[c] for c in columns[inst.id]}, strict=False)
            for inst in instruments
        }
        profile.build_profile(results, today=dt.date(2026, 1, 1))
    elapsed = time.perf_counter() - start
    return {"sample": len(rows), "seconds": elapsed, "peak_rss_mb": _peak_rss_mb()}


# The bare process of the whole-process comparison: read, 20 result columns, write.
BARE_SCORE = """import sys

import polars as pl

source, target, cols = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
frame = pl.read_parquet(source) if source.endswith(".parquet") else pl.read_csv(source)
total = pl.sum_horizontal(cols)
results = [(pl.col(c) * 2 + 1).alias(f"r_{c}") for c in cols]
results += [total.alias("r_total"), (total >= 20).alias("r_cutoff")]
frame = frame.with_columns(results[:20])
if target.endswith(".parquet"):
    frame.write_parquet(target)
else:
    frame.write_csv(target)
"""


def whole_process(paths: dict[str, Path], repeat: int) -> dict:
    """``verbind score`` and the bare polars script, each a fresh process, interleaved."""
    bare = OUT / "bare_score.py"
    bare.write_text(BARE_SCORE)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cols = ",".join(answer_columns())
    out: dict = {}
    for kind, path in paths.items():
        target = OUT / f"whole_{kind}.{kind}"
        cmds = {
            "bare": [sys.executable, str(bare), str(path), str(target), cols],
            "verbind": [sys.executable, "-m", "verbind", "score", str(path), "-o", str(target)],
        }
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(repeat):
            for name, cmd in cmds.items():
                start = time.perf_counter()
                done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
                times[name].append(time.perf_counter() - start)
                if done.returncode != 0:
                    raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
        out[kind] = times
    return out


def process_report(results: dict, load: tuple[str, str]) -> str:
    lines = [
        f"Whole processes (start-up, read, score or 20 columns, write the same format): "
        f"best of {len(results['parquet']['bare'])} (median in brackets); load average "
        f"(1, 5, 15 min) before {load[0]}, after {load[1]}.",
        "",
        "| file | bare polars process | `verbind score` process | ratio (best) | ratio (median) |",
        "|---|---|---|---|---|",
    ]
    verdicts = []
    for kind, times in results.items():
        bare, ours = min(times["bare"]), min(times["verbind"])
        mb, mo = statistics.median(times["bare"]), statistics.median(times["verbind"])
        lines.append(
            f"| {kind} | {bare:.2f} s ({mb:.2f}) | {ours:.2f} s ({mo:.2f}) "
            f"| {ours / bare:.2f}x | {mo / mb:.2f}x |"
        )
        met = "met" if ours / bare <= 1.5 else "NOT met"
        verdicts.append(f"{kind} {ours / bare:.2f}x (target <= 1.5x: {met})")
    lines += ["", "Whole-process targets: " + "; ".join(verdicts) + "."]
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def run_child(kind: str, path: Path, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(path), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import numpy
    import polars

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "polars": polars.__version__,
        "numpy": numpy.__version__,
        "os": platform.platform(),
    }


def best(times: list[float]) -> float:
    return min(times)


def report(rows: int, results: dict, info: dict) -> str:
    lines = [
        f"Rows: {rows:,} (DJG-11 + LSNS-6 + duration; {len(answer_columns())} answer columns)",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; "
        f"Python {info['python']}, polars {info['polars']}, numpy {info['numpy']}",
        f"Date: {info['date']}",
        f"Timings: best of {REPEAT} runs (median in brackets); each step in a fresh process.",
        "",
        "| file | floor: read + sum | read + score | ratio to floor | read + score + write | "
        "row by row (extrapolated) | speed-up vs row by row | peak RSS score | "
        "peak RSS floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rb = results["row_by_row"]
    per_row = rb["seconds"] / rb["sample"]
    row_total = per_row * rows
    for kind in ("parquet", "csv"):
        r = results[kind]
        floor, score, full = (best(r[k]["times"]) for k in ("floor", "score", "full"))
        med = {k: statistics.median(r[k]["times"]) for k in ("floor", "score", "full")}
        lines.append(
            f"| {kind} | {floor:.3f} s ({med['floor']:.3f}) | {score:.3f} s ({med['score']:.3f}) "
            f"| {score / floor:.2f}x | {full:.3f} s ({med['full']:.3f}) | {row_total:.0f} s "
            f"| {row_total / score:,.0f}x | {r['score']['peak_rss_mb']:.0f} MB "
            f"| {r['floor']['peak_rss_mb']:.0f} MB |"
        )
    lines += [
        "",
        f"Row by row: {rb['sample']:,} rows in {rb['seconds']:.2f} s "
        f"({per_row * 1e6:.0f} µs per respondent: scoring.score for 3 instruments + "
        "profile.build_profile).",
    ]
    steps = ("read", "score", "write")
    for kind in ("parquet", "csv"):
        phases = results[kind]["full"]["phases"]
        fastest = min(phases, key=lambda p: sum(p[k] for k in steps))
        lines.append(
            f"Phases of the fastest full {kind} run: "
            + ", ".join(f"{k} {fastest[k] * 1000:.1f} ms" for k in steps)
            + f"; Python-object peak while scoring (tracemalloc) "
            f"{results[kind]['score']['python_peak_mb']:.1f} MB."
        )
    for kind in ("parquet", "csv"):
        # Inside scoring (fastest read + score run): plan = column statistics, reading
        # each distinct code once and building the expressions; pass = the one polars
        # pass (points, scales, levels, cut-offs, profile key); report = errors and
        # counts; profile = distinct keys, derive_inputs + classify, joining back.
        phases = results[kind]["score"]["phases"]
        fastest = min(phases, key=lambda p: p["read"] + p["score"])
        inner = [k for k in fastest if k.startswith("score.")]
        lines.append(
            f"Inside score ({kind}, fastest read + score run: read "
            f"{fastest['read'] * 1000:.1f} ms, score {fastest['score'] * 1000:.1f} ms): "
            + ", ".join(f"{k.split('.', 1)[1]} {fastest[k] * 1000:.1f} ms" for k in inner)
            + "."
        )
    targets = []
    for kind in ("parquet", "csv"):
        r = results[kind]
        ratio = best(r["score"]["times"]) / best(r["floor"]["times"])
        speedup = row_total / best(r["score"]["times"])
        floor_ok = "met" if ratio <= 1.5 else "NOT met"
        speed_ok = "met" if speedup >= 100 else "NOT met"
        targets.append(
            f"{kind}: {ratio:.2f}x the floor (target <= 1.5x: {floor_ok}), "
            f"{speedup:,.0f}x row by row (target >= 100x: {speed_ok})"
        )
    lines += ["", "Targets: " + "; ".join(targets) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help=f"runs per measurement (default {REPEAT})"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="score the files of the previous run (same --rows)"
    )
    parser.add_argument(
        "--only-process", action="store_true", help="measure only the whole processes"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        if kind == "floor":
            out = child_floor(path)
        elif kind == "score":
            out = child_score(path, write=False)
        elif kind == "full":
            out = child_score(path, write=True)
        else:
            out = child_row_by_row(path)
        print(json.dumps(out))
        return

    # Children read the repeat count from the environment (they are fresh processes).
    os.environ["VERBIND_BENCH_REPEAT"] = str(args.repeat)
    globals()["REPEAT"] = args.repeat
    paths = {"parquet": OUT / "survey.parquet", "csv": OUT / "survey.csv"}
    if not (args.reuse and all(p.exists() for p in paths.values())):
        print(f"Generating {args.rows:,} synthetic respondents ...", flush=True)
        paths = generate(args.rows)
    if args.only_process:
        before = load_average()
        processes = whole_process(paths, args.repeat)
        print(process_report(processes, (before, load_average())))
        return
    results: dict = {}
    for kind, path in paths.items():
        results[kind] = {}
        for step in ("floor", "score", "full"):
            print(f"  {kind}: {step} ...", flush=True)
            results[kind][step] = run_child(step, path)
    print("  row by row sample ...", flush=True)
    results["row_by_row"] = run_child("row_by_row", paths["parquet"])
    print("  whole processes ...", flush=True)
    before = load_average()
    processes = whole_process(paths, args.repeat)
    info = machine()
    text = report(args.rows, results, info)
    text += "\n\n" + process_report(processes, (before, load_average()))
    results["whole_process"] = processes
    (OUT / "results.json").write_text(json.dumps({"info": info, "results": results}, indent=1))
    (OUT / "report.md").write_text(text + "\n")
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
        print("\nWrote docs/benchmarks.md")


def write_docs(figures: str, docs: Path | None = None) -> None:
    """Replace the figures of the scoring section only; other sections (web load ...) stay."""
    docs = docs or ROOT / "docs" / "benchmarks.md"
    text = docs.read_text() if docs.exists() else "# Benchmarks\n"
    start, end = "<!-- figures -->", "<!-- /figures -->"
    before, _, rest = text.partition(start)
    if end in rest:
        after = rest.split(end, 1)[1]
    else:
        # Older layout: the figures ran to the next section or to the end of the file.
        cut = rest.find("\n## ")
        after = rest[cut:] if cut >= 0 else ""
    parts = [before.rstrip(), "", start, figures.strip(), end]
    if after.strip():
        parts += ["", after.strip()]
    docs.write_text("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
