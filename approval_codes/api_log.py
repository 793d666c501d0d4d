"""What donors' keys did, recorded off the donor API's hot path.

Each answered request with a known key is `note`d: appended to a list in this process, which a
background thread moves to one Redis list about once a second (one round trip for a whole
batch, never one per request). `api_requests_flush` (a task every few seconds, also `manage.py
api_requests_flush`) moves them into the database: the donor area's request log (`ApiRequest`)
and, for a secret key's verify or redeem of a known code, the donor's `CodeSighting` of that
code, which decides the webhook events it is sent. Without Redis (the embedded defaults) the
entries wait in the process until a flush in that process.

Entries still waiting count for the webhooks too (`pending_sightings`), so a code verified a
moment before it is revoked is reported to that donor.
"""

import collections
import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from approval_codes.cache_client import redis_client

logger = logging.getLogger(__name__)

REDIS_KEY = "donor-api:requests"
MAX_WAITING = 50_000  # in one process; past that the oldest are dropped (and logged)
PUSH_INTERVAL_SECONDS = 1.0
FLUSH_BATCH = 5_000
KEEP_FOR = timedelta(days=30)

_waiting: collections.deque[str] = collections.deque(maxlen=MAX_WAITING)
_pusher_lock = threading.Lock()
_pusher: threading.Thread | None = None


def note(
    *,
    api_key_id: int,
    donor_id: int,
    operation: str,
    status_code: int,
    outcome: str = "",
    code_id: int | None = None,
    organisation_id: int | None = None,
    code_text: str = "",
    sighting: bool = False,
) -> None:
    """Record one request of a key. Cheap: an append, no I/O. `sighting` when it counts as the
    donor having used the code with its organisation (a secret key's verify or redeem)."""
    _waiting.append(
        json.dumps(
            [
                time.time(),
                api_key_id,
                donor_id,
                operation,
                status_code,
                outcome,
                code_id,
                organisation_id,
                code_text.strip()[-4:],
                bool(sighting and code_id),
            ],
            separators=(",", ":"),
        )
    )
    if _pusher is None or not _pusher.is_alive():
        _start_pusher()


def _start_pusher() -> None:
    global _pusher
    if redis_client() is None:
        return
    with _pusher_lock:
        if _pusher is None or not _pusher.is_alive():  # also after a fork: threads do not
            _pusher = threading.Thread(target=_push_forever, name="api-log-push", daemon=True)
            _pusher.start()


def _push_forever() -> None:
    while True:
        time.sleep(PUSH_INTERVAL_SECONDS)
        try:
            push_waiting()
        except Exception:  # never let the thread die; the entries stay waiting
            logger.warning("Could not push the API request log to Redis", exc_info=True)


def _drain_waiting() -> list[str]:
    entries = []
    while True:
        try:
            entries.append(_waiting.popleft())
        except IndexError:
            return entries


def push_waiting() -> int:
    """Move this process's waiting entries to Redis in one round trip. Returns how many."""
    client = redis_client()
    if client is None:
        return 0
    entries = _drain_waiting()
    if not entries:
        return 0
    try:
        client.rpush(REDIS_KEY, *entries)
    except Exception:
        _waiting.extendleft(reversed(entries))  # try again next time
        raise
    return len(entries)


def _take_from_redis(limit: int) -> list[str]:
    client = redis_client()
    if client is None:
        return []
    try:
        taken = client.lpop(REDIS_KEY, limit) or []
    except Exception:
        logger.warning("Could not read the API request log from Redis", exc_info=True)
        return []
    return [item.decode() if isinstance(item, bytes) else item for item in taken]


def _peek_redis() -> list[str]:
    client = redis_client()
    if client is None:
        return []
    try:
        return [item.decode() for item in client.lrange(REDIS_KEY, 0, -1)]
    except Exception:
        logger.warning("Could not read the API request log from Redis", exc_info=True)
        return []


def _parse(entry: str):
    at, key_id, donor_id, operation, status, outcome, code_id, org_id, tail, sighting = json.loads(
        entry
    )
    return {
        "at": datetime.fromtimestamp(at, tz=UTC),
        "api_key_id": key_id,
        "donor_id": donor_id,
        "operation": operation,
        "status_code": status,
        "outcome": outcome,
        "code_id": code_id,
        "organisation_id": org_id,
        "code_tail": tail,
        "sighting": sighting,
    }


def pending_sightings() -> set[tuple[int, int, int]]:
    """(donor id, code id, organisation id) of sightings not yet flushed, without taking them."""
    entries = [_parse(entry) for entry in [*list(_waiting), *_peek_redis()]]
    return {
        (entry["donor_id"], entry["code_id"], entry["organisation_id"])
        for entry in entries
        if entry["sighting"]
    }


def api_requests_flush(*, limit: int = FLUSH_BATCH) -> int:
    """Write waiting entries (this process's and Redis's) to the database, in batches of
    `limit`; safe to run at once in several processes (each entry is taken once). Returns how
    many were written."""
    from approval_codes.models import ApiKey, ApprovalCode

    written = 0
    local = _drain_waiting()
    while True:
        batch, local = local[:limit], local[limit:]
        if not batch:
            batch = _take_from_redis(limit)
        if not batch:
            return written
        entries = [_parse(entry) for entry in batch]
        keys = {e["api_key_id"] for e in entries}
        keys &= set(ApiKey.objects.filter(pk__in=keys).values_list("pk", flat=True))
        codes = {e["code_id"] for e in entries if e["sighting"]}
        codes &= set(ApprovalCode.objects.filter(pk__in=codes).values_list("pk", flat=True))
        entries = [e for e in entries if e["api_key_id"] in keys]  # a deleted key's are dropped
        _write(entries, codes=codes)
        written += len(batch)


@transaction.atomic
def _write(entries: list[dict], *, codes: set[int]) -> None:
    """One batch in one transaction: the requests, the sightings of the `codes` that still
    exist (a donor's first sighting of a code is kept), and each key's last use."""
    from approval_codes.models import ApiKey, ApiRequest, CodeSighting

    ApiRequest.objects.bulk_create(
        ApiRequest(
            donor_id=e["donor_id"],
            api_key_id=e["api_key_id"],
            at=e["at"],
            operation=e["operation"],
            status_code=e["status_code"],
            outcome=e["outcome"],
            code_tail=e["code_tail"],
        )
        for e in entries
    )
    CodeSighting.objects.bulk_create(
        (
            CodeSighting(
                donor_id=e["donor_id"],
                code_id=e["code_id"],
                organisation_id=e["organisation_id"],
                first_seen_at=e["at"],
            )
            for e in entries
            if e["sighting"] and e["code_id"] in codes
        ),
        ignore_conflicts=True,
    )
    last_used: dict = {}
    for e in entries:
        last_used[e["api_key_id"]] = max(last_used.get(e["api_key_id"], e["at"]), e["at"])
    for key_id, at in last_used.items():
        ApiKey.objects.filter(pk=key_id).exclude(last_used_at__gte=at).update(last_used_at=at)


def api_requests_prune(*, now=None) -> int:
    """Forget requests older than `KEEP_FOR`. Returns how many were deleted."""
    from approval_codes.models import ApiRequest

    now = now or timezone.now()
    deleted, _ = ApiRequest.objects.filter(at__lt=now - KEEP_FOR).delete()
    return deleted
