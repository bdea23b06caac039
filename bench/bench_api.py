"""Benchmark the span and relation API under gunicorn on PostgreSQL, against a peer tool's figures.

What it does, in one run:
1. sets up (through the services) a throw-away project with a 1,000-word document, nine
   annotators with API tokens, and a second document whose layer holds 500 spans;
2. starts gunicorn on 127.0.0.1 with DEBUG off (workers and threads from the options);
3. measures, with bounded loops of keep-alive HTTP clients (one OS process per client, so
   the client side is not serialised by one GIL):
   - annotation create with 1 client and with 8 concurrent clients (req/s, p50, p95),
   - relation create with 1 client,
   - listing the 500 spans of a document (p50, p95), and the document's workspace;
4. prints a table with the ratio to the peer figures in TARGETS.md; ``--runs N`` repeats the
   measurements N times against the same server and reports the median of each figure;
   ``--baseline REV`` also serves the app as it was at git revision REV (the same database,
   its own users) and measures it in the same runs, so the ratio survives a noisy machine;
5. stops gunicorn and deletes the project.

Usage (embedded PostgreSQL, or the server in DATABASE_URL):
    python bench/bench_api.py [--runs 3] [--workers 2] [--threads 4] [--worker-class gthread]
Nothing here asserts a time: it prints figures.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The peer's figures (TARGETS.md): same workload, 2 cores, its defaults.
PEER = {
    "create_1": {"rps": 122.0, "p95": 10.5},
    "create_8": {"rps": 219.0, "p95": 47.0},
    "relation_1": {"rps": 115.0},
    "list_500": {"p50": 18.6},
}
CLIENTS = 8
WORDS = (
    "the treaty shows that trade between both states grew while their border talks stalled because "
    "officials feared losing influence however critics argue the numbers hide a deeper imbalance "
    "since energy exports dominate and manufacturing barely moved according to customs data"
).split()


def configure_environment() -> None:
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "off")  # DEBUG off needs a mail choice; a benchmark sends none


def article_text(words: int = 1000, per_paragraph: int = 80) -> str:
    """A deterministic article of ``words`` words in paragraphs, with characters outside the BMP."""
    paragraphs, count, index = [], 0, 0
    while count < words:
        size = min(per_paragraph, words - count)
        tokens = [WORDS[(index + i * 7) % len(WORDS)] for i in range(size)]
        tokens[size // 2] += " 🌍"  # an emoji inside each paragraph: offsets are code points
        paragraphs.append(" ".join(tokens).capitalize() + ".")
        count += size
        index += 1
    return "\n\n".join(paragraphs)


def word_spans(paragraphs, lengths=range(1, 9)):
    """Every span of 1..8 consecutive words of every paragraph: (paragraph id, start, end, quote)."""
    spans = []
    for paragraph_id, text in paragraphs:
        words = [match.span() for match in re.finditer(r"\S+", text)]
        for length in lengths:
            for first in range(len(words) - length + 1):
                start, end = words[first][0], words[first + length - 1][1]
                spans.append((paragraph_id, start, end, text[start:end]))
    return spans


def set_up(prefix: str) -> dict:
    """Project, two documents, ten users with tokens, 500 spans on the list document (services only)."""
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from annotations import services
    from annotations.models import Paragraph, Role
    from django.contrib.auth import get_user_model

    call_command("migrate", verbosity=0)
    User = get_user_model()
    owner, _ = User.objects.get_or_create(username=f"{prefix}-owner")
    project = services.project_create(name=f"Benchmark {prefix}", slug=prefix, creator=owner)
    document = services.document_import(project=project, user=owner, data=article_text().encode(), filename="bench.txt")
    listed = services.document_import(
        project=project, user=owner, data=article_text(words=1200).encode(), filename="bench-list.txt"
    )
    tokens = []
    for number in range(2 * (CLIENTS + 1) + 1):  # a group of 1 + 8 writers per server measured, and a reader
        user, _ = User.objects.get_or_create(username=f"{prefix}-annotator{number}")
        services.membership_set(project=project, user=user, role=Role.ANNOTATOR)
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    paragraphs = list(Paragraph.objects.filter(document=document).order_by("position").values_list("id", "text"))
    list_paragraphs = list(Paragraph.objects.filter(document=listed).order_by("position").values_list("id", "text"))
    reader_number = 2 * (CLIENTS + 1)
    list_user = User.objects.get(username=f"{prefix}-annotator{reader_number}")
    layer = services.layer_get_or_create_personal(project=project, user=list_user)
    for paragraph_id, start, end, quote in word_spans(list_paragraphs, lengths=[1, 3])[:500]:
        services.annotation_create(
            paragraph=Paragraph.objects.select_related("document__project").get(pk=paragraph_id), layer=layer,
            user=list_user, start=start, end=end, label="claim", quote=quote,
        )
    words = sum(len(text.split()) for _, text in paragraphs)
    return {
        "project_id": project.pk, "document": document.pk, "words": words, "spans": word_spans(paragraphs),
        "groups": [tokens[:CLIENTS + 1], tokens[CLIENTS + 1:reader_number]],
        "list_document": listed.pk, "list_layer": layer.pk, "list_token": tokens[reader_number],
    }


def tear_down(project_id: int, prefix: str) -> None:
    from django.contrib.auth import get_user_model

    from annotations.models import Project

    Project.objects.filter(pk=project_id).delete()
    get_user_model().objects.filter(username__startswith=f"{prefix}-").delete()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, worker_class: str, cwd: Path = ROOT, env=None) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "argmap.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--keep-alive", "30", "--log-level", "warning", "--backlog", "256",
        # The workers' heartbeat file in memory: on a busy disk its per-request touch stalls workers.
        *(["--worker-tmp-dir", "/dev/shm"] if Path("/dev/shm").is_dir() else []),
    ]
    server = subprocess.Popen(command, cwd=cwd, env=env or os.environ.copy(), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/")
            connection.getresponse().read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with code {server.returncode}")
            time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


class ServerCpu:
    """CPU time (user + system) used by the gunicorn processes and the PostgreSQL server's
    processes: a figure the other work on a shared machine disturbs far less than wall time."""

    def __init__(self, gunicorn_pid: int):
        self.roots = [gunicorn_pid]
        postmaster = self._postmaster_pid()
        if postmaster:
            self.roots.append(postmaster)
        self.tick = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _postmaster_pid() -> int | None:
        if os.environ.get("DATABASE_URL"):
            return None  # a server elsewhere: only the app's CPU is counted
        pidfile = Path(os.environ.get("ARGMAP_PGDATA", ROOT / "var" / "pgdata")) / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def snapshot(self) -> dict[str, dict[int, int]]:
        """CPU ticks of every process in each tree (app, db), by pid."""
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    text = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                fields = text.rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
        trees = {}
        for name, root in zip(("app", "db"), self.roots):
            tree = {root}
            for pid, (ppid, _) in sorted(stats.items()):
                if ppid in tree:
                    tree.add(pid)
            trees[name] = {pid: stats[pid][1] for pid in tree if pid in stats}
        return trees

    def seconds_between(self, before, after) -> dict[str, float]:
        """CPU seconds each tree used between two snapshots (processes that ended meanwhile are lost)."""
        return {
            name: sum(ticks - before[name].get(pid, 0) for pid, ticks in after[name].items()) / self.tick
            for name in after
        }


def baseline_tree(revision: str, target: Path) -> Path:
    """The app as it was at ``revision`` (``git archive``), to serve the same workload in the same run."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def database_url() -> str:
    """This run's database as a URL, so the baseline tree uses it instead of starting its own."""
    from urllib.parse import quote

    from django.conf import settings

    db = settings.DATABASES["default"]
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    return f"postgres://{db['USER']}:{quote(db['PASSWORD'] or '', safe='')}@{host}:{db['PORT']}/{db['NAME']}"


def client_loop(port: int, token: str, requests: list[tuple[str, str, bytes | None]], warmup: int, start_at: float, expect: int):
    """One client: keep-alive requests in order; returns latencies (s) of the measured ones and ids created."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"}
    latencies, created, failures = [], [], 0
    for index, (method, path, body) in enumerate(requests):
        if index == warmup:
            while time.time() < start_at:  # all clients start the measured part together
                time.sleep(0.0005)
            began = time.perf_counter()
        sent = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - sent
        if response.status != expect:
            failures += 1
            if failures <= 3:
                print(f"  unexpected {response.status}: {payload[:200]!r}", file=sys.stderr)
        elif method == "POST":
            created.append(json.loads(payload)["id"])
        if index >= warmup:
            latencies.append(elapsed)
    wall = time.perf_counter() - began
    connection.close()
    return {"latencies": latencies, "wall": wall, "created": created, "failures": failures}


def run_clients(port: int, jobs: list[tuple[str, list]], warmup: int, expect: int, cpu: ServerCpu | None = None) -> dict:
    """Run one client process per job (token, requests) at once; aggregate throughput and latency,
    and (with ``cpu``) the server's CPU time per request, warm-up included."""
    start_at = time.time() + 0.5 + 0.05 * len(jobs)
    context = multiprocessing.get_context("fork")
    before = cpu.snapshot() if cpu else None
    with context.Pool(len(jobs)) as pool:
        results = pool.starmap(client_loop, [(port, token, requests, warmup, start_at, expect) for token, requests in jobs])
    total_requests = sum(len(requests) for _, requests in jobs)
    cpu_ms = {
        name: 1000 * seconds / total_requests for name, seconds in cpu.seconds_between(before, cpu.snapshot()).items()
    } if cpu else {}
    latencies = sorted(latency for result in results for latency in result["latencies"])
    wall = max(result["wall"] for result in results)
    return {
        "rps": len(latencies) / wall,
        "p50": 1000 * latencies[len(latencies) // 2],
        "p95": 1000 * latencies[int(len(latencies) * 0.95)],
        "failures": sum(result["failures"] for result in results),
        "cpu_app": cpu_ms.get("app", float("nan")),
        "cpu_db": cpu_ms.get("db", float("nan")),
        "created": [result["created"] for result in results],
    }


def span_request(span, label="claim") -> tuple[str, str, bytes]:
    paragraph_id, start, end, quote = span
    body = {"paragraph": paragraph_id, "start": start, "end": end, "quote": quote, "label": label}
    return ("POST", "/api/annotations/", json.dumps(body).encode())


def measure_once(port: int, setup: dict, run: int, args, cpu: ServerCpu, group: int = 0, workspace: bool = True) -> dict:
    """One round of every measurement; spans never repeat across rounds (fresh offsets per round),
    and each server measured writes with its own group of users (its own layers)."""
    spans, tokens, warmup = setup["spans"], setup["groups"][group], args.warmup
    per_round = warmup + args.requests
    figures = {}
    # 1 client: user 0, a fresh slice of spans each round.
    mine = spans[run * per_round:(run + 1) * per_round]
    single = run_clients(port, [(tokens[0], [span_request(s) for s in mine])], warmup, 201, cpu)
    figures["create_1"] = single
    # 8 clients: users 1..8, each its own layer and slice.
    jobs = []
    for client in range(CLIENTS):
        chunk = spans[run * per_round:(run + 1) * per_round]
        jobs.append((tokens[client + 1], [span_request(s) for s in chunk]))
    figures["create_8"] = run_clients(port, jobs, warmup, 201, cpu)
    # Relations, 1 client: link each span made in this round by user 0 to the next one.
    ids = single["created"][0]
    links = [
        ("POST", "/api/relations/", json.dumps({"source": a, "target": b, "kind": "supports"}).encode())
        for a, b in zip(ids[1:], ids)
    ]
    relation_warmup = min(warmup, len(links) // 4)
    figures["relation_1"] = run_clients(port, [(tokens[0], links)], relation_warmup, 201, cpu)
    # List the 500 spans of the list document's layer, 1 client.
    path = f"/api/annotations/?document={setup['list_document']}&layer={setup['list_layer']}&limit=500"
    figures["list_500"] = run_clients(
        port, [(setup["list_token"], [("GET", path, None)] * (warmup + args.reads))], warmup, 200, cpu
    )
    # The floor: an authenticated GET of the API root (token lookup, no other query). Measured
    # before the workspace, which only this tree serves: both trees' floors follow the same work.
    figures["floor"] = run_clients(port, [(tokens[0], [("GET", "/api/", None)] * (warmup + args.reads))], warmup, 200, cpu)
    if workspace:
        path = f"/api/documents/{setup['list_document']}/workspace/?layer={setup['list_layer']}"
        figures["workspace_500"] = run_clients(
            port, [(setup["list_token"], [("GET", path, None)] * (warmup + args.reads))], warmup, 200, cpu
        )
    return figures


def median_of(rounds: list[dict], name: str, key: str) -> float:
    return statistics.median(figures[name][key] for figures in rounds)


def report(rounds: list[dict], setup: dict, args, baseline: list[dict] | None = None) -> str:
    rows = [
        ("annotation create, 1 client", "create_1", "rps"),
        ("annotation create, 8 clients", "create_8", "rps"),
        ("relation create, 1 client", "relation_1", "rps"),
        ("list 500 spans", "list_500", "p50"),
        ("workspace, 500 spans", "workspace_500", None),
        ("floor: GET /api/ (token only)", "floor", None),
    ]
    lines = [
        f"argmap API benchmark: gunicorn {args.worker_class} x{args.workers} workers x{args.threads} threads, "
        f"{os.cpu_count()} cores, {setup['words']}-word document, {len(rounds)} run(s), medians",
        f"load average at start {rounds[0]['load']:.1f}, at end {rounds[-1]['load_end']:.1f}; "
        "CPU app+db = server CPU ms per request (gunicorn + PostgreSQL), warm-up included",
        f"{'operation':31} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5} {'CPU app+db':>11}  {'vs peer (TARGETS.md)':32}"
        + (f" {'baseline req/s':>14} {'p50 ms':>7}  vs baseline {'base CPU':>9} {'CPU vs base':>11}" if baseline else ""),
    ]
    for title, name, key in rows:
        rps, p50, p95 = (median_of(rounds, name, k) for k in ("rps", "p50", "p95"))
        failed = sum(figures[name]["failures"] for figures in rounds)
        cpu = f"{median_of(rounds, name, 'cpu_app'):.1f}+{median_of(rounds, name, 'cpu_db'):.1f}"
        versus = ""
        if key and key in PEER.get(name, {}):
            peer = PEER[name][key]
            ours = rps if key == "rps" else p50
            versus = f"{key} {ours:.1f} vs {peer:g}: {ours / peer if key == 'rps' else peer / ours:.2f}x"
            if "p95" in PEER[name]:
                versus += f"; p95 {PEER[name]['p95'] / p95:.2f}x"
        line = f"{title:31} {rps:7.0f} {p50:7.2f} {p95:7.2f} {failed:5d} {cpu:>11}  {versus:32}"
        if baseline and name in baseline[0]:
            base_rps, base_p50 = median_of(baseline, name, "rps"), median_of(baseline, name, "p50")
            ratio = rps / base_rps if key != "p50" else base_p50 / p50
            base_cpu = median_of(baseline, name, "cpu_app") + median_of(baseline, name, "cpu_db")
            ours_cpu = median_of(rounds, name, "cpu_app") + median_of(rounds, name, "cpu_db")
            line += f" {base_rps:14.0f} {base_p50:7.2f}  {ratio:10.2f}x {base_cpu:9.1f} {base_cpu / ours_cpu:10.2f}x"
        lines.append(line)
    lines.append("per-run req/s (create 1 / create 8 / relation 1): " + "; ".join(
        f"{f['create_1']['rps']:.0f} / {f['create_8']['rps']:.0f} / {f['relation_1']['rps']:.0f}" for f in rounds
    ))
    lines.append("per-run list 500 p50 ms: " + ", ".join(f"{f['list_500']['p50']:.2f}" for f in rounds))
    if baseline:
        lines.append(f"baseline = this app at {args.baseline} served the same way in the same runs (interleaved); "
                     "CPU vs base = the baseline's server CPU per request over ours (above 1: we use less)")
    lines.append("load average (1 min) per run, start-end: " + ", ".join(
        f"{f['load']:.1f}-{f['load_end']:.1f}" for f in rounds
    ))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measurement rounds (median reported)")
    parser.add_argument("--requests", type=int, default=1000, help="measured creates per client per round")
    parser.add_argument("--reads", type=int, default=300, help="measured list requests per round")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per client first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark project afterwards")
    parser.add_argument("--baseline", metavar="REVISION", help="also serve the app at this git revision "
                        "(e.g. the foundation's first API) and measure it in the same runs, interleaved")
    args = parser.parse_args()
    configure_environment()
    print(f"load average at start: {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min)", file=sys.stderr)
    prefix = f"bench-{os.getpid()}-{int(time.time())}"
    setup = set_up(prefix)
    needed = args.runs * (args.warmup + args.requests)
    if needed > len(setup["spans"]):
        raise SystemExit(f"--runs x (--warmup + --requests) = {needed} exceeds the {len(setup['spans'])} distinct spans")
    from django.db import connections

    connections.close_all()  # the client processes are forked: they must not share this connection
    server = start_gunicorn(free_port(), args.workers, args.threads, args.worker_class)
    port = int(server.args[server.args.index("--bind") + 1].rsplit(":", 1)[1])
    cpu = ServerCpu(server.pid)
    rounds, baseline, base_server, workdir = [], [], None, None
    try:
        if args.baseline:
            import tempfile

            workdir = tempfile.TemporaryDirectory(prefix="argmap-baseline-")
            tree = baseline_tree(args.baseline, Path(workdir.name))
            base_env = os.environ.copy() | {"DATABASE_URL": database_url()}
            base_server = start_gunicorn(free_port(), args.workers, args.threads, args.worker_class, cwd=tree, env=base_env)
            base_port = int(base_server.args[base_server.args.index("--bind") + 1].rsplit(":", 1)[1])
            base_cpu = ServerCpu(base_server.pid)
        for run in range(args.runs):
            load = os.getloadavg()[0]
            rounds.append(measure_once(port, setup, run, args, cpu))
            rounds[-1]["load"], rounds[-1]["load_end"] = load, os.getloadavg()[0]
            if base_server is not None:
                baseline.append(measure_once(base_port, setup, run, args, base_cpu, group=1, workspace=False))
                rounds[-1]["load_end"] = os.getloadavg()[0]
                print(f"  baseline: create1 {baseline[-1]['create_1']['rps']:.0f} req/s, create8 "
                      f"{baseline[-1]['create_8']['rps']:.0f} req/s, relation {baseline[-1]['relation_1']['rps']:.0f} "
                      f"req/s, list500 p50 {baseline[-1]['list_500']['p50']:.2f} ms", file=sys.stderr)
            print(f"run {run + 1}/{args.runs}: create1 {rounds[-1]['create_1']['rps']:.0f} req/s, "
                  f"create8 {rounds[-1]['create_8']['rps']:.0f} req/s, relation {rounds[-1]['relation_1']['rps']:.0f} req/s, "
                  f"list500 p50 {rounds[-1]['list_500']['p50']:.2f} ms", file=sys.stderr)
    finally:
        stop_gunicorn(server)
        if base_server is not None:
            stop_gunicorn(base_server)
        if workdir is not None:
            workdir.cleanup()
        if not args.keep:
            tear_down(setup["project_id"], prefix)
    print(report(rounds, setup, args, baseline or None))
    print(f"load average at end: {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min)")


if __name__ == "__main__":
    main()
