"""The expiry sweep over 1,000,000 codes on PostgreSQL: time, rate, and memory.

    python bench/expire_codes.py            (or `make bench`)

Creates and migrates the database `clearinghouse_bench_sweep`, inserts codes that are past
their expiry but still active (INSERT … SELECT generate_series, spread over a few
organisations), and times `approval_codes.jobs.expire_codes` — the function the Celery task
and the management command call: at 100,000 and at 1,000,000 codes with one worker (what the
periodic task does), then at 1,000,000 with BENCH_SWEEP_WORKERS connections at once
(`expire_codes --workers`, for a large backlog). For each it prints the seconds (target:
under 10 s at 1,000,000), codes per second, the WAL written, and the sweep's peak Python
memory (tracemalloc) and growth of the process's peak RSS, to show that memory does not grow
with the number of codes.

Environment: BENCH_SWEEP_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/clearinghouse_bench_sweep), BENCH_SWEEP_SIZES (default
"100000,1000000"), BENCH_SWEEP_ORGANISATIONS (5), BENCH_SWEEP_BATCH_SIZE (the job's
default), BENCH_SWEEP_WORKERS (2; 1 skips that run).
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.environment import SELLER_ENV  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_SWEEP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clearinghouse_bench_sweep"
)
SIZES = [int(size) for size in os.environ.get("BENCH_SWEEP_SIZES", "100000,1000000").split(",")]
ORGANISATIONS = int(os.environ.get("BENCH_SWEEP_ORGANISATIONS", "5"))
WORKERS = int(os.environ.get("BENCH_SWEEP_WORKERS", "2"))
BATCH_SIZE = int(os.environ.get("BENCH_SWEEP_BATCH_SIZE", "0")) or None
TARGET_SECONDS = 10.0


def create_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    os.environ["DEBUG"] = "false"  # no query log kept in memory
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    for name, value in SELLER_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_organisations() -> list[int]:
    from accounts.models import Organisation, User
    from bench.page_data import organisation_new

    ids = []
    for number in range(ORGANISATIONS):
        holder = User.objects.create_user(f"holder{number}@bench.example.org")
        organisation = organisation_new(
            legal_name=f"Bench Organisation {number}",
            handle=f"BenchOrg{number}",
            status=Organisation.Status.APPROVED,
            account_holder=holder,
        )
        organisation.save(force_insert=True)
        ids.append(organisation.pk)
    return ids


def insert_expired_codes(count: int, organisation_ids: list[int]) -> float:
    """`count` active codes that expired an hour ago, in one INSERT … SELECT. Returns seconds."""
    from django.db import connection

    from approval_codes.models import ApprovalCode, ExpirySweep
    from clearinghouse.models import AuditEvent

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # CASCADE: an application may name a revocation event (empty here: no applications).
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table} CASCADE")
        cursor.execute(f"TRUNCATE {ExpirySweep._meta.db_table}")  # a first sweep: no mark
        cursor.execute(f"TRUNCATE {ApprovalCode._meta.db_table} CASCADE")
        cursor.execute(
            f"""
            INSERT INTO {ApprovalCode._meta.db_table}
                (code, lookup, organisation_id, status, expires_at, first_name, last_name,
                 email, language, created_at)
            SELECT 'bench' || n || '@' || organisation.handle,
                   lower('bench' || n || '@' || organisation.handle),
                   organisation.id, 'active', now() - interval '1 hour', 'Astrid', 'Lindgren',
                   'astrid@example.org', 'en', now() - interval '61 days'
            FROM generate_series(1, %s) AS n
            JOIN (
                SELECT id, handle, row_number() OVER (ORDER BY id) - 1 AS position
                FROM accounts_organisation WHERE id = ANY(%s)
            ) AS organisation ON organisation.position = n %% %s
            """,
            [count, organisation_ids, len(organisation_ids)],
        )
        # As a real table of old codes would be: vacuumed, analysed and on disk.
        cursor.execute(f"VACUUM ANALYZE {ApprovalCode._meta.db_table}")
        cursor.execute("CHECKPOINT")
    return time.perf_counter() - started


def wal_position() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return cursor.fetchone()[0]


def wal_bytes_since(position: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [position])
        return int(cursor.fetchone()[0])


def sweep(workers: int) -> tuple[int, float, int, int]:
    """Run the sweep. Returns (codes expired, seconds, peak traced bytes, RSS growth bytes)."""
    from approval_codes.jobs import expire_codes

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    expired = expire_codes(batch_size=BATCH_SIZE, workers=workers)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    return expired, seconds, peak, rss_growth


def main() -> None:
    create_database()
    setup_django()
    from approval_codes.jobs import SWEEP_BATCH_SIZE
    from approval_codes.models import ApprovalCode
    from clearinghouse.models import AuditEvent

    organisation_ids = make_organisations()
    print(f"expire_codes on PostgreSQL, batches of {BATCH_SIZE or SWEEP_BATCH_SIZE:,} codes")
    runs = [(size, 1) for size in SIZES]
    if WORKERS > 1:
        runs.append((SIZES[-1], WORKERS))
    results = []
    for size, workers in runs:
        insert_seconds = insert_expired_codes(size, organisation_ids)
        wal_before = wal_position()
        expired, seconds, peak, rss_growth = sweep(workers)
        wal = wal_bytes_since(wal_before)
        assert expired == size, f"expired {expired} of {size}"
        assert not ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE).exists()
        recorded = sum(e.data["count"] for e in AuditEvent.objects.only("data").iterator())
        assert recorded == size, f"recorded {recorded} of {size}"
        results.append((size, workers, seconds, peak))
        print(
            f"  {size:>9,} codes, {workers} worker(s): {seconds:6.2f} s  "
            f"{size / seconds:>9,.0f} codes/s  peak Python memory {peak / 2**20:5.2f} MiB  "
            f"RSS growth {rss_growth / 2**20:5.1f} MiB  WAL {wal / 2**30:4.2f} GiB  "
            f"(insert took {insert_seconds:.1f} s)"
        )
    for size, workers, seconds, _ in results:
        if size == SIZES[-1]:
            verdict = "under" if seconds < TARGET_SECONDS else "OVER"
            print(
                f"expire_codes over {size:,} codes with {workers} worker(s): {seconds:.2f} s, "
                f"{verdict} the {TARGET_SECONDS:.0f} s target"
            )
    single = [(size, peak) for size, workers, _, peak in results if workers == 1]
    if len(single) > 1:
        (first_size, first_peak), (last_size, last_peak) = single[0], single[-1]
        print(
            f"peak Python memory at {first_size:,} codes {first_peak / 2**20:.2f} MiB, "
            f"at {last_size:,} codes {last_peak / 2**20:.2f} MiB: "
            f"x{last_peak / first_peak:.2f} for x{last_size / first_size:.0f} the codes"
        )


if __name__ == "__main__":
    main()
