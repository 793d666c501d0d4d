"""Donor API throughput against a trivial Django JSON view, on one gunicorn, one run.

    python bench/api.py            (or `make bench`)

On PostgreSQL (database `clearinghouse_bench`, created and migrated here) and Redis (the
rate limit's cache), it seeds an organisation, a code and a donor key, starts gunicorn with the
portal's settings plus `bench/urls.py`, and drives `POST /api/v1/codes/verify` and the trivial
view `/bench/json` with the same request from concurrent keep-alive clients. It prints both
rates, their ratio (target ≥ 0.8) and the queries verify makes.

Environment: BENCH_DATABASE_URL, BENCH_CACHE_URL, BENCH_SECONDS (per round, default 5),
BENCH_ROUNDS (3), BENCH_CLIENTS (4), BENCH_WORKERS (CPUs), BENCH_THREADS (2).
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

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clearinghouse_bench"
)
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "rediscache://127.0.0.1:6379/7")
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
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


def _client(request: bytes, expected: bytes, stop_at: float, results) -> None:
    """One keep-alive connection sending `request` until `stop_at`; counts good answers."""
    sock = socket.create_connection((HOST, PORT), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer, done, bad = b"", 0, 0
    while time.monotonic() < stop_at:
        sock.sendall(request)
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(65536)
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(buffer) < length:
            buffer += sock.recv(65536)
        buffer = buffer[length:]
        if head.startswith(expected):
            done += 1
        else:
            bad += 1
    sock.close()
    results.put((done, bad))


def measure(request: bytes, seconds: float) -> float:
    """Requests per second from CLIENTS concurrent connections over `seconds`."""
    results = multiprocessing.Queue()
    stop_at = time.monotonic() + seconds
    clients = [
        multiprocessing.Process(target=_client, args=(request, b"HTTP/1.1 200", stop_at, results))
        for _ in range(CLIENTS)
    ]
    start = time.monotonic()
    for client in clients:
        client.start()
    counts = [results.get(timeout=seconds + 30) for _ in clients]  # a broken client fails
    elapsed = time.monotonic() - start
    for client in clients:
        client.join()
    bad = sum(b for _, b in counts)
    if bad:
        raise SystemExit(f"{bad} answers were not 200 OK")
    return sum(d for d, _ in counts) / elapsed


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "clearinghouse.wsgi:application"),
            *("--bind", f"{HOST}:{PORT}", "--workers", str(WORKERS)),
            *("--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "30"),
            *("--log-level", "warning"),
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


def main():
    os.environ.update(SERVER_ENV)
    warnings.filterwarnings("ignore", "No directory at")
    create_database()
    import django

    django.setup()
    code, key = seed()
    queries = verify_query_count(code, key)
    from django.db import connections

    connections.close_all()

    body = json.dumps({"code": code}).encode()
    verify = request_bytes("/api/v1/codes/verify", body, key)
    trivial = request_bytes("/bench/json", body, key)
    server = start_server()
    try:
        measure(verify, 1.5)  # warm up: imports, connections, caches
        measure(trivial, 1.5)
        verify_rates, trivial_rates = [], []
        for _ in range(ROUNDS):  # interleaved, so drift hits both alike
            trivial_rates.append(measure(trivial, SECONDS))
            verify_rates.append(measure(verify, SECONDS))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    verify_rate = statistics.median(verify_rates)
    trivial_rate = statistics.median(trivial_rates)
    print(
        f"Donor API benchmark: gunicorn gthread {WORKERS} workers x {THREADS} threads, "
        f"{CLIENTS} keep-alive clients, {ROUNDS} rounds of {SECONDS:g} s (median), "
        f"PostgreSQL + Redis, DEBUG off"
    )
    print(f"  POST /api/v1/codes/verify   {verify_rate:8.0f} req/s")
    print(f"  trivial Django JSON view    {trivial_rate:8.0f} req/s")
    print(f"  ratio verify / trivial      {verify_rate / trivial_rate:8.2f}   (target >= 0.8)")
    print(f"  queries per verify          {queries:8d}   (target <= 2)")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  (load average {load} on {os.cpu_count()} CPUs: the server, PostgreSQL, Redis and")
    print("   the clients share them, so other work on the machine lowers the ratio)")


if __name__ == "__main__":
    main()
