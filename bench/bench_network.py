"""Benchmark of ``verbind network measures``: 100,000 maps of 15 people each.

Run with ``python bench/bench_network.py [--maps N] [--repeat R] [--write-docs]``.

It writes a synthetic MAPS file (deterministic: the same seed gives the same file, no real
people) to bench/out/, then runs the command as a subprocess, the whole process timed
from start to exit, as a researcher would run it. It reports per run the wall time, the
CPU time of the process and its peak memory (max RSS), and the load of the machine, with
a floor: a bare Python process that only decodes every JSON line.

Target: 100,000 maps of 15 people within 10 s, whole process. ``--write-docs`` rewrites the
figures in docs/benchmarks.md (between the ``<!-- network -->`` markers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_S = 10.0
SEED = 2026
PEOPLE = 15

RELATIONS = ["partner", "family", "friend", "neighbour", "colleague", "acquaintance",
             "professional", "online", "other"]  # fmt: skip
FREQUENCIES = ["daily", "weekly", "monthly", "few_times_year", "yearly_or_less"]
WANTS = ["more", "same", "less"]


def generate(path: Path, maps: int, people: int = PEOPLE, seed: int = SEED) -> None:
    """``maps`` maps of ``people`` people each; about one tie per person."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    pairs = [(i, j) for i in range(people) for j in range(i + 1, people)]
    with open(path, "w", encoding="utf-8") as fh:
        for m in range(maps):
            alters = [
                {
                    "id": f"a{i}",
                    "circle": rng.randint(1, 3),
                    "relation": rng.choice(RELATIONS),
                    "frequency": rng.choice(FREQUENCIES),
                    "meaningful": rng.random() < 0.4,
                    "wants": rng.choice(WANTS),
                }
                for i in range(people)
            ]
            ties = sorted(rng.sample(pairs, rng.randint(0, 2 * people)))
            line = {
                "ego": f"p{m:07d}",
                "wave": 1 + m % 2,
                "alters": alters,
                "ties": [[f"a{i}", f"a{j}"] for i, j in ties],
            }
            fh.write(json.dumps(line) + "\n")


FLOOR = """
import json, sys
with open(sys.argv[1], "rb") as fh:
    n = sum(1 for line in fh if json.loads(line))
"""


def timed(cmd: list[str]) -> dict:
    """Wall and CPU time and peak RSS of one child process (its own rusage, from wait4)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    load = os.getloadavg()[0]
    with open(OUT / "child.log", "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{(OUT / 'child.log').read_text()}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "load": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    maps = OUT / f"maps-{args.maps}.jsonl"
    start = time.perf_counter()
    generate(maps, args.maps)
    print(f"generated {maps} ({maps.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    output = OUT / "measures.csv"
    command = [sys.executable, "-m", "verbind", "network", "measures", str(maps), "-o", str(output)]
    runs, floors = [], []
    for _ in range(args.repeat):
        floors.append(timed([sys.executable, "-c", FLOOR, str(maps)]))
        runs.append(timed(command))
        with open(output, encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
        if rows != args.maps:
            raise SystemExit(f"expected {args.maps} rows in {output}, found {rows}")
        print(f"measures: {runs[-1]['wall']:.2f} s wall, {runs[-1]['cpu']:.2f} s CPU, "
              f"{runs[-1]['rss_mb']:.0f} MB; floor (json only): {floors[-1]['wall']:.2f} s "
              f"wall, {floors[-1]['cpu']:.2f} s CPU; load {runs[-1]['load']:.1f}")  # fmt: skip
    report = render(args.maps, runs, floors)
    print(report)
    if args.write_docs:
        write_docs(report)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return "memory unknown"
    return f"{kib / 1024**2:.1f} GiB RAM"


def render(maps: int, runs: list[dict], floors: list[dict]) -> str:
    best = min(runs, key=lambda r: r["wall"])
    floor = min(floors, key=lambda r: r["wall"])
    median = statistics.median(r["wall"] for r in runs)
    met = "met" if best["wall"] <= TARGET_S else "NOT met"
    cpus = os.cpu_count()
    return "\n".join(
        [
            f"Maps: {maps:,} of {PEOPLE} people each (seed {SEED}); "
            f"`verbind network measures`, whole process",
            f"Machine: {cpus} CPUs, {cpu_model()}, {memory_gib()}; "
            f"Python {platform.python_version()}",
            f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average during the "
            f"runs {min(r['load'] for r in runs):.1f}-{max(r['load'] for r in runs):.1f} "
            f"(shared machine: these figures are an upper bound)",
            "",
            "| | best wall | median wall | CPU (best run) | peak RSS |",
            "|---|---|---|---|---|",
            f"| measures | {best['wall']:.2f} s | {median:.2f} s | {best['cpu']:.2f} s | "
            f"{best['rss_mb']:.0f} MB |",
            f"| floor: decode the JSON only | {floor['wall']:.2f} s | "
            f"{statistics.median(r['wall'] for r in floors):.2f} s | {floor['cpu']:.2f} s | "
            f"{floor['rss_mb']:.0f} MB |",
            "",
            f"Target: {maps:,} maps within {TARGET_S:.0f} s: {met} ({best['wall']:.2f} s).",
        ]
    )


def write_docs(report: str) -> None:
    docs = ROOT / "docs" / "benchmarks.md"
    text = docs.read_text(encoding="utf-8")
    start, end = "<!-- network -->", "<!-- /network -->"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    docs.write_text(f"{before}{start}\n{report}\n{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
