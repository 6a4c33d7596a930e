"""Whole-process benchmark of ``tradecoop complexity``: paired runs against the references.

What users run is a process: start-up, imports, reading the file, the computation and writing
the long table all count. Every implementation gets the same generated Parquet file (the seeded
BACI-like world of ``complexity_bench.generate``) and writes the same long table (one row per
year x location x product) to Parquet:

- ``tradecoop``: ``tradecoop complexity --input IN --format parquet --out OUT``;
- ``floor``: ``benchmarks/complexity_floor.py`` (Arrow in, tradecoop's numpy kernels, Arrow out,
  no checks, no pandas: the least a process can do for the job);
- ``economic-complexity`` and ``ecomplexity``: ``benchmarks/complexity_refs.py``.

Runs are paired, A B A B ..., each after one warm-up of both, and each comparison is the median
of the per-pair ratios, so that a machine whose speed drifts (shared, loaded) moves both sides
of a pair together. Wall and CPU seconds and peak RSS are the operating system's accounting of
each finished process (``os.wait4``). The data are generated in a separate process, so that
this one stays small: Linux carries a parent's peak RSS at fork into the child's ``ru_maxrss``.

Run::

    .venv/bin/python benchmarks/complexity_process_bench.py            # HS6 1 and 10 years, HS4
    .venv/bin/python benchmarks/complexity_process_bench.py --quick    # small sizes, smoke test
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run_process  # noqa: E402

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TRADECOOP = str(Path(PYTHON).with_name("tradecoop"))

#: case -> (locations, products, years, [(reference, runs) ...]); tradecoop is always side A
CASES = {
    "HS6 1 year": (230, 5000, 1, [("floor", 5), ("economic-complexity", 3), ("ecomplexity", 2)]),
    "HS6 10 years": (230, 5000, 10, [("floor", 3)]),
    "HS4 1 year": (230, 1240, 1, [("floor", 5), ("economic-complexity", 3)]),
}
QUICK_CASES = {
    "quick 1 year": (60, 800, 1, [("floor", 2), ("economic-complexity", 1), ("ecomplexity", 1)]),
    "quick 3 years": (60, 800, 3, [("floor", 2)]),
}


def command(name: str, src: Path, dst: Path) -> list[str]:
    if name == "tradecoop":
        return [TRADECOOP, "complexity", "--input", str(src), "--format", "parquet", "--out", str(dst)]
    if name == "floor":
        return [PYTHON, str(HERE / "complexity_floor.py"), str(src), str(dst)]
    return [PYTHON, str(HERE / "complexity_refs.py"), name, str(src), str(dst)]


def run_once(cmd: list[str], timeout: float) -> dict:
    """Wall, CPU (user + sys) seconds and peak RSS (MiB) of one finished process."""
    return run_process(cmd, timeout=timeout)


def paired(a: list[str], b: list[str], runs: int, timeout: float) -> dict:
    """A B A B ... after one warm-up of each; medians and the median per-pair ratio A/B."""
    run_once(a, timeout)
    run_once(b, timeout)
    rows_a, rows_b = [], []
    for _ in range(runs):
        rows_a.append(run_once(a, timeout))
        rows_b.append(run_once(b, timeout))

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    return {
        "runs": runs,
        "a": {k: med(rows_a, k) for k in ("wall_s", "cpu_s", "peak_mib")},
        "b": {k: med(rows_b, k) for k in ("wall_s", "cpu_s", "peak_mib")},
        "wall_ratio": statistics.median(x["wall_s"] / y["wall_s"] for x, y in zip(rows_a, rows_b, strict=True)),
        "cpu_ratio": statistics.median(x["cpu_s"] / y["cpu_s"] for x, y in zip(rows_a, rows_b, strict=True)),
        "wall_min_max_a": (min(r["wall_s"] for r in rows_a), max(r["wall_s"] for r in rows_a)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--only", default="", help="comma list of references to run (default all)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per process")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    only = {s for s in args.only.split(",") if s}
    cases = QUICK_CASES if args.quick else CASES
    load = os.getloadavg()
    print(f"# whole-process complexity, paired runs; {os.cpu_count()} CPUs; load average before "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    print("| data | tradecoop vs | pairs | tradecoop wall s (min-max) | CPU s | peak MiB "
          "| other wall s | CPU s | peak MiB | wall ratio tradecoop/other | CPU ratio |", flush=True)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for case, (nc, np_, years, refs) in cases.items():
            src = tmp / f"{case.replace(' ', '_')}.parquet"
            make = (f"import sys; sys.path.insert(0, {str(HERE)!r}); from complexity_bench import generate; "
                    f"generate({nc}, {np_}, {years}).to_parquet({str(src)!r}, index=False)")
            subprocess.run([PYTHON, "-c", make], check=True)
            for ref, runs in refs:
                if only and ref not in only:
                    continue
                res = paired(command("tradecoop", src, tmp / "a.parquet"),
                             command(ref, src, tmp / "b.parquet"), runs, args.timeout)
                res.update(case=case, reference=ref)
                results.append(res)
                a, b = res["a"], res["b"]
                lo, hi = res["wall_min_max_a"]
                print(f"| {case} | {ref} | {runs} | {a['wall_s']:.2f} ({lo:.2f}-{hi:.2f}) | "
                      f"{a['cpu_s']:.2f} | {a['peak_mib']:.0f} | {b['wall_s']:.2f} | {b['cpu_s']:.2f} | "
                      f"{b['peak_mib']:.0f} | {res['wall_ratio']:.3f} | {res['cpu_ratio']:.3f} |", flush=True)
    load = os.getloadavg()
    print(f"# load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
