"""Thread policy of every command, set in one place: ``tradecoop.cli.main.run`` calls
:func:`set_compute_threads` before any command imports numpy (docs/complexity.md, "Threads").

A command's work comes in phases that do not overlap: DuckDB reads and aggregates the input
(its own thread pool, ``TRADECOOP_DUCKDB_THREADS``, default min(4, CPUs), set by the store),
then numpy computes, while Arrow encodes the previous year's output on one writer thread. So
BLAS gets **one** thread: its matrix products are small (230 x 5,000 at HS6), a second OpenBLAS
thread spins against the writer thread and against other processes on a 2-core machine, and it
was not faster even alone (measured: benchmarks/complexity_process_bench.py, docs/benchmarks.md).
The brief showed it worst: with OpenBLAS's default two threads one 224 x 224 ``eigh`` (the world
matrix's ECI) took 0.63-0.73 s inside ``tradecoop brief`` instead of 0.004 s, the second thread
spinning against pyarrow's and the process's own work.

This module imports nothing heavy: it must run before numpy is imported, because OpenBLAS
reads its thread count once, when it is loaded.
"""

from __future__ import annotations

import os
import sys

#: BLAS threads for the computing commands (a user's own OPENBLAS_NUM_THREADS etc. wins)
BLAS_THREADS = 1
#: the variables the BLAS builds numpy and scipy ship with read at load time
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def set_compute_threads(blas_threads: int = BLAS_THREADS) -> bool:
    """Give BLAS ``blas_threads`` threads unless the user chose (an environment variable is set).

    Returns False, changing nothing, when numpy is already imported (BLAS has read its setting;
    e.g. inside a test run or a user's program, whose choice it is).
    """
    if "numpy" in sys.modules:
        return False
    for variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, str(blas_threads))
    return True
