"""The periodic jobs of approval codes: the expiry sweep and the expiry emails.

Each is idempotent and safe to run twice at once. Validity never waits for them: a code past
`expires_at` is invalid when asked (`ApprovalCode.invalid_reason`); the sweep only records it.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organisation
from approval_codes.models import ApprovalCode
from clearinghouse.audit import record_event
from clearinghouse.mail import send_email
from clearinghouse.models import AuditEvent

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 50_000
SWEEP_ACTOR = "expiry sweep"
EXPIRED_VERB = "approval_code.expired"
REMINDER_DAYS = 7
NOTICE_WITHIN = timedelta(days=7)  # codes that expired longer ago than this get no notice

# --- The expiry sweep -----------------------------------------------------------------------


def expire_codes(now=None, *, batch_size: int | None = None, workers: int = 1) -> int:
    """Mark every active code with `expires_at <= now` expired; returns how many it marked.

    Set-based: each batch is one statement (PostgreSQL) or three (elsewhere), whatever its
    size, and records one audit event per organisation listing that batch's codes. Batches are
    claimed with `FOR UPDATE SKIP LOCKED`, so two sweeps at once share the work and expire, and
    record, each code once; `workers` > 1 uses that on PostgreSQL to sweep a large backlog
    over several connections at once. Python holds at most one batch of ids, and on PostgreSQL
    none.
    """
    now = now or timezone.now()
    batch_size = batch_size or SWEEP_BATCH_SIZE
    if workers > 1 and connection.vendor == "postgresql":
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return sum(
                pool.map(lambda _: _sweep_on_own_connection(now, batch_size), range(workers))
            )
    return _sweep(now=now, batch_size=batch_size)


def _sweep(*, now, batch_size: int) -> int:
    expire_batch = _expire_batch_postgres if connection.vendor == "postgresql" else _expire_batch
    total = 0
    while True:
        with transaction.atomic():
            expired = expire_batch(now=now, batch_size=batch_size)
        if not expired:
            return total
        total += expired


def _sweep_on_own_connection(now, batch_size: int) -> int:
    try:
        return _sweep(now=now, batch_size=batch_size)
    finally:
        connection.close()  # each thread has its own connection; do not leave it open


def _expire_batch_postgres(*, now, batch_size: int) -> int:
    """One statement: claim a batch, expire it, and insert its audit events from its rows.

    The batch is found on the (status, expires_at) index, oldest first, and its rows are
    updated through the primary key (`= ANY(ARRAY(...))`), so no batch scans the whole table.
    """
    codes = ApprovalCode._meta.db_table
    events = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expired AS (
                UPDATE {codes}
                SET status = %(expired)s, status_changed_at = %(changed_at)s
                WHERE id = ANY(ARRAY(
                    SELECT id FROM {codes}
                    WHERE status = %(active)s AND expires_at <= %(now)s
                    ORDER BY expires_at
                    LIMIT %(batch_size)s
                    FOR UPDATE SKIP LOCKED
                ))
                AND status = %(active)s
                RETURNING id, code, organisation_id
            ), audit AS (
                INSERT INTO {events}
                    (created_at, actor_id, actor_label, verb, target_type_id, target_id,
                     organisation_id, data)
                SELECT %(changed_at)s, NULL, %(actor)s, %(verb)s, %(organisation_type)s,
                       organisation_id, organisation_id,
                       jsonb_build_object('count', count(*), 'codes', jsonb_agg(code ORDER BY id))
                FROM expired
                GROUP BY organisation_id
            )
            SELECT count(*) FROM expired
            """,
            {
                "active": ApprovalCode.Status.ACTIVE,
                "expired": ApprovalCode.Status.EXPIRED,
                "now": now,
                "changed_at": timezone.now(),
                "batch_size": batch_size,
                "actor": SWEEP_ACTOR,
                "verb": EXPIRED_VERB,
                "organisation_type": ContentType.objects.get_for_model(Organisation).pk,
            },
        )
        return cursor.fetchone()[0]


def _expire_batch(*, now, batch_size: int) -> int:
    """The portable path (SQLite): the same batch and the same events with the ORM."""
    active = ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE)
    ids = list(
        active.filter(expires_at__lte=now)
        .order_by("expires_at")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return 0
    rows = list(active.filter(pk__in=ids).order_by("pk").values_list("code", "organisation_id"))
    changed_at = timezone.now()
    expired = active.filter(pk__in=ids).update(
        status=ApprovalCode.Status.EXPIRED, status_changed_at=changed_at
    )
    by_organisation: dict[int, list[str]] = {}
    for code, organisation_id in rows:
        by_organisation.setdefault(organisation_id, []).append(code)
    organisation_type = ContentType.objects.get_for_model(Organisation)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_label=SWEEP_ACTOR,
            verb=EXPIRED_VERB,
            target_type=organisation_type,
            target_id=organisation_id,
            organisation_id=organisation_id,
            data={"count": len(codes), "codes": codes},
        )
        for organisation_id, codes in by_organisation.items()
    )
    return expired


# --- Reminder before expiry and notice after --------------------------------------------------


def expiry_reminders_send(now=None) -> int:
    """Email the representative and the issuer 7 days before a code expires, and again when it
    has expired, each once per code. Returns how many codes were written about."""
    now = now or timezone.now()
    return _send_reminders(now=now) + _send_notices(now=now)


def _send_reminders(*, now) -> int:
    due = ApprovalCode.objects.filter(
        status=ApprovalCode.Status.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=REMINDER_DAYS),
        expiry_reminder_sent_at__isnull=True,
    )
    sent = 0
    for code_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = due.filter(pk=code_id).update(expiry_reminder_sent_at=now)
            if claimed != 1:
                continue  # another run has it, or the code changed meanwhile
            _email_about(code_id, name="approval-code-expiring", verb="approval_code.reminded")
            sent += 1
    return sent


def _send_notices(*, now) -> int:
    due = ApprovalCode.objects.filter(
        status__in=[ApprovalCode.Status.ACTIVE, ApprovalCode.Status.EXPIRED],
        expires_at__lte=now,
        expires_at__gt=now - NOTICE_WITHIN,
        expiry_notice_sent_at__isnull=True,
    )
    sent = 0
    for code_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # A code that expired before its reminder went out gets only the notice.
            claimed = due.filter(pk=code_id).update(
                expiry_notice_sent_at=now,
                expiry_reminder_sent_at=Coalesce(F("expiry_reminder_sent_at"), Value(now)),
            )
            if claimed != 1:
                continue
            _email_about(code_id, name="approval-code-expired", verb="approval_code.expiry_notice")
            sent += 1
    return sent


def _email_about(code_id: int, *, name: str, verb: str) -> None:
    """Write to the representative and to whoever issued the code, in the issuer's language;
    an issuer who has since left the organisation is not told about its codes."""
    code = ApprovalCode.objects.select_related("organisation", "issued_by").get(pk=code_id)
    issuer = code.issued_by
    language = issuer.language if issuer else None
    recipients = [(code.email, False)]
    if (
        issuer
        and issuer.is_active
        and issuer.organisation_id == code.organisation_id
        and issuer.email.lower() != code.email.lower()
    ):
        recipients.append((issuer.email, True))
    for to, to_issuer in recipients:
        send_email(
            name=name,
            to=to,
            language=language,
            context={
                "code": code,
                "organisation": code.organisation,
                "to_issuer": to_issuer,
                "issuer": issuer,
            },
        )
    record_event(
        actor="expiry reminders",
        verb=verb,
        target=code,
        organisation=code.organisation,
        data={"to": [to for to, _ in recipients], "expires_at": code.expires_at.isoformat()},
    )
