"""Time a piece of Python code and measure its peak memory in a fresh subprocess.

Each measurement runs in its own interpreter, so peak RSS (``VmHWM`` of that process from
``/proc/self/status``, including DuckDB's threads) belongs to that code alone. (``ru_maxrss`` is
not used on Linux: a forked child inherits its parent's high-water mark.) ``setup`` runs first and is not timed
(imports, paths); ``code`` is timed with ``time.perf_counter``.

Example::

    from benchmarks._measure import measure
    measure("import pandas as pd", "pd.read_csv('x.csv').to_parquet('x.parquet')")
    # {'wall_s': 3.2, 'peak_rss_mib': 812.4, 'result': None}
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

_TEMPLATE = """
import json, resource, time
{setup}
_t0 = time.perf_counter()
{code}
_wall = time.perf_counter() - _t0
try:  # VmHWM: peak RSS of this program's memory map (ru_maxrss would include the parent's
    # peak, inherited through fork before exec)
    _peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024
except OSError:
    _peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
print("__MEASURE__" + json.dumps({{"wall_s": _wall, "peak_rss_mib": _peak,
                                   "result": globals().get("RESULT")}}, default=str))
"""


def measure(setup: str, code: str, *, env: dict[str, str] | None = None,
            timeout: float | None = None) -> dict:
    """Run ``setup`` then time ``code`` in a new Python process; returns wall_s, peak_rss_mib, result.

    ``code`` may assign ``RESULT`` (anything JSON-serialisable) to pass a value back.
    """
    script = _TEMPLATE.format(setup=textwrap.dedent(setup), code=textwrap.dedent(code))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"measured code failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("__MEASURE__"))
    return json.loads(line[len("__MEASURE__"):])


def run_process(cmd: list[str], *, timeout: float = 600.0, env: dict[str, str] | None = None,
                cwd: str | None = None) -> dict:
    """Run ``cmd`` to its end; wall and CPU (user + sys) seconds and peak RSS (MiB) of the process.

    CPU and peak memory are the operating system's accounting of the finished child and the
    children it waited for (``os.wait4``); wall is a monotonic clock around start and reaping.
    Output is discarded except the tail of stderr, kept for a failure's message.
    """
    import os
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=cwd)
    deadline = start + timeout
    err = b""
    os.set_blocking(proc.stderr.fileno(), False)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        chunk = proc.stderr.read()
        if chunk:
            err = (err + chunk)[-8000:]
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise TimeoutError(f"{cmd[:3]} ran past {timeout:.0f} s")
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{err.decode(errors='replace')[-2000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}
