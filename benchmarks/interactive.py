"""Interactive latency of the ``tradecoop`` commands people type: each a fresh process.

What a user waits for is the whole process (start-up, imports, reading data, computing,
printing), so every command is timed from its start to its exit in a new interpreter, as it
is typed, against the targets of issue 16. Bytecode is compiled first (``compileall`` on
``src/``, as ``make`` does; the dependencies' bytecode comes with ``make``'s install), so no
run pays for compiling; one warm-up run of each command is not counted (it also lets the
registry and the data caches be created). Runs go round-robin (A B C ... A B C ...) so that a
machine whose speed drifts moves every command alike, and each figure is the median over the
runs. Wall and CPU seconds and peak RSS are the operating system's accounting of each
finished process (``os.wait4``; CPU includes the children it waited for, e.g. a PDF renderer).

The checkout may hold other people's unfinished changes: ``--ref HEAD`` measures a commit
instead (its ``src/`` exported with ``git archive`` to a temporary folder that ``PYTHONPATH``
puts before the editable install; same environment and data otherwise).

Run::

    .venv/bin/python benchmarks/interactive.py                  # every command, 5 runs each
    .venv/bin/python benchmarks/interactive.py --ref HEAD       # what is committed
    .venv/bin/python benchmarks/interactive.py --runs 3 --only help,backtest

The table is printed as Markdown (the columns of docs/benchmarks.md, "Interactive commands").
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _measure import run_process  # noqa: E402 - after the path setup

TRADECOOP = str(Path(sys.executable).with_name("tradecoop"))

#: key -> (command line after ``tradecoop``, target seconds); ``{out}`` is a temporary folder
COMMANDS: dict[str, tuple[list[str], float]] = {
    "profile": (["profile", "BLR", "RUS"], 1.5),
    "opportunities": (["opportunities", "BLR", "RUS", "--top", "5"], 1.5),
    "search": (["registry", "search", "Homselmash"], 1.5),
    "match": (["match", "Gomselmash", "--top", "5"], 1.5),
    "gravity": (["gravity", "potential", "BLR", "RUS"], 1.5),
    "brief": (["brief", "BLR", "RUS", "--out", "{out}"], 3.0),
    "brief-pdf": (["brief", "BLR", "RUS", "--pdf", "--out", "{out}"], 5.0),
    "help": (["--help"], 0.2),
    "backtest": (["backtest", "--dataset", "brics_hs6", "--start", "2015", "--end", "2024"], 3.0),
}


def _commit() -> str:
    """The checked-out commit, with '+changes' when tracked files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def export_src(ref: str, dest: Path) -> Path:
    """``src/`` of commit ``ref`` written under ``dest`` (bytecode compiled); returns dest/src."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "src"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    compileall.compile_dir(str(dest / "src"), quiet=1, workers=0)
    return dest / "src"


def measure(keys: list[str], runs: int, warmup: int, timeout: float,
            env: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """Round-robin runs of each command; {key: [run, ...]}."""
    rows: dict[str, list[dict]] = {k: [] for k in keys}
    with tempfile.TemporaryDirectory() as out:
        def cmd(key: str) -> list[str]:
            return [TRADECOOP, *(a.replace("{out}", out) for a in COMMANDS[key][0])]

        for _ in range(warmup):
            for key in keys:
                run_process(cmd(key), timeout=timeout, cwd=out, env=env)
        for _ in range(runs):
            for key in keys:
                rows[key].append(run_process(cmd(key), timeout=timeout, cwd=out, env=env))
    return rows


def table(rows: dict[str, list[dict]]) -> list[str]:
    """Markdown rows: command, target, runs, median wall (min-max), CPU, peak, met."""
    lines = ["| command | target s | runs | wall s median (min-max) | CPU s | peak MiB | met |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for key, runs in rows.items():
        words, target = COMMANDS[key]
        shown = " ".join("OUT" if w == "{out}" else w for w in words)
        walls = [r["wall_s"] for r in runs]
        wall = statistics.median(walls)
        cpu = statistics.median(r["cpu_s"] for r in runs)
        peak = statistics.median(r["peak_mib"] for r in runs)
        lines.append(f"| `tradecoop {shown}` | {target:g} | {len(runs)} | {wall:.2f} ({min(walls):.2f}-"
                     f"{max(walls):.2f}) | {cpu:.2f} | {peak:,.0f} | {'yes' if wall <= target else '**no**'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs of each first (default 1)")
    parser.add_argument("--only", default="", help=f"comma list of commands (default all: {','.join(COMMANDS)})")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per process")
    parser.add_argument("--ref", default="", help="measure this commit (e.g. HEAD) instead of the checkout")
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    args = parser.parse_args()
    keys = [k for k in args.only.split(",") if k] or list(COMMANDS)
    unknown = sorted(set(keys) - set(COMMANDS))
    if unknown:
        parser.error(f"unknown command(s) {unknown}; known: {', '.join(COMMANDS)}")
    with tempfile.TemporaryDirectory() as tree:
        env, what = None, f"checkout at {_commit()}"
        if args.ref:
            src = export_src(args.ref, Path(tree))
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(
                [str(src), *filter(None, [os.environ.get("PYTHONPATH")])])}
            sha = subprocess.run(["git", "rev-parse", "--short", args.ref], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.strip()
            what = f"commit {sha} ({args.ref})"
        else:
            compileall.compile_dir(str(ROOT / "src"), quiet=1, workers=0)
        load = os.getloadavg()
        print(f"# interactive commands, fresh processes; {what}; {os.cpu_count()} CPUs; "
              f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        rows = measure(keys, args.runs, args.warmup, args.timeout, env)
    print("\n".join(table(rows)))
    load = os.getloadavg()
    print(f"# load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
