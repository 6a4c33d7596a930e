"""Run every benchmark in turn (what ``make bench`` does); each writes or prints its own table.

Each script times tradecoop against its reference package on the same data in one run and
reports ratios; see docs/benchmarks.md for the recorded results and the exact commands. Pass
``--quick`` for the small smoke-test sizes where a script offers them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: (script, arguments) in order; the slow reference runs come last
BENCHMARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("estimation_error.py", ()),
    ("complexity_bench.py", ()),
    ("complexity_process_bench.py", ()),
    ("ecomplexity_diagonal.py", ()),
    ("gravity_bench.py", ()),
    ("import_baci.py", ()),
    ("api_load.py", ("--backend", "both")),
)
QUICK = {"estimation_error.py": ("--quick",), "complexity_bench.py": ("--quick",),
         "complexity_process_bench.py": ("--quick",), "import_baci.py": ("--rows", "1000000")}


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    failed = []
    for script, args in BENCHMARKS:
        extra = QUICK.get(script, ()) if quick else ()
        cmd = [sys.executable, str(HERE / script), *args, *extra]
        print(f"\n=== {' '.join(cmd[1:])}", flush=True)
        if subprocess.run(cmd, check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
