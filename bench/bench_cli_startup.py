"""Start-up time of the command line, as whole processes.

Run with ``python bench/bench_cli_startup.py [--runs N] [--write-docs]``.

Compares ``verbind --help``, ``verbind score --help`` and ``verbind test --help`` with the
``--help`` of a bare two-command typer app (generated in a temporary folder), the least any
typer command line costs on this machine. Both are started the way the ``verbind`` console
script starts: a small script that imports ``app`` and calls it, with the same Python.

With hyperfine installed it does the timing (warm-up 3); otherwise each command runs N times
in turn (interleaved, so a busy moment on the machine hits all of them) and the best and
median are reported. Target: ``verbind --help`` within 1.5x of the bare app's ``--help``.
``--write-docs`` rewrites the start-up section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5

BARE_APP = '''"""A bare two-command typer app: the floor of any typer command line."""

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def hello(name: str, loud: bool = False) -> None:
    """Say hello."""
    print(f"Hello {name}")


@app.command()
def count(n: int = 3) -> None:
    """Count to N."""
    print(*range(1, n + 1))
'''

# What a console script does (pip writes the same few lines for ``verbind``).
LAUNCHER = "import sys\nfrom {module} import app\nsys.exit(app())\n"


def commands(tmp: Path) -> dict[str, list[str]]:
    (tmp / "bare_app.py").write_text(BARE_APP)
    (tmp / "bare").write_text(LAUNCHER.format(module="bare_app"))
    (tmp / "verbind").write_text(LAUNCHER.format(module="verbind.cli.main"))
    py = sys.executable
    return {
        "bare typer app --help": [py, str(tmp / "bare"), "--help"],
        "bare typer app hello --help": [py, str(tmp / "bare"), "hello", "--help"],
        "verbind --help": [py, str(tmp / "verbind"), "--help"],
        "verbind score --help": [py, str(tmp / "verbind"), "score", "--help"],
        "verbind test --help": [py, str(tmp / "verbind"), "test", "--help"],
    }


def environment(tmp: Path) -> dict[str, str]:
    # verbind from this checkout; the bare app from the temporary folder.
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{tmp}", "COLUMNS": "100"}


def time_with_subprocess(cmds: dict[str, list[str]], env: dict, runs: int) -> dict:
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd in cmds.values():  # warm the file cache once
        subprocess.run(cmd, env=env, capture_output=True, check=True)
    for _ in range(runs):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    return times


def time_with_hyperfine(cmds: dict[str, list[str]], env: dict, runs: int, tmp: Path) -> dict:
    out = tmp / "hyperfine.json"
    args = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out)]
    for name, cmd in cmds.items():
        args += ["--command-name", name, " ".join(cmd)]
    subprocess.run(args, env=env, capture_output=True, check=True)
    results = json.loads(out.read_text())["results"]
    return {r["command"]: r["times"] for r in results}


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def report(times: dict[str, list[float]], tool: str, runs: int, load: tuple[str, str]) -> str:
    bare = "bare typer app --help"
    floor = min(times[bare])
    floor_median = statistics.median(times[bare])
    lines = [
        f"Machine: {os.cpu_count()} CPUs, {platform.platform()}; "
        f"Python {platform.python_version()}",
        f"Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; "
        f"load average (1, 5, 15 min) before {load[0]}, after {load[1]}",
        f"Timings: {tool}, {runs} runs each, interleaved; best (median in brackets).",
        "",
        "| command | best | median | best / bare | median / bare |",
        "|---|---|---|---|---|",
    ]
    for name, ts in times.items():
        best, median = min(ts), statistics.median(ts)
        lines.append(
            f"| `{name}` | {best * 1000:.0f} ms | {median * 1000:.0f} ms "
            f"| {best / floor:.2f}x | {median / floor_median:.2f}x |"
        )
    ratio = min(times["verbind --help"]) / floor
    verdict = "met" if ratio <= TARGET else "NOT met"
    sub = min(times["bare typer app hello --help"])
    lines += [
        "",
        f"Target: `verbind --help` {ratio:.2f}x the bare app (<= {TARGET}x: {verdict}).",
        "A sub-command's help costs more in any typer app (typer reads the parameters with "
        f"pydantic): against the bare app's `hello --help`, `verbind score --help` is "
        f"{min(times['verbind score --help']) / sub:.2f}x and `verbind test --help` "
        f"{min(times['verbind test --help']) / sub:.2f}x.",
    ]
    return "\n".join(lines)


def write_docs(figures: str, docs: Path | None = None) -> None:
    """Replace the figures between the start-up markers; the rest of the file stays."""
    docs = docs or ROOT / "docs" / "benchmarks.md"
    text = docs.read_text()
    start, end = "<!-- cli-startup -->", "<!-- /cli-startup -->"
    if start not in text:
        raise SystemExit(f"{docs}: no {start} marker")
    before, _, rest = text.partition(start)
    after = rest.split(end, 1)[1]
    docs.write_text(f"{before}{start}\n{figures.strip()}\n{end}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--no-hyperfine", action="store_true", help="time with subprocess")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="verbind-startup-") as name:
        tmp = Path(name)
        cmds = commands(tmp)
        env = environment(tmp)
        before = load_average()
        if shutil.which("hyperfine") and not args.no_hyperfine:
            tool = "hyperfine"
            times = time_with_hyperfine(cmds, env, args.runs, tmp)
        else:
            tool = "subprocess.run"
            times = time_with_subprocess(cmds, env, args.runs)
        text = report(times, tool, args.runs, (before, load_average()))
    print(text)
    if args.write_docs:
        write_docs(text)
        print("\nWrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
