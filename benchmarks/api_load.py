"""Load benchmark of the REST API: ``tradecoop serve`` on 127.0.0.1 over 10,000 generated
enterprises, on SQLite and on PostgreSQL (issue 17: "Benchmark redefined").

**Open loop.** Requests arrive at ``--rate`` per second (Poisson arrivals, seeded), whether or not
earlier ones have been answered, as users of a registry do; each one's latency runs from its
scheduled arrival (so time spent waiting for the client is counted, no coordinated omission).
The mix, drawn per arrival:

* search (30 %): ``GET /api/v1/search?q=...`` (generated names, some misspelt)
* read   (40 %): ``GET /api/v1/enterprises/{id}``
* match  (20 %): ``GET /api/v1/enterprises/{id}/matches?top=10``
* write  (10 %): ``PATCH /api/v1/enterprises/{id}`` (a new ``website`` with the version last seen:
  an edit that neither the search nor the match index is built from, so it rebuilds neither;
  an edit of names, products, city or descriptions makes every worker rebuild that index at its
  next request, and the time of one build at this size is reported first, per backend)

for ``--duration`` seconds after a warm-up. Reported per kind: p50/p95/p99, errors (5xx, transport
failures, and any 4xx other than a 409 version conflict) and 409s. Targets: p95 < 100 ms for
search and read, < 300 ms for match, < 150 ms for writes, zero errors. Then the **saturation
throughput** of the read mix (no writes; ``--clients`` closed-loop clients without think time,
wrk when installed, else httpx), reported with no target.

The generated enterprises are synthetic (names from syllables, HS codes and NACE divisions drawn
from the seed, descriptions copied from the seed's 41); they exist only in the temporary
benchmark databases. The load generator runs on the same machine as the server.

Usage::

    .venv/bin/python benchmarks/api_load.py [--backend sqlite|postgresql|both] [--enterprises 10000]
        [--rate 100] [--duration 60] [--workers 2] [--clients 32] [--saturation 10] [--write-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.pgtemp

from tests.support import pgtemp  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
#: this benchmark's section of docs/benchmarks.md (the closed-loop "## REST API" one is kept for comparison)
SECTION = "## REST API, open loop with writes"
SEED = 20261129
SYLLABLES = ("gom", "sel", "mash", "bel", "az", "ural", "trak", "chel", "met", "lit", "prom", "avto",
             "stal", "agro", "neft", "khim", "mol", "zavod", "tech", "mag", "ner", "vol", "kom", "snab")
TARGET_P95_MS = {"search": 100.0, "read": 100.0, "match": 300.0, "write": 150.0}
#: share of arrivals of each kind
MIX = {"search": 0.3, "read": 0.4, "match": 0.2, "write": 0.1}
PATHS_PER_ENDPOINT = 2000
#: seconds of open-loop load before measuring (every worker builds its indexes)
WARMUP_S = 15.0
#: arrivals still unanswered beyond this many are counted as errors instead of being sent
MAX_IN_FLIGHT = 2000


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


def index_build_seconds(url: str) -> dict[str, float]:
    """Seconds of one build of the search index and of the match index (the cost every worker
    pays at its next request after a write that changes what the index is built from)."""
    from tradecoop.registry import repository as repo
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.matching import match_index

    engine = make_engine(url)
    out = {}
    with session_factory(engine)() as s:
        match_index(s)  # imports scikit-learn and loads the bundled tables once, outside the timing
        repo._CACHE.clear()
        for kind, build in (("search", repo.search_index), ("match", match_index)):
            t0 = time.perf_counter()
            build(s)
            out[kind] = time.perf_counter() - t0
    engine.dispose()
    return out


def make_token(url: str, secret: str) -> str:
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.service import RegistryService

    engine = make_engine(url)
    with session_factory(engine)() as s:
        token = RegistryService(s, actor="bench").create_user(f"bench-{time.time_ns()}", "editor", secret)[1]
    engine.dispose()
    return token


def misspell(name: str, rng: random.Random) -> str:
    if len(name) > 4 and rng.random() < 0.3:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    return name


def drive_wrk(base: str, token: str, paths: list[str], clients: int, seconds: float, work: Path) -> dict:
    """Run wrk (one thread, ``clients`` connections) for ``seconds`` over ``paths``; its summary."""
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    out = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
         "-H", f"Authorization: Bearer {token}", "-s", str(ROOT / "benchmarks" / "wrk_paths.lua"), base,
         "--", str(listing)], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    r = json.loads(line.removeprefix("WRK_JSON "))
    return {"requests": r["requests"], "errors": r["socket_errors"] + r["non2xx"], "p50_ms": r["p50_ms"],
            "p95_ms": r["p95_ms"], "p99_ms": r["p99_ms"], "throughput_rps": r["requests"] / r["duration_s"]}


def drive_httpx(base: str, token: str, paths: list[str], clients: int, seconds: float, _work: Path) -> dict:
    """Closed-loop saturation with an asyncio httpx client (``clients`` tasks, no think time)."""
    import httpx

    async def run() -> tuple[list[float], int, float]:
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"},
                                     limits=limits, timeout=30) as client:
            async def worker(k: int) -> None:
                nonlocal errors
                i = k * len(paths) // clients
                while time.perf_counter() < deadline:
                    t0 = time.perf_counter()
                    try:
                        ok = (await client.get(paths[i % len(paths)])).status_code == 200
                    except httpx.HTTPError:  # a dropped connection counts as an error, not a crash
                        ok = False
                    latencies.append((time.perf_counter() - t0) * 1000)
                    errors += not ok
                    i += 1

            start = time.perf_counter()
            await asyncio.gather(*(worker(k) for k in range(clients)))
            return latencies, errors, time.perf_counter() - start

    lat, errors, wall = asyncio.run(run())
    q = _quantiles(lat)
    return {"requests": len(lat), "errors": errors, "p50_ms": q[0], "p95_ms": q[1], "p99_ms": q[2],
            "throughput_rps": len(lat) / wall}


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 (NaN for no values)."""
    if not values:
        return (float("nan"),) * 3
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return q[49], q[94], q[98]


def open_loop(base: str, token: str, plans: dict[str, list[str]], versions: dict[int, int], rate: float,
              seconds: float, rng: random.Random) -> dict[str, dict]:
    """Poisson arrivals at ``rate``/s for ``seconds``, kinds drawn by :data:`MIX`; per kind the
    latencies (from the scheduled arrival), errors and 409s. ``versions``: the version of each
    enterprise the writes may change (updated as they succeed; the only writer is this client,
    so a 409 means a bug, not a race)."""
    import httpx

    write_ids = list(versions)
    busy: set[int] = set()
    kinds, weights = list(MIX), list(MIX.values())
    stats = {k: {"lat": [], "errors": 0, "conflicts": 0, "why": {}} for k in kinds}

    def failed(st: dict, why: str, body: str = "") -> None:
        """Count an error under ``why`` (status code or exception); the first body of each is kept."""
        st["errors"] += 1
        st["why"].setdefault(why, [0, body[:300]])[0] += 1
    cursor = dict.fromkeys(kinds, 0)

    async def one(client: httpx.AsyncClient, kind: str, due: float) -> None:
        st = stats[kind]
        eid = None
        try:
            if kind == "write":
                eid = next((i for i in rng.sample(write_ids, 8) if i not in busy), None)
                if eid is None:
                    failed(st, "no enterprise free to write")
                    return
                busy.add(eid)
                r = await client.patch(f"/api/v1/enterprises/{eid}", json={
                    "version": versions[eid], "website": f"https://example.org/{rng.randrange(10**9)}"})
                if r.status_code == 200:
                    versions[eid] = r.json()["version"]
            else:
                path = plans[kind][cursor[kind] % len(plans[kind])]
                cursor[kind] += 1
                r = await client.get(path)
            code, body = r.status_code, r.text
        except httpx.HTTPError as exc:
            code, body = 0, f"{type(exc).__name__}: {exc}"
        finally:
            busy.discard(eid)
        st["lat"].append((time.perf_counter() - due) * 1000)
        if code == 409:
            st["conflicts"] += 1
        elif not 200 <= code < 300:
            failed(st, str(code) if code else body.partition(":")[0], body)

    async def run() -> float:
        limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=256)
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"},
                                     limits=limits, timeout=30) as client:
            tasks: set[asyncio.Task] = set()
            start = time.perf_counter()
            due = start
            while due < start + seconds:
                due += rng.expovariate(rate)
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                kind = rng.choices(kinds, weights)[0]
                if len(tasks) >= MAX_IN_FLIGHT:
                    failed(stats[kind], f"over {MAX_IN_FLIGHT} in flight")
                    continue
                task = asyncio.create_task(one(client, kind, due))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)
            return time.perf_counter() - start

    wall = asyncio.run(run())
    out = {}
    for kind, st in stats.items():
        q = _quantiles(st["lat"])
        out[kind] = {"requests": len(st["lat"]), "errors": st["errors"], "conflicts": st["conflicts"], "why": st["why"],
                     "p50_ms": q[0], "p95_ms": q[1], "p99_ms": q[2], "throughput_rps": len(st["lat"]) / wall}
    return out


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
    builds = index_build_seconds(url)
    print(f"[{backend}] one build: search index {builds['search']:.2f} s, match index {builds['match']:.2f} s",
          file=sys.stderr)
    port = pgtemp.free_port()
    env = {**os.environ, "TRADECOOP_DATABASE_URL": url, "TRADECOOP_SECRET_KEY": secret}
    log = open(Path(tmp.name) / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "tradecoop"), "serve", "--port", str(port),
                             "--workers", str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        wait_ready(base, proc)
        rng = random.Random(SEED)
        n = PATHS_PER_ENDPOINT
        plans = {
            "search": [f"/api/v1/search?q={quote(misspell(rng.choice(names), rng))}" for _ in range(n)],
            "read": [f"/api/v1/enterprises/{rng.choice(ids)}" for _ in range(n)],
            "match": [f"/api/v1/enterprises/{rng.choice(ids)}/matches?top=10" for _ in range(n)],
        }
        versions = dict.fromkeys(rng.sample(ids, min(len(ids), 1000)), 1)
        open_loop(base, token, plans, versions, args.rate, WARMUP_S, random.Random(SEED + 1))  # warm-up
        load = os.getloadavg()[0]
        measured = open_loop(base, token, plans, versions, args.rate, args.duration, random.Random(SEED + 2))
        load_after = os.getloadavg()[0]
        for kind, m in measured.items():
            row = {"backend": backend, "kind": kind, "rate": args.rate, "requests": m["requests"],
                   "index_builds_s": {k: round(v, 2) for k, v in builds.items()},
                   "errors": m["errors"], "errors_by_cause": {k: v[0] for k, v in m["why"].items()},
                   "conflicts": m["conflicts"], "p50_ms": round(m["p50_ms"], 1),
                   "p95_ms": round(m["p95_ms"], 1), "p99_ms": round(m["p99_ms"], 1),
                   "target_p95_ms": TARGET_P95_MS[kind], "load_before": round(load, 2),
                   "load_after": round(load_after, 2)}
            row["meets_target"] = row["requests"] > 0 and row["errors"] == 0 and row["p95_ms"] < row["target_p95_ms"]
            print(row, file=sys.stderr)
            for cause, (n, body) in m["why"].items():
                print(f"[{backend}] {kind}: {n} x {cause}: {body}", file=sys.stderr)
            results.append(row)
        if args.saturation > 0:  # closed loop over the read mix, no writes: the most it serves
            mixed = [p for trio in zip(*plans.values(), strict=True) for p in trio]
            drive = drive_wrk if args.client == "wrk" else drive_httpx
            load = os.getloadavg()[0]
            m = drive(base, token, mixed, args.clients, args.saturation, Path(tmp.name))
            row = {"backend": backend, "kind": "saturation (search+read+match, closed loop)", "rate": None,
                   "requests": m["requests"], "errors": m["errors"], "conflicts": 0,
                   "p50_ms": round(m["p50_ms"], 1), "p95_ms": round(m["p95_ms"], 1), "p99_ms": round(m["p99_ms"], 1),
                   "throughput_rps": round(m["throughput_rps"], 1), "target_p95_ms": None,
                   "meets_target": None, "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}
            print(row, file=sys.stderr)
            results.append(row)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        errors = [line for line in (Path(tmp.name) / "serve.log").read_text(errors="replace").splitlines()
                  if any(w in line for w in ("Error", "Exception", "Traceback", "WARNING"))]
        if errors:  # the server's own account of failures, before its log is deleted
            print(f"[{backend}] server log, {len(errors)} error line(s):", *errors[:20], sep="\n  ", file=sys.stderr)
        if pg is not None:
            pg.stop()
        tmp.cleanup()
    return results


def write_docs(rows: list[dict], args: argparse.Namespace) -> None:
    import platform

    lines = [SECTION, "",
             f"`benchmarks/api_load.py --backend {args.backend} --enterprises {args.enterprises} --rate {args.rate:g} "
             f"--duration {args.duration:g} --workers {args.workers} --clients {args.clients} "
             f"--saturation {args.saturation:g} --client {args.client}` "
             f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}; {args.workers} uvicorn worker(s)). Open loop: Poisson arrivals at "
             f"{args.rate:g} requests/s, 30 % search, 40 % read, 20 % match, 10 % writes (PATCH of an enterprise), "
             "latency from each request's scheduled arrival; after a warm-up of "
             f"{WARMUP_S:g} s. `errors`: 5xx, transport failures and 4xx other than 409; `409`: version "
             "conflicts. The last row per backend is the saturation throughput of the read mix (closed "
             f"loop, {args.clients} clients, no writes, no target). `load`: the 1-minute load average before and "
             "after the measured run (the load generator and the database server run on the same machine; "
             "the machine is shared, so other work adds to it).", "",
             "| backend | kind | requests | errors | 409 | p50 ms | p95 ms | p99 ms | req/s | target p95 ms | met | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    builds = {r["backend"]: r["index_builds_s"] for r in rows if "index_builds_s" in r}
    table_at = lines.index(next(line for line in lines if line.startswith("| backend")))
    lines[table_at:table_at] = [
        "The writes change an enterprise's website, which neither index is built from. A write that changes "
        "names, products, city or descriptions makes every worker rebuild that index at its next request; "
        "one build at this size took " + "; ".join(
            f"{b}: search {v['search']:.2f} s, match {v['match']:.2f} s" for b, v in builds.items()) + ".", ""]
    for r in rows:
        target = "-" if r["target_p95_ms"] is None else f"{r['target_p95_ms']:.0f}"
        met = {None: "-", True: "yes", False: "no"}[r["meets_target"]]
        rps = r.get("throughput_rps", "-")
        lines.append(f"| {r['backend']} | {r['kind']} | {r['requests']} | {r['errors']} | {r['conflicts']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {rps} | {target} | {met} | {r['load_before']} / {r['load_after']} |")
    section = "\n".join(lines) + "\n"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        body, tail = (rest[:nxt + 1], rest[nxt + 1:]) if nxt >= 0 else (rest, "")
        notes = body.find("\n### ")  # hand-written subsections (readings, earlier runs) are kept
        section += body[notes:] if notes >= 0 else ""
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    p.add_argument("--enterprises", type=int, default=10_000)
    p.add_argument("--rate", type=float, default=100.0, help="arrivals per second (open loop)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of measured open-loop load")
    p.add_argument("--clients", type=int, default=32, help="closed-loop clients of the saturation run")
    p.add_argument("--saturation", type=float, default=10.0, help="seconds of the saturation run (0: none)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="uvicorn worker processes")
    p.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx",
                   help="load generator (default: wrk when installed)")
    p.add_argument("--write-docs", action="store_true", help=f"rewrite the table of the '{SECTION}' section of docs/benchmarks.md (its ### subsections are kept)")
    args = p.parse_args()
    if args.client == "wrk" and not shutil.which("wrk"):
        p.error("wrk is not installed (apt-get install wrk), or pass --client httpx")
    rows = []
    for backend in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        rows += run_backend(backend, args)
    if args.write_docs:
        write_docs(rows, args)


if __name__ == "__main__":
    main()
