"""Benchmark: import a synthetic BACI file with tradecoop vs a plain pandas baseline.

Generates a synthetic BACI-format file (default 5 million rows, one year, 230 countries x
5,000 HS17 products, :mod:`tradecoop.data.synthetic`), then, on the same file, in paired runs
(``--repeat`` pairs, the order alternating so that neither side always runs first):

1. ``tradecoop data import baci`` (in-process call of the importer: every check of the text path,
   code mapping, thousand USD -> USD, zstd Parquet);
2. baseline: ``pandas.read_csv`` + ``DataFrame.to_parquet`` (no validation, no mapping).

Each run is its own subprocess; we report wall time, CPU time (user + system, all threads), peak
RSS and, per pair, the ratios tradecoop / pandas (the median over pairs is the figure: the
machine is shared, so single runs are noisy). The table goes into ``docs/benchmarks.md`` under
``## Import``.

Run: ``.venv/bin/python benchmarks/import_baci.py [--rows 5000000] [--repeat 5] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._measure import measure  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"


_CPU = ("import resource as _r\n"
        "_u = _r.getrusage(_r.RUSAGE_SELF)\n"
        "_c0 = _u.ru_utime + _u.ru_stime\n")
_CPU_END = ("_u = _r.getrusage(_r.RUSAGE_SELF)\n"
            "RESULT = {'rows': _rows, 'cpu_s': _u.ru_utime + _u.ru_stime - _c0}\n")


def _ours(data: Path, store: Path, env: dict) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    out = measure(
        "from tradecoop.data.sources import import_files",
        _CPU + f"_rows = import_files('baci', [{str(data)!r}], store={str(store)!r}, "
        "name='bench').info.rows\n" + _CPU_END,
        env=env,
    )
    shutil.rmtree(store, ignore_errors=True)
    return out


def _pandas(data: Path, target: Path, env: dict) -> dict:
    return measure(
        "import pandas as pd",
        _CPU + f"df = pd.read_csv({str(data)!r}, dtype={{'k': str}})\n"
        f"df.to_parquet({str(target)!r})\n_rows = len(df)\n" + _CPU_END,
        env=env,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="paired runs (default 5)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tradecoop-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "baci"
    t0 = time.perf_counter()
    from tradecoop.data.synthetic import generate_baci

    data = next(iter(sorted(src.glob("BACI_*.csv"))), None)
    if data is None or sum(1 for _ in data.open("rb")) - 1 != args.rows:
        shutil.rmtree(src, ignore_errors=True)
        generate_baci(src, years=(2022,), target_rows=args.rows, seed=0)
        data = next(src.glob("BACI_*.csv"))
    size_mb = data.stat().st_size / 2**20
    print(f"synthetic file {data.name}: {args.rows:,} rows, {size_mb:,.0f} MiB "
          f"(ready in {time.perf_counter() - t0:.0f} s)", flush=True)

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    loads = [os.getloadavg()[0]]
    pairs = []
    for n in range(args.repeat):
        if n % 2 == 0:
            ours, base = _ours(data, work / "store", env), _pandas(data, work / "b.parquet", env)
        else:
            base, ours = _pandas(data, work / "b.parquet", env), _ours(data, work / "store", env)
        loads.append(os.getloadavg()[0])
        assert ours["result"]["rows"] == base["result"]["rows"] == args.rows
        pairs.append((ours, base))
        print(f"pair {n + 1}: tradecoop {ours['wall_s']:.2f} s, {ours['result']['cpu_s']:.2f} s "
              f"CPU, {ours['peak_rss_mib']:,.0f} MiB | pandas {base['wall_s']:.2f} s, "
              f"{base['result']['cpu_s']:.2f} s CPU, {base['peak_rss_mib']:,.0f} MiB | load "
              f"{loads[-1]:.1f}", flush=True)

    def med(side: int, key: str) -> float:
        return statistics.median(
            p[side]["result"]["cpu_s"] if key == "cpu_s" else p[side][key] for p in pairs)

    def ratio(key: str) -> float:
        return statistics.median(
            (p[0]["result"]["cpu_s"] / p[1]["result"]["cpu_s"]) if key == "cpu_s"
            else p[0][key] / p[1][key] for p in pairs)

    def per_pair(key: str) -> str:
        return ", ".join(f"{p[0][key] / p[1][key]:.2f}" for p in pairs)

    rows = args.rows
    table = [
        "| method | rows | wall time (s) | CPU time (s) | rows/s | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `tradecoop data import baci` (every check, map codes, USD, zstd Parquet) | {rows:,} "
        f"| {med(0, 'wall_s'):.2f} | {med(0, 'cpu_s'):.2f} | {rows / med(0, 'wall_s'):,.0f} "
        f"| {med(0, 'peak_rss_mib'):,.0f} |",
        f"| `pandas.read_csv` + `to_parquet` (no checks) | {rows:,} | {med(1, 'wall_s'):.2f} "
        f"| {med(1, 'cpu_s'):.2f} | {rows / med(1, 'wall_s'):,.0f} "
        f"| {med(1, 'peak_rss_mib'):,.0f} |",
        "",
        f"Ratio tradecoop / pandas, median of the {len(pairs)} pairs: wall time "
        f"x{ratio('wall_s'):.2f} (per pair: {per_pair('wall_s')}), CPU time x{ratio('cpu_s'):.2f}, "
        f"peak memory x{ratio('peak_rss_mib'):.2f} (per pair: {per_pair('peak_rss_mib')}).",
    ]
    print("\n".join(table))
    if args.no_doc:
        return
    from tradecoop.data.store import duckdb_settings

    duckdb = duckdb_settings()
    section = "\n".join([
        "## Import",
        "",
        f"Synthetic BACI file (`tradecoop.data.synthetic.generate_baci`, seed 0): {rows:,} rows, "
        f"{size_mb:,.0f} MiB CSV, one year, 230 countries x 5,000 HS17 products. Each method in "
        f"its own subprocess, same file, {len(pairs)} paired runs (order alternating); medians; "
        "CPU time = user + system of all threads; peak RSS = `VmHWM` of that process. "
        f"DuckDB `memory_limit={duckdb['memory_limit']}`, `threads={duckdb['threads']}`. Machine: "
        f"{platform.machine()}, {os.cpu_count()} CPUs shared with other jobs (1-minute load average "
        f"{min(loads):.1f}-{max(loads):.1f} during the runs: wall times are noisy, CPU times less), "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
        *table,
        "",
        "Command: `.venv/bin/python benchmarks/import_baci.py --rows "
        f"{rows} --repeat {len(pairs)}`. The baseline does no validation or code mapping; tradecoop's "
        "import also checks every value, key and code, maps codes to ISO alpha-3, converts thousand "
        "USD to USD "
        "and writes zstd Parquet.",
        "",
    ])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    if "## Import" in text:
        text = re.sub(r"## Import\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"updated {DOC}")


if __name__ == "__main__":
    main()
