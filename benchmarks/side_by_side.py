"""The app beside the raw-handler baseline, under the same gunicorn settings.

Loads a generated corpus into a throwaway SQLite database (1,000 articles x
10 published claims, each with evidence and its feed entry), starts two
servers on loopback ports, each gunicorn with 5 sync workers: the app with
its production settings (DEBUG off) and the raw handler in
benchmarks/baseline/. It compares the raw handler's JSON with the app's and
says where they differ (the raw handler serves the claim shape of an earlier
version, without the fields added since), then runs wrk -t2 -c16 on each
endpoint, alternating the servers round after round, and prints req/s, p50
and p99 (medians over rounds) and the ratio to the raw handler. Then the
same endpoints on a corpus of 100,000 claims (10,000 articles), and the
ratio of throughput between the two sizes; and the time a consumer takes to
sync the whole feed with expand=claim. The app runs twice at 10,000 claims:
with its page cache off ("app": every answer built, as after a write) and as
deployed ("cached": wrk repeats one URL, so these are page-cache hits); at
100,000 claims only the first, which is what the corpus size can change.

Needs wrk (apt-get install wrk). BENCH_SECONDS (5) per run, BENCH_ROUNDS (2),
BENCH_REDIS_URL (unset: the database cache) for the app's shared caches.
The throttles are raised for the run: wrk is one client hammering the API.

Run: make bench, or python benchmarks/side_by_side.py from the project root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
ANNO_ACCEPT = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def load(database: Path, articles: int, per_article: int) -> None:
    """Runs in a child process: migrate and fill ``database``."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tests.factories import published_corpus

    call_command("migrate", verbosity=0)
    # Throttle counters live in the database cache without Redis.
    call_command("createcachetable", verbosity=0)
    published_corpus(articles, per_article)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(app: str, database: Path, **env: str):
    port = free_port()
    environ = {
        **os.environ,
        # BENCH_REDIS_URL: the app's shared caches (throttle counters, pages)
        # in Redis, as in production; unset, the throttles write the SQLite
        # cache table on every request.
        **(
            {"REDIS_URL": os.environ["BENCH_REDIS_URL"]}
            if os.environ.get("BENCH_REDIS_URL")
            else {}
        ),
        "DATABASE_URL": f"sqlite:///{database}",
        "RAW_DATABASE": str(database),
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    process = subprocess.Popen(
        # One thread per worker: gunicorn.conf.py's threads would turn "sync"
        # into gthread, and the raw handler shares one SQLite connection.
        [GUNICORN, app, "--workers", "5", "--worker-class", "sync", "--threads", "1",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120",
         "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=environ,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/v1/changes/?limit=1", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{app} did not start")
        # Every worker loads its URL map and templates on its first requests.
        subprocess.run(
            ["wrk", "-t2", "-c16", "-d2s", f"{base}/api/v1/claims/?page_size=50"],
            capture_output=True,
            check=True,
        )
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: dict[str, str]) -> dict[str, float]:
    command = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])}
    for name, label in (("p50", "50%"), ("p99", "99%")):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output).groups()
        result[name] = float(value) * UNITS[unit]
    return result


def endpoints(database: Path) -> list[tuple[str, str, dict[str, str], bool]]:
    """(label, path, headers, whether the raw handler serves it)."""
    import sqlite3

    with sqlite3.connect(database) as db:
        article = db.execute("SELECT min(id) FROM annotations_article").fetchone()[0]
        claim = db.execute("SELECT max(id) FROM annotations_claim").fetchone()[0]
    return [
        ("GET /api/v1/claims/?page_size=50", "/api/v1/claims/?page_size=50", {}, True),
        ("GET /api/v1/claims/?page_size=200", "/api/v1/claims/?page_size=200", {}, True),
        ("GET /api/v1/claims/{id}/", f"/api/v1/claims/{claim}/", {}, True),
        (
            "GET /api/v1/articles/{id}/annotations/ (W3C, 10)",
            f"/api/v1/articles/{article}/annotations/",
            {"Accept": ANNO_ACCEPT},
            True,
        ),
        ("GET /api/v1/changes/?after=0 (first page)", "/api/v1/changes/?after=0", {}, True),
        ("GET /api/v1/articles/ (50, with counts)", "/api/v1/articles/", {}, False),
    ]


def same_json(app: str, raw: str, points) -> None:
    for label, path, headers, served in points:
        if not served:
            continue
        ours = json.loads(fetch(app + path, headers).decode().replace(app, "ORIGIN"))
        theirs = json.loads(fetch(raw + path, headers).decode().replace(raw, "ORIGIN"))
        if ours != theirs:
            print(f"the raw handler's answer differs from the app's: {label}")


def measure(servers: dict[str, str], points) -> dict[tuple[str, str], dict[str, float]]:
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    names = list(servers)
    for round_number in range(ROUNDS):
        # Alternate the order so neither side always runs on a warmer machine.
        order = names if round_number % 2 == 0 else names[::-1]
        for label, path, headers, served in points:
            for name in order:
                if name == "raw" and not served:
                    continue
                runs.setdefault((label, name), []).append(wrk(servers[name] + path, headers))
    return {
        key: {k: statistics.median(run[k] for run in values) for k in ("rps", "p50", "p99")}
        for key, values in runs.items()
    }


def sync_seconds(base: str) -> tuple[float, int, int]:
    url, requests, live = f"{base}/api/v1/changes/?after=0&limit=1000&expand=claim", 0, set()
    started = time.perf_counter()
    while True:
        page = json.loads(fetch(url, {}))
        requests += 1
        for entry in page["results"]:
            if entry["claim_data"]["status"] == "retracted":
                live.discard(entry["claim"])
            else:
                live.add(entry["claim"])
        if not page["results"]:
            return time.perf_counter() - started, requests, len(live)
        url = page["next"]


def cell(result: dict[str, float] | None) -> str:
    if result is None:
        return " | "
    return f"{result['rps']:,.0f} | {result['p50']:.1f} / {result['p99']:.1f} "


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("The side-by-side runner needs wrk: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    small, large = work / "small.sqlite3", work / "large.sqlite3"
    try:
        for path, articles in ((small, 1000), (large, 10000)):
            started = time.perf_counter()
            subprocess.run(
                [PYTHON, __file__, "--load", str(path), str(articles), "10"], check=True, cwd=ROOT
            )
            print(
                f"corpus {articles * 10:,} claims loaded in {time.perf_counter() - started:.0f} s"
            )
        results = {}
        for path, size in ((small, "10k"), (large, "100k")):
            points = endpoints(path)
            with ExitStack() as stack:
                # "app" builds every answer (its page cache off: the cost of a
                # miss, as after each write); "cached" is the app as deployed,
                # whose repeated requests are page-cache hits.
                servers = {
                    "app": stack.enter_context(
                        server("factcheck.wsgi", path, FACTCHECK_PAGE_CACHE_SECONDS="0")
                    ),
                }
                if size == "10k":
                    servers["cached"] = stack.enter_context(server("factcheck.wsgi", path))
                    servers["raw"] = stack.enter_context(
                        server("benchmarks.baseline.raw_handler:app", path)
                    )
                    same_json(servers["app"], servers["raw"], points)
                    seconds, requests, live = sync_seconds(servers["app"])
                    print(
                        f"Full feed sync with expand=claim: {live:,} claims, {requests} requests,"
                        f" {seconds:.1f} s"
                    )
                results[size] = measure(servers, points)
        print(
            f"\nSQLite, gunicorn 5 sync workers each, wrk -t2 -c16 -d{SECONDS}s, {ROUNDS} "
            "alternating rounds (medians); latency p50 / p99 in ms; corpus of 10,000 claims.\n"
        )
        print(
            "| request | app req/s | p50 / p99 | raw handler req/s | p50 / p99 | app / raw "
            "| app, cache hits req/s | p50 / p99 | hits / raw |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for label, *_ in endpoints(small):
            app = results["10k"].get((label, "app"))
            raw = results["10k"].get((label, "raw"))
            hits = results["10k"].get((label, "cached"))
            ratio = f"{app['rps'] / raw['rps']:.0%}" if raw else "-"
            hit_ratio = f"{hits['rps'] / raw['rps']:.0%}" if raw else "-"
            print(f"| `{label}` | {cell(app)}| {cell(raw)}| {ratio} | {cell(hits)}| {hit_ratio} |")
        print("\nThroughput at 100,000 claims relative to 10,000 (same endpoints):\n")
        print("| request | app 10k → 100k |")
        print("|---|---|")
        for label, *_ in endpoints(small):
            before, after = results["10k"][(label, "app")], results["100k"][(label, "app")]
            ratio = after["rps"] / before["rps"]
            print(f"| `{label}` | {before['rps']:,.0f} → {after['rps']:,.0f} ({ratio:.2f}x) |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--load"]:
        load(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
