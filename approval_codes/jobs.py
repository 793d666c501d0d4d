"""The periodic jobs of approval codes: the expiry sweep and the expiry emails.

Each is idempotent and safe to run twice at once. Validity never waits for them: a code past
`expires_at` is invalid when asked (`ApprovalCode.invalid_reason`); the sweep only records it.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organisation
from approval_codes.emails import email_code_expired, email_code_expiring
from approval_codes.models import ApprovalCode, ExpirySweep
from clearinghouse.audit import record_event
from clearinghouse.models import AuditEvent

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 50_000
# Each sweep starts this long before where the last one stopped: codes given a past expiry
# since (demo data, staff fixes) and a batch of a concurrent sweep that rolled back are swept.
SWEEP_OVERLAP = timedelta(days=1)
SWEEP_ACTOR = "expiry sweep"
EXPIRED_VERB = "approval_code.expired"
REMINDER_DAYS = 7
NOTICE_WITHIN = timedelta(days=7)  # codes that expired longer ago than this get no notice

# --- The expiry sweep -----------------------------------------------------------------------


def expire_codes(now=None, *, batch_size: int | None = None, workers: int = 1) -> int:
    """Mark every active code with `expires_at <= now` expired; returns how many it marked.

    Set-based: each batch is one statement (PostgreSQL) or three (elsewhere), whatever its
    size, and records one audit event per organisation listing that batch's codes. A sweep
    starts a little before where the last one stopped (`ExpirySweep`) and walks the
    (expires_at, id) index forward, so it never rereads the codes of earlier sweeps. Batches
    are claimed with `FOR UPDATE SKIP LOCKED`, so two sweeps at once share the work and expire,
    and record, each code once; `workers` > 1 uses that on PostgreSQL to sweep a large backlog
    over several connections at once. Python holds at most one batch of ids, and on PostgreSQL
    none.
    """
    now = now or timezone.now()
    batch_size = batch_size or SWEEP_BATCH_SIZE
    mark = ExpirySweep.objects.filter(pk=1).values_list("swept_until", flat=True).first()
    start = (min(mark, now) - SWEEP_OVERLAP, 0) if mark else None
    if workers > 1 and connection.vendor == "postgresql":
        with ThreadPoolExecutor(max_workers=workers) as pool:
            expired = sum(
                pool.map(lambda _: _sweep_on_own_connection(now, start, batch_size), range(workers))
            )
    else:
        expired = _sweep(now=now, start=start, batch_size=batch_size)
    _advance_mark(now=now, expired=expired)
    return expired


def _advance_mark(*, now, expired: int) -> None:
    """Only forward: a slower sweep that started earlier never moves the mark back."""
    with transaction.atomic():
        mark, created = ExpirySweep.objects.select_for_update().get_or_create(
            pk=1,
            defaults={"swept_until": now, "finished_at": timezone.now(), "expired_count": expired},
        )
        if not created and mark.swept_until < now:
            mark.swept_until, mark.finished_at, mark.expired_count = now, timezone.now(), expired
            mark.save()


def _sweep(*, now, start, batch_size: int) -> int:
    """Batch after batch along (expires_at, id) from `start` (None: from the first code)."""
    expire_batch = _expire_batch_postgres if connection.vendor == "postgresql" else _expire_batch
    total = 0
    while True:
        with transaction.atomic():
            expired, start = expire_batch(now=now, after=start, batch_size=batch_size)
        if not expired:
            return total
        total += expired


def _sweep_on_own_connection(now, start, batch_size: int) -> int:
    try:
        return _sweep(now=now, start=start, batch_size=batch_size)
    finally:
        connection.close()  # each thread has its own connection; do not leave it open


# One statement (`_expire_batch_postgres`): claim a batch, expire it, audit it from its rows.
_EXPIRE_BATCH_SQL = """
WITH batch AS (
    SELECT id FROM {codes}
    WHERE (expires_at, id) > (%(after_expires_at)s, %(after_id)s)
      AND expires_at <= %(now)s AND status = %(active)s
    ORDER BY expires_at, id
    LIMIT %(batch_size)s
    FOR UPDATE SKIP LOCKED
), expired AS (
    UPDATE {codes}
    SET status = %(expired)s, status_changed_at = %(changed_at)s
    WHERE id IN (SELECT id FROM batch) AND status = %(active)s
    RETURNING id, code, organisation_id, expires_at
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
SELECT count(*), max(ARRAY[extract(epoch FROM expires_at), id])
FROM expired
"""


def _expire_batch_postgres(*, now, after, batch_size: int):
    """One statement: claim a batch, expire it, and insert its audit events from its rows.
    Returns how many it expired and the (expires_at, id) of the last, where the next starts.

    Only `status` and `status_changed_at` change, neither indexed: PostgreSQL updates the rows
    in place (HOT) without touching the indexes.
    """
    after_expires_at, after_id = after or (datetime.min.replace(tzinfo=UTC), 0)
    with connection.cursor() as cursor:
        cursor.execute(
            _EXPIRE_BATCH_SQL.format(
                codes=ApprovalCode._meta.db_table, events=AuditEvent._meta.db_table
            ),
            {
                "active": ApprovalCode.Status.ACTIVE,
                "expired": ApprovalCode.Status.EXPIRED,
                "now": now,
                "after_expires_at": after_expires_at,
                "after_id": after_id,
                "changed_at": timezone.now(),
                "batch_size": batch_size,
                "actor": SWEEP_ACTOR,
                "verb": EXPIRED_VERB,
                "organisation_type": ContentType.objects.get_for_model(Organisation).pk,
            },
        )
        count, last = cursor.fetchone()
    if not count:
        return 0, after
    return count, (datetime.fromtimestamp(float(last[0]), tz=UTC), int(last[1]))


def _expire_batch(*, now, after, batch_size: int):
    """The portable path (SQLite): the same batch and the same events with the ORM."""
    active = ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE)
    due = active.filter(expires_at__lte=now)
    if after is not None:
        after_expires_at, after_id = after
        due = due.filter(
            Q(expires_at__gt=after_expires_at) | Q(expires_at=after_expires_at, pk__gt=after_id)
        )
    batch = list(
        due.order_by("expires_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", "expires_at")[:batch_size]
    )
    if not batch:
        return 0, after
    ids = [pk for pk, _ in batch]
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
    last_id, last_expires_at = batch[-1]
    return expired, (last_expires_at, last_id)


# --- Reminder before expiry and notice after --------------------------------------------------


def approval_code_reminders_send(now=None) -> int:
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
            _email_about(code_id, email=email_code_expiring, verb="approval_code.reminded")
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
            _email_about(code_id, email=email_code_expired, verb="approval_code.expiry_notice")
            sent += 1
    return sent


def _email_about(code_id: int, *, email, verb: str) -> None:
    """Write to the representative and to whoever issued the code, in the issuer's language;
    an issuer who has since left the organisation is not told about its codes."""
    code = ApprovalCode.objects.select_related("organisation", "issued_by").get(pk=code_id)
    issuer = code.issued_by
    language = code.language or (issuer.language if issuer else None)
    recipients = [(code.email, False)]
    if (
        issuer
        and issuer.is_active
        and issuer.organisation_id == code.organisation_id
        and issuer.email.lower() != code.email.lower()
    ):
        recipients.append((issuer.email, True))
    for to, to_issuer in recipients:
        email(code, to=to, to_issuer=to_issuer, language=language)
    record_event(
        actor="expiry reminders",
        verb=verb,
        target=code,
        organisation=code.organisation,
        data={"to": [to for to, _ in recipients], "expires_at": code.expires_at.isoformat()},
    )
