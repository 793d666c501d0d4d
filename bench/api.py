"""Donor API throughput and latency against trivial Django views, on one gunicorn, one run;
and how the pages people wait on grow with their data.

    python bench/api.py            (or `make bench`)

On PostgreSQL (database `clearinghouse_bench`, created and migrated here) and Redis (the cache:
rate limits and verify's cached state), it seeds an organisation, a code and a donor key,
starts gunicorn with the portal's settings plus `bench/urls.py`, and drives, interleaved:
`POST /api/v1/codes/verify`, the trivial view through the whole middleware stack
(`/bench/json`, what the target is measured against) and the same trivial view on the donor
API's fast path (`/api/v1/codes/bench-json`, the floor), with the same request from
concurrent keep-alive clients. Then verify's p50/p99 latency at 4, 16 and 64 clients, its
throughput with 1 and 2 workers, and the p50/p99 of the codes list with 100 and 10,000 codes
and of the admin validation queue with 1,000 and 100,000 applications. Prints a table and
writes everything to `bench/results.json`.

Environment: BENCH_DATABASE_URL, BENCH_CACHE_URL, BENCH_SECONDS (per round, default 5),
BENCH_ROUNDS (3), BENCH_CLIENTS (4), BENCH_WORKERS (2), BENCH_THREADS (2), BENCH_PORT,
BENCH_PAGES (1; 0 skips the page measurements and their seeding).
"""

import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import page_data  # noqa: E402
from bench.environment import SELLER_ENV  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clearinghouse_bench"
)
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "rediscache://127.0.0.1:6379/7")
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PAGES = os.environ.get("BENCH_PAGES", "1") != "0"
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": CACHE_URL,
    "APPROVAL_CODES_API_RATE": "1000000000/minute",  # counted as always, never refused
    "LOG_LEVEL": "WARNING",
    "REQUIRE_STAFF_MFA": "false",
    **SELLER_ENV,
    "PYTHONWARNINGS": "ignore:No directory at",  # no collectstatic needed for the API
}


def create_database():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        check=True,
    )
    if PAGES:  # the pages render with the manifest of collected static files
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, **SERVER_ENV},
            check=True,
        )


def seed() -> tuple[str, str]:
    """(a valid code, a donor key), made through the services."""
    from accounts.models import Organisation, User
    from approval_codes.models import Donor
    from approval_codes.services import api_key_issue, approval_code_issue

    holder, _ = User.objects.get_or_create(email="bench-holder@clearinghouse.test")
    organisation, _ = Organisation.objects.get_or_create(
        handle="BenchOrg",
        defaults={
            "legal_name": "Bench Organisation",
            "country": "SE",
            "type": Organisation.Type.NONPROFIT,
            "registration_number": "802456-5789",
            "address": "Storgatan 1",
            "account_holder": holder,
            "status": Organisation.Status.APPROVED,
        },
    )
    code = approval_code_issue(
        organisation=organisation,
        issued_by=holder,
        first_name="Bench",
        last_name="Mark",
        email="bench@example.org",
        authorised=True,
    )
    donor, _ = Donor.objects.get_or_create(name="Bench donor", defaults={"slug": "bench-donor"})
    _api_key, key = api_key_issue(donor=donor, name="bench")
    return code.code, key


def verify_query_count(code: str, key: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {"Authorization": f"Bearer {key}"}
    body = json.dumps({"code": code})
    client.post("/api/v1/codes/verify", body, content_type="application/json", headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/codes/verify", body, content_type="application/json", headers=headers
        )
    assert response.status_code == 200 and response.json()["valid"], response.content
    return len(queries)


def request_bytes(path: str, body: bytes, key: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def get_bytes(path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nCookie: {cookie}\r\n"
        "Accept-Language: en\r\n\r\n"
    ).encode()


def _client(request: bytes, expected: bytes, stop_at: float, results, timed: bool) -> None:
    """One keep-alive connection sending `request` until `stop_at`; counts good answers and,
    if `timed`, keeps each answer's latency."""
    sock = socket.create_connection((HOST, PORT), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer, done, bad, latencies = b"", 0, 0, []
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        sock.sendall(request)
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(65536)
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(buffer) < length:
            buffer += sock.recv(65536)
        buffer = buffer[length:]
        if timed:
            latencies.append(time.perf_counter() - started)
        if head.startswith(expected):
            done += 1
        else:
            bad += 1
    sock.close()
    results.put((done, bad, latencies))


def measure(request: bytes, seconds: float, clients: int = CLIENTS, timed: bool = False):
    """(requests per second, latencies) from `clients` concurrent connections."""
    results = multiprocessing.Queue()
    stop_at = time.monotonic() + seconds
    processes = [
        multiprocessing.Process(
            target=_client, args=(request, b"HTTP/1.1 200", stop_at, results, timed)
        )
        for _ in range(clients)
    ]
    start = time.monotonic()
    for process in processes:
        process.start()
    counts = [results.get(timeout=seconds + 60) for _ in processes]  # a broken client fails
    elapsed = time.monotonic() - start
    for process in processes:
        process.join()
    bad = sum(b for _, b, _ in counts)
    if bad:
        raise SystemExit(f"{bad} answers were not 200 OK")
    latencies = sorted(latency for _, _, values in counts for latency in values)
    return sum(d for d, _, _ in counts) / elapsed, latencies


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(share * len(values)))] * 1000  # ms


def start_server(workers: int = WORKERS) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "clearinghouse.wsgi:application"),
            *("--bind", f"{HOST}:{PORT}", "--workers", str(workers)),
            *("--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "30"),
            *("--backlog", "256", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )
    for _ in range(100):
        try:
            socket.create_connection((HOST, PORT)).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def main():
    os.environ.update(SERVER_ENV)
    warnings.filterwarnings("ignore", "No directory at")
    create_database()
    import django

    django.setup()
    code, key = seed()
    queries = verify_query_count(code, key)
    pages = page_data.seed_pages() if PAGES else []
    from django.db import connections

    connections.close_all()

    body = json.dumps({"code": code}).encode()
    requests = {
        "verify": request_bytes("/api/v1/codes/verify", body, key),
        "trivial": request_bytes("/bench/json", body, key),
        "fast_trivial": request_bytes("/api/v1/codes/bench-json", body, key),
    }
    server = start_server()
    try:
        rates, latency, page_latency = _measure(requests, pages)
    finally:
        stop_server(server)
    by_workers = _by_workers(requests["verify"], rates)
    figures = {
        "rates": rates,
        "latency": latency,
        "pages": page_latency,
        "by_workers": by_workers,
        "queries": queries,
        **{name: statistics.median(values) for name, values in rates.items()},
    }
    _print_table(figures)
    _write_results(figures)


def _measure(requests: dict[str, bytes], pages):
    """On the running server: the interleaved rounds (req/s of each request), verify's
    latency at 4, 16 and 64 clients, and each page's latency from one client."""
    for request in requests.values():  # warm up: imports, connections, caches
        measure(request, 1.5)
    rates: dict[str, list[float]] = {"verify": [], "trivial": [], "fast_trivial": []}
    for _ in range(ROUNDS):  # interleaved, so drift hits all alike
        for name in ("trivial", "fast_trivial", "verify"):
            rates[name].append(measure(requests[name], SECONDS)[0])
    latency = {}
    for clients in (4, 16, 64):
        _rate, latencies = measure(requests["verify"], SECONDS, clients=clients, timed=True)
        latency[clients] = (percentile(latencies, 0.5), percentile(latencies, 0.99))
    page_latency = {}
    for label, path, cookie, applications in pages:
        if applications is not None:
            page_data.applications_total(applications)
        request = get_bytes(path, cookie)
        measure(request, 1.0, clients=1)
        _rate, latencies = measure(request, SECONDS, clients=1, timed=True)
        page_latency[label] = (percentile(latencies, 0.5), percentile(latencies, 0.99))
    return rates, latency, page_latency


def _by_workers(verify: bytes, rates) -> dict[int, float]:
    """Verify's req/s with the configured workers (from the rounds) and with the other count."""
    by_workers = {WORKERS: statistics.median(rates["verify"])}
    other = 1 if WORKERS != 1 else 2
    server = start_server(workers=other)
    try:
        measure(verify, 1.5)
        by_workers[other] = statistics.median(
            [measure(verify, SECONDS)[0] for _ in range(max(1, ROUNDS - 1))]
        )
    finally:
        stop_server(server)
    return by_workers


def _print_table(f: dict) -> None:
    verify_rate, trivial_rate, fast_rate = f["verify"], f["trivial"], f["fast_trivial"]
    print(
        f"Donor API benchmark: gunicorn gthread {WORKERS} workers x {THREADS} threads, "
        f"{CLIENTS} keep-alive clients, {ROUNDS} rounds of {SECONDS:g} s (median), "
        f"PostgreSQL + Redis, DEBUG off"
    )
    print(f"  POST /api/v1/codes/verify           {verify_rate:8.0f} req/s")
    print(f"  trivial view, whole stack           {trivial_rate:8.0f} req/s")
    print(
        f"  trivial view, API fast path         {fast_rate:8.0f} req/s"
        f"   ({fast_rate / trivial_rate:.2f} x the whole stack; the floor)"
    )
    print(
        f"  ratio verify / trivial              {verify_rate / trivial_rate:8.2f}   (target >= 0.8)"
    )
    print(f"  ratio verify / fast-path trivial    {verify_rate / fast_rate:8.2f}")
    print(f"  SQL queries per verify (cached)     {f['queries']:8d}")
    print("  verify latency             p50 ms    p99 ms")
    for clients, (p50, p99) in f["latency"].items():
        print(f"    {clients:>3} clients            {p50:9.2f} {p99:9.2f}")
    for workers, rate in sorted(f["by_workers"].items()):
        print(f"  verify, {workers} worker(s)            {rate:8.0f} req/s")
    if f["pages"]:
        print("  pages (1 client)                                 p50 ms    p99 ms")
        for label, (p50, p99) in f["pages"].items():
            print(f"    {label:<44} {p50:9.1f} {p99:9.1f}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  (load average {load} on {os.cpu_count()} CPUs: the server, PostgreSQL, Redis and")
    print("   the clients share them, so other work on the machine lowers the ratio)")


def _write_results(f: dict) -> None:
    setup = {"workers": WORKERS, "threads": THREADS, "clients": CLIENTS, "rounds": ROUNDS}
    results = {
        "setup": {**setup, "seconds": SECONDS, "cpus": os.cpu_count()},
        "verify_rps": round(f["verify"]),
        "trivial_rps": round(f["trivial"]),
        "fast_path_trivial_rps": round(f["fast_trivial"]),
        "ratio_verify_to_trivial": round(f["verify"] / f["trivial"], 3),
        "ratio_verify_to_fast_path_trivial": round(f["verify"] / f["fast_trivial"], 3),
        "rounds": {name: [round(r) for r in values] for name, values in f["rates"].items()},
        "sql_queries_per_cached_verify": f["queries"],
        "verify_latency_ms": {
            str(c): {"p50": round(p50, 2), "p99": round(p99, 2)}
            for c, (p50, p99) in f["latency"].items()
        },
        "verify_rps_by_workers": {str(w): round(r) for w, r in sorted(f["by_workers"].items())},
        "pages_latency_ms": {
            label: {"p50": round(p50, 1), "p99": round(p99, 1)}
            for label, (p50, p99) in f["pages"].items()
        },
        "load_average": os.getloadavg(),
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print("  written to bench/results.json")


if __name__ == "__main__":
    main()
