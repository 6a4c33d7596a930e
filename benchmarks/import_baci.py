"""Benchmark: import a synthetic BACI file with tradecoop vs a plain pandas baseline.

Generates a synthetic BACI-format file (default 10 million rows, one year, 230 countries x
5,000 HS17 products, :mod:`tradecoop.data.synthetic`), then in one run and on the same file:

1. ``tradecoop data import baci`` (in-process call of the importer: DuckDB streaming read,
   validation queries, code mapping, thousand USD -> USD, zstd Parquet);
2. baseline: ``pandas.read_csv`` + ``DataFrame.to_parquet`` (no validation, no mapping).

Each runs in its own subprocess; we report wall time, rows/s, peak RSS and the ratios, and write
the table into ``docs/benchmarks.md`` under ``## Import``.

Run: ``.venv/bin/python benchmarks/import_baci.py [--rows 10000000] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._measure import measure  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tradecoop-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "baci"
    t0 = time.perf_counter()
    from tradecoop.data.synthetic import generate_baci

    if not any(src.glob("BACI_*.csv")):
        generate_baci(src, years=(2022,), target_rows=args.rows, seed=0)
    data = next(src.glob("BACI_*.csv"))
    size_mb = data.stat().st_size / 2**20
    print(f"synthetic file {data.name}: {args.rows:,} rows, {size_mb:,.0f} MiB "
          f"(generated in {time.perf_counter() - t0:.0f} s)", flush=True)

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    load_before = os.getloadavg()[0]
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    ours = measure(
        "from tradecoop.data.sources import import_files",
        f"RESULT = import_files('baci', [{str(data)!r}], store={str(store)!r}, name='bench')"
        ".info.rows",
        env=env,
    )
    print(f"tradecoop: {ours}", flush=True)
    base = measure(
        "import pandas as pd",
        f"df = pd.read_csv({str(data)!r}, dtype={{'k': str}})\n"
        f"df.to_parquet({str(work / 'baseline.parquet')!r})\n"
        "RESULT = len(df)",
        env=env,
    )
    print(f"pandas:    {base}", flush=True)
    load_after = os.getloadavg()[0]
    rows = args.rows
    table = [
        "| method | rows | wall time (s) | rows/s | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|",
        f"| `tradecoop data import baci` (validate, map codes, USD, zstd Parquet) | {ours['result']:,} "
        f"| {ours['wall_s']:.1f} | {rows / ours['wall_s']:,.0f} | {ours['peak_rss_mib']:,.0f} |",
        f"| `pandas.read_csv` + `to_parquet` (no checks) | {base['result']:,} | {base['wall_s']:.1f} "
        f"| {rows / base['wall_s']:,.0f} | {base['peak_rss_mib']:,.0f} |",
        "",
        f"Ratio tradecoop / pandas: wall time x{ours['wall_s'] / base['wall_s']:.2f}, "
        f"peak memory x{ours['peak_rss_mib'] / base['peak_rss_mib']:.2f}.",
    ]
    print("\n".join(table))
    if args.no_doc:
        return
    from tradecoop.data.store import DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS

    section = "\n".join([
        "## Import",
        "",
        f"Synthetic BACI file (`tradecoop.data.synthetic.generate_baci`, seed 0): {rows:,} rows, "
        f"{size_mb:,.0f} MiB CSV, one year, 230 countries x 5,000 HS17 products. Each method in "
        "its own subprocess, same file, one run; peak RSS = `VmHWM` of that process. "
        f"DuckDB `memory_limit={DUCKDB_MEMORY_LIMIT}`, `threads={DUCKDB_THREADS}`. Machine: "
        f"{platform.machine()}, {os.cpu_count()} CPUs shared with other jobs (1-minute load average "
        f"{load_before:.1f} before, {load_after:.1f} after: timings are noisy), "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
        *table,
        "",
        "Command: `.venv/bin/python benchmarks/import_baci.py --rows "
        f"{rows}`. The baseline does no validation or code mapping; tradecoop's "
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
