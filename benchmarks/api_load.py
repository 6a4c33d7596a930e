"""Load benchmark of the REST API: ``tradecoop serve`` on 127.0.0.1 over 10,000 generated
enterprises, on SQLite and on PostgreSQL.

A bounded load generator (httpx async, ``--clients`` concurrent clients, a fixed number of
requests per endpoint and a time cap) measures p50/p95 latency and throughput of

* search: ``GET /api/v1/search?q=...`` (names drawn from the generated ones, some misspelt)
* read:   ``GET /api/v1/enterprises/{id}``
* match:  ``GET /api/v1/enterprises/{id}/matches?top=10``

Targets (issue 5): p95 < 50 ms for search and read, < 200 ms for match. The generated
enterprises are synthetic (names from syllables, HS codes and NACE divisions drawn from the
seed); they exist only in the temporary benchmark databases.

Usage::

    .venv/bin/python benchmarks/api_load.py [--backend sqlite|postgresql|both] [--enterprises 10000]
        [--requests 1000] [--clients 50] [--time-cap 60] [--workers 1] [--write-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## REST API"
SEED = 20261129
SYLLABLES = ("gom", "sel", "mash", "bel", "az", "ural", "trak", "chel", "met", "lit", "prom", "avto",
             "stal", "agro", "neft", "khim", "mol", "zavod", "tech", "mag", "ner", "vol", "kom", "snab")
TARGET_P95_MS = {"search": 50.0, "read": 50.0, "match": 200.0}


def generate(url: str, n: int) -> tuple[list[int], list[str]]:
    """Migrate, load the seed and ``n`` synthetic enterprises (bulk insert); return ids and names."""
    from sqlalchemy import insert, select

    from tradecoop.registry import models as m
    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.search import search_key
    from tradecoop.registry.seed import enterprise_rows, load_seed

    migrate(url)
    engine = make_engine(url)
    rng = random.Random(SEED)
    seed_rows = enterprise_rows()
    codes = sorted({c for r in seed_rows for c in r["products"].split(";") + r["inputs"].split(";") if c})
    naces = sorted({r["nace"] for r in seed_rows})
    descriptions = [(r["description_en"], r["description_ru"]) for r in seed_rows]
    with session_factory(engine)() as s:
        load_seed(s)
        names, rows = [], []
        for _ in range(n):
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            names.append(name)
            en, ru = rng.choice(descriptions)
            rows.append({"name_en": name, "location": rng.choice(("BLR", "RU-CHE")), "nace": rng.choice(naces),
                         "description_en": en, "description_ru": ru, "search_key": search_key([name]),
                         "version": 1, "created_at": m.utcnow(), "updated_at": m.utcnow()})
        s.execute(insert(m.Enterprise), rows)
        ids = list(s.scalars(select(m.Enterprise.id).order_by(m.Enterprise.id)))
        products = [{"enterprise_id": i, "hs_code": c, "role": role} for i in ids[-n:]
                    for role, k in (("product", rng.randint(1, 3)), ("input", rng.randint(0, 3)))
                    for c in rng.sample(codes, k)]
        s.execute(insert(m.EnterpriseProduct), products)
        s.commit()
    engine.dispose()
    return ids, names


def make_token(url: str, secret: str) -> str:
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.service import RegistryService

    engine = make_engine(url)
    with session_factory(engine)() as s:
        token = RegistryService(s, actor="bench").create_user(f"bench-{time.time_ns()}", "viewer", secret)[1]
    engine.dispose()
    return token


def misspell(name: str, rng: random.Random) -> str:
    if len(name) > 4 and rng.random() < 0.3:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    return name


async def drive(base: str, token: str, paths: list[str], clients: int, cap_s: float) -> tuple[list[float], int, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    queue = iter(paths)
    deadline = time.perf_counter() + cap_s
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=60) as client:
        async def worker() -> None:
            nonlocal errors
            for path in queue:
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:  # a dropped connection counts as an error, not a crash
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - start
    return latencies, errors, wall


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"tradecoop serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("tradecoop serve did not become ready")


def run_backend(backend: str, args: argparse.Namespace) -> list[dict]:
    from tradecoop.registry import pgtemp

    pg = None
    tmp = tempfile.TemporaryDirectory(prefix="tradecoop-bench-")
    if backend == "sqlite":
        url = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    else:
        pg = pgtemp.start()
        pg.admin("CREATE DATABASE bench")
        url = pg.url("bench")
    secret = "bench-secret-" + "z" * 32
    t0 = time.perf_counter()
    ids, names = generate(url, args.enterprises)
    print(f"[{backend}] generated {len(ids)} enterprises in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    token = make_token(url, secret)
    port = pgtemp._free_port()
    env = {**os.environ, "TRADECOOP_DATABASE_URL": url, "TRADECOOP_SECRET_KEY": secret}
    log = open(Path(tmp.name) / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "tradecoop"), "serve", "--port", str(port),
                             "--workers", str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        wait_ready(base, proc)
        rng = random.Random(SEED)
        plans = {
            "search": [f"/api/v1/search?q={misspell(rng.choice(names), rng)}" for _ in range(args.requests)],
            "read": [f"/api/v1/enterprises/{rng.choice(ids)}" for _ in range(args.requests)],
            "match": [f"/api/v1/enterprises/{rng.choice(ids)}/matches?top=10" for _ in range(args.requests)],
        }
        for endpoint, paths in plans.items():
            asyncio.run(drive(base, token, paths[: args.clients], args.clients, args.time_cap))  # warm-up
            lat, errors, wall = asyncio.run(drive(base, token, paths, args.clients, args.time_cap))
            q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
            row = {"backend": backend, "endpoint": endpoint, "requests": len(lat), "errors": errors,
                   "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "throughput_rps": round(len(lat) / wall, 1),
                   "target_p95_ms": TARGET_P95_MS[endpoint]}
            row["meets_target"] = row["p95_ms"] < row["target_p95_ms"]
            print(row, file=sys.stderr)
            results.append(row)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if pg is not None:
            pg.stop()
        tmp.cleanup()
    return results


def write_docs(rows: list[dict], args: argparse.Namespace) -> None:
    import platform

    lines = [SECTION, "",
             f"`benchmarks/api_load.py --enterprises {args.enterprises} --requests {args.requests} "
             f"--clients {args.clients} --time-cap {args.time_cap} --workers {args.workers}` "
             f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}; one uvicorn process per run unless --workers > 1; "
             "the load generator runs on the same machine).", "",
             "| backend | endpoint | requests | errors | p50 ms | p95 ms | req/s | target p95 ms | met |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['endpoint']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | "
                     f"{r['p95_ms']} | {r['throughput_rps']} | {r['target_p95_ms']:.0f} | {'yes' if r['meets_target'] else 'no'} |")
    section = "\n".join(lines) + "\n"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        text = head + section + (rest[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    p.add_argument("--enterprises", type=int, default=10_000)
    p.add_argument("--requests", type=int, default=1000, help="requests per endpoint")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--time-cap", type=float, default=60.0, help="seconds per endpoint at most")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--write-docs", action="store_true", help=f"replace the '{SECTION}' section of docs/benchmarks.md")
    args = p.parse_args()
    rows = []
    for backend in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        rows += run_backend(backend, args)
    if args.write_docs:
        write_docs(rows, args)


if __name__ == "__main__":
    main()
