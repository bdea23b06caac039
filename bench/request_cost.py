"""Queries and CPU time per request of the API's hot paths, measured in-process.

``bench_api.py`` measures throughput through gunicorn; on a machine shared with other work its
req/s swing with the load. This script measures what the load barely disturbs: it sends the
same requests straight through Django's WSGI handler (DEBUG off, every middleware, token
authentication, no sockets) and reports per operation

- the SQL statements each request runs (counted with ``connection.execute_wrapper``),
- the CPU time of this process per request (``time.process_time``: the app's work),
- the CPU time of the PostgreSQL backend serving this connection per request (from
  ``/proc/<pid>/stat`` of ``pg_backend_pid()``, when the server runs on this machine),
- the wall time per request (disturbed by the load; for orientation only).

It uses ``bench_api.set_up`` (the same project, documents, users and 500 listed spans) and
deletes the project afterwards. ``--profile OPERATION`` prints a cProfile of that operation's
requests instead; ``--sql`` prints the statements of one request of each operation.

Usage (embedded PostgreSQL, or the server in DATABASE_URL):
    DJANGO_EMAIL_BACKEND=off python bench/request_cost.py [--requests 2000] [--profile create]
Nothing here asserts a time: it prints figures.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_api  # noqa: E402  (the shared set-up)

OPERATIONS = ("create", "relation", "list_500", "floor")


def environ(method: str, path: str, token: str, body: bytes = b"") -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": f"Token {token}", "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True,
        "wsgi.run_once": False, "wsgi.version": (1, 0),
    }


class Caller:
    """Sends one request through the WSGI application; returns (status, body)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, method: str, path: str, token: str, body: bytes = b"") -> tuple[int, bytes]:
        status = []
        chunks = self.application(environ(method, path, token, body), lambda s, headers, exc=None: status.append(s))
        try:
            payload = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return int(status[0].split()[0]), payload


class QueryLog:
    def __init__(self):
        self.statements: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def backend_cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def requests_for(setup: dict, args) -> dict[str, list[tuple[str, str, bytes, int]]]:
    """Per operation: (method, path, body, expected status) in order; the relation requests are
    filled in after the creates ran (they link the spans just made)."""
    spans = setup["spans"][: args.warmup + args.requests]
    listing = f"/api/annotations/?document={setup['list_document']}&layer={setup['list_layer']}&limit=500"
    reads = args.warmup + args.reads
    return {
        "create": [bench_api.span_request(span) + (201,) for span in spans],
        "relation": [],
        "list_500": [("GET", listing, b"", 200)] * reads,
        "floor": [("GET", "/api/", b"", 200)] * reads,
    }


def relation_requests(created: list[int]) -> list[tuple[str, str, bytes, int]]:
    return [
        ("POST", "/api/relations/", json.dumps({"source": a, "target": b, "kind": "supports"}).encode(), 201)
        for a, b in zip(created[1:], created)
    ]


def measure(call: Caller, token: str, requests, warmup: int, backend_pid: int | None) -> dict:
    from django.db import connection

    log, created, failures = QueryLog(), [], 0
    counts, walls = [], []
    for index, (method, path, body, expect) in enumerate(requests):
        if index == warmup:
            cpu_before, db_before = time.process_time(), backend_cpu_seconds(backend_pid)
        before = len(log.statements)
        began = time.perf_counter()
        with connection.execute_wrapper(log):
            status, payload = call(method, path, token, body)
        walls.append(time.perf_counter() - began)
        counts.append(len(log.statements) - before)
        if status != expect:
            failures += 1
            if failures <= 3:
                print(f"  unexpected {status}: {payload[:200]!r}", file=sys.stderr)
        elif method == "POST":
            created.append(json.loads(payload)["id"])
    measured = len(requests) - warmup
    cpu = time.process_time() - cpu_before
    prepared = []
    if connection.connection is not None:  # how the open connection's prepared statements were planned
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements ORDER BY statement")
            prepared = cursor.fetchall()
    db_after = backend_cpu_seconds(backend_pid)
    return {
        "queries": statistics.median(counts[warmup:]), "queries_min": min(counts[warmup:]),
        "queries_max": max(counts[warmup:]), "cpu_ms": 1000 * cpu / measured,
        "db_ms": 1000 * (db_after - db_before) / measured if db_after is not None and db_before is not None else None,
        "wall_ms": 1000 * statistics.median(walls[warmup:]), "failures": failures, "created": created,
        "statements": log.statements[-counts[-1]:] if counts[-1] else [], "prepared": prepared,
    }


EXPLAIN_REPEATS = 20


class _RollBack(Exception):
    pass


def _fresh(sql: str, params):
    """The last request's INSERT made its row already: the same INSERT of a row not stored yet
    (the span one code point later, past any paragraph's end; the relation's ends swapped)."""
    if sql.startswith('INSERT INTO "annotations_annotation"'):
        params = list(params)
        params[3], params[4] = params[3] + 10**6, params[4] + 10**6  # start, end
    elif sql.startswith('INSERT INTO "annotations_relation"'):
        params = list(params)
        params[2], params[3] = params[3], params[2]  # source, target
    return params


def explain(statements) -> list[tuple]:
    """For each statement: best planning and execution time (ms) over a few runs, trigger times, the plan."""
    import re

    from django.db import connection, transaction

    out = []
    for sql, params in statements:
        params = _fresh(sql, params)
        best, plan = None, []
        for _ in range(EXPLAIN_REPEATS):
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                        lines = [row[0] for row in cursor.fetchall()]
                    raise _RollBack
            except _RollBack:
                pass
            text = "\n".join(lines)
            planning = float(re.search(r"Planning Time: ([\d.]+)", text).group(1)) if "Planning Time" in text else 0.0
            execution = float(re.search(r"Execution Time: ([\d.]+)", text).group(1))
            triggers = ", ".join(f"{name} {float(ms):.3f}" for name, ms in re.findall(r"Trigger (\S+): time=([\d.]+)", text))
            if best is None or execution < best[1]:
                best, plan = (planning, execution, triggers), lines
        out.append((sql, *best, plan))
    return out


def calls_per_request(call: Caller, token: str, requests) -> float:
    """Python function calls per request (cProfile's count): a figure the machine's load cannot move."""
    profile = cProfile.Profile(time.process_time)
    created = []
    profile.enable()
    for method, path, body, expect in requests:
        status, payload = call(method, path, token, body)
        if method == "POST" and status == expect:
            created.append(json.loads(payload)["id"])
    profile.disable()
    calls_per_request.created = created
    return pstats.Stats(profile).total_calls / len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="measured creates and relations")
    parser.add_argument("--reads", type=int, default=1000, help="measured reads (list, floor)")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--counted", type=int, default=200, help="requests per operation whose function calls are counted")
    parser.add_argument("--profile", choices=OPERATIONS, help="print a cProfile of this operation")
    parser.add_argument("--dump", metavar="FILE", help="with --profile: also save the profile (pstats) to FILE")
    parser.add_argument("--sql", action="store_true", help="print the statements of one request of each operation")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the statements of the last request "
                        "of each operation (writes rolled back): the server's execution and trigger times")
    args = parser.parse_args()
    bench_api.configure_environment()
    load_start = os.getloadavg()
    prefix = f"cost-{os.getpid()}-{int(time.time())}"
    setup = bench_api.set_up(prefix)
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    call = Caller(get_wsgi_application())
    token = setup["groups"][0][0]
    call("GET", "/api/", token)  # connect and warm the URL resolver
    backend_pid = None
    if not os.environ.get("DATABASE_URL"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
    plan = requests_for(setup, args)
    used = args.warmup + args.requests
    counted_plan = {
        "create": [bench_api.span_request(span) + (201,) for span in setup["spans"][used:used + args.counted]],
        "list_500": plan["list_500"][:args.counted], "floor": plan["floor"][:args.counted],
    }
    results, profile = {}, None
    try:
        for name in OPERATIONS:
            requests = plan[name] if name != "relation" else relation_requests(results["create"]["created"])
            who = setup["list_token"] if name == "list_500" else token
            warmup = min(args.warmup, len(requests) // 4)
            if name == args.profile:
                profile = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for the database
                profile.enable()
            results[name] = measure(call, who, requests, warmup, backend_pid)
            if name == args.profile:
                profile.disable()
            counted = counted_plan.get(name) or relation_requests(calls_per_request.created)
            results[name]["calls"] = calls_per_request(call, who, counted)
        explained = {name: explain(figures["statements"]) for name, figures in results.items()} if args.explain else {}
    finally:
        connection.close()
        bench_api.tear_down(setup["project_id"], prefix)
    load_end = os.getloadavg()
    print(f"argmap request cost, in-process WSGI, DEBUG off; load average at start {load_start[0]:.2f} "
          f"(5 min {load_start[1]:.2f}), at end {load_end[0]:.2f} (5 min {load_end[1]:.2f})")
    print(f"{'operation':10} {'queries':>8} {'py calls':>9} {'app CPU ms':>11} {'db CPU ms':>10} {'wall ms':>8} {'fail':>5}")
    for name, figures in results.items():
        queries = f"{figures['queries']:g}" + (
            f" ({figures['queries_min']}-{figures['queries_max']})" if figures["queries_min"] != figures["queries_max"] else ""
        )
        db = f"{figures['db_ms']:.3f}" if figures["db_ms"] is not None else "-"
        print(f"{name:10} {queries:>8} {figures['calls']:9.0f} {figures['cpu_ms']:11.3f} {db:>10} "
              f"{figures['wall_ms']:8.3f} {figures['failures']:5d}")
    if args.sql:
        for name, figures in results.items():
            print(f"\n-- {name}: {len(figures['statements'])} statements")
            for sql, _ in figures["statements"]:
                print("  " + " ".join(sql.split())[:600])
    if args.explain:
        print("\nprepared statements of the connection after each operation: generic plans, custom plans "
              "(planned again at each execution), statement")
        for name, figures in results.items():
            print(f"  after {name}:")
            for generic, custom, statement in figures["prepared"]:
                print(f"  {generic:6d} {custom:6d}  {' '.join(statement.split())[:100]}")
    for name, plans in explained.items():
        print(f"\n-- {name}: EXPLAIN ANALYZE, best of {EXPLAIN_REPEATS} (ms: planning, execution, triggers)")
        for sql, planning, execution, triggers, plan in plans:
            print(f"  {planning:6.3f} {execution:6.3f} {triggers or ''}  {' '.join(sql.split())[:110]}")
            if args.sql:
                print("\n".join("      " + line for line in plan))
    if profile is not None:
        if args.dump:
            profile.dump_stats(args.dump)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())
        count = len(results[args.profile]["created"]) or (args.warmup + args.reads)
        if args.profile == "create":
            count = args.warmup + args.requests
        elif args.profile == "relation":
            count = args.warmup + args.requests - 1
        by_module: dict[str, list[float]] = {}
        for (filename, _, _), (_, calls, own, _, _) in stats.stats.items():
            module = filename.split("site-packages/")[-1].replace(str(bench_api.ROOT) + "/", "")
            entry = by_module.setdefault(module, [0, 0.0])
            entry[0] += calls
            entry[1] += own
        print(f"calls and own CPU ms per request by module ({args.profile}, {count} requests):")
        for module, (calls, own) in sorted(by_module.items(), key=lambda item: -item[1][0])[:40]:
            print(f"  {calls / count:8.1f} {1000 * own / count:8.3f}  {module}")


if __name__ == "__main__":
    main()
