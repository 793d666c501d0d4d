"""Helpers for the door tests: a cheap fingerprint of the whole database, to prove that a
refused request changed nothing."""

import hashlib

from django.db import connection

# Written by signing in (force_login) and by the session machinery, never by the doors tested.
IGNORED_TABLES = frozenset({"django_session"})


def database_fingerprint() -> str:
    """A hash of every row of every table: one query per table, no ORM (cheap on the small
    databases tests build)."""
    digest = hashlib.blake2b(digest_size=16)
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()
