"""Throughput and memory of `tradecoop news`: extraction alone and ingest into the review queue.

    .venv/bin/python benchmarks/news_throughput.py [--articles 1000] [--workers 2]

Builds N distinct articles from the evaluation corpus (tests/fixtures/news/corpus): each is three
corpus texts in a shuffled order plus a numbered sentence, so no two are duplicates (~1,000
characters, like a short news item). Measures, in fresh processes:

* extraction alone, one process and ``--workers`` processes (the issue's "2 cores");
* ``ingest`` of a JSONL file of the N articles into a new SQLite registry (language id,
  duplicate checks, extraction, storage), one process;

and prints articles per second and the peak resident memory (``ru_maxrss``) of each process
(the model loads included). The targets: >= 5 articles/s on 2 cores, < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "news" / "corpus"


def articles(n: int, seed: int = 14) -> list[dict]:
    texts = [p.read_text(encoding="utf-8").strip() for p in sorted(CORPUS.glob("*.txt"))]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts = rng.sample(texts, 3)
        out.append({"url": f"https://bench.example.org/{i}", "title": f"article {i}",
                    "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "text": " ".join(parts) + f" Материал номер {i}."})
    return out


def _worker(path: str, start: int, step: int) -> None:
    from tradecoop.news.extract import extract

    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    t, c = time.perf_counter(), time.process_time()
    n = 0
    for row in rows[start::step]:
        extract(row["text"], published=row["published"])
        n += 1
    print(json.dumps({"n": n, "seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _ingest(path: str, db: str) -> None:
    from tradecoop.news.ingest import ingest
    from tradecoop.registry.db import make_engine, migrate, session_factory

    url = f"sqlite:///{db}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        from tradecoop.news.extract import extract

        extract("Прогрев: Минск.", lang="ru")  # models loaded before the clock starts
        t, c = time.perf_counter(), time.process_time()
        report = ingest(s, [Path(path)])
        seconds, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({"n": report.added, "facts": report.facts, "seconds": seconds, "cpu": cpu,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _run(args: list[str]) -> list[dict]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--_worker", nargs=3)
    ap.add_argument("--_ingest", nargs=2)
    a = ap.parse_args()
    if a._worker:
        _worker(a._worker[0], int(a._worker[1]), int(a._worker[2]))
        return
    if a._ingest:
        _ingest(*a._ingest)
        return
    tmp = Path(tempfile.mkdtemp(prefix="news_bench_"))
    data = tmp / "articles.jsonl"
    rows = articles(a.articles)
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    chars = sum(len(r["text"]) for r in rows) / len(rows)
    print(f"{len(rows)} articles, {chars:.0f} characters on average")

    (one,) = _run(["--_worker", str(data), "0", "1"])
    print(f"extract, 1 process: {one['n'] / one['seconds']:.1f} articles/s "
          f"({one['n'] / one['cpu']:.1f} per CPU second), peak {one['maxrss_mb']:.0f} MB")

    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--_worker", str(data), str(k), str(a.workers)],
                              stdout=subprocess.PIPE, text=True) for k in range(a.workers)]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    wall = time.perf_counter() - t  # includes each process's start and model load
    busy = max(r["seconds"] for r in results)
    peak = max(r["maxrss_mb"] for r in results)
    print(f"extract, {a.workers} processes: {len(rows) / busy:.1f} articles/s after loading "
          f"({len(rows) / wall:.1f}/s including start-up), peak {peak:.0f} MB per process")

    (ing,) = _run(["--_ingest", str(data), str(tmp / "registry.db")])
    print(f"ingest (1 process, SQLite): {ing['n']} documents, {ing['facts']} facts, "
          f"{ing['n'] / ing['seconds']:.1f} articles/s ({ing['n'] / ing['cpu']:.1f} per CPU second), "
          f"peak {ing['maxrss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
