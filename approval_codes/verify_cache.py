"""The donor API's cached state in Redis: what verify needs about a key, a code and an
organisation, read in one round trip together with the key's rate count (`read`).

    <prefix>dapi:k:<sha256 of the key>   {"id", "donor_id", "kind", "test"}  or "-" (no such key)
    <prefix>dapi:c:<lookup>               "<organisation id>|{code fields}"   or "-" (no such code)
    <prefix>dapi:o:<organisation id>      {organisation fields, "eligible", "test"}

What is cached is state, never an answer: a code is cached once for both modes, and verify
compares the key's "test" with its organisation's on every request (`fast_verify`), so a test
key's cached read is never served to a live key or the other way round.

Every entry lives at most `APPROVAL_CODES_API_CACHE_SECONDS` (≤ 30 s). A change that verify
must see at once — a code revoked, replaced or issued, an organisation's status, a key revoked
or issued, a donor turned off — is written through after its transaction commits, so the next
verify on every web process sees it while Redis is up; if that write fails, the entry is stale
for at most the TTL. Expiry is not cached as a status: verify compares `expires_at` with now.
Without Redis as the cache this module does nothing and verify reads the database.
"""

import json
import logging
import math
import time
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from redis.exceptions import NoScriptError

from approval_codes import cache_client, ratelimit

logger = logging.getLogger(__name__)

MISSING = "-"


def ttl() -> int:
    seconds = int(getattr(settings, "APPROVAL_CODES_API_CACHE_SECONDS", 30))
    if not 1 <= seconds <= 30:
        raise ImproperlyConfigured("APPROVAL_CODES_API_CACHE_SECONDS must be between 1 and 30.")
    return seconds


# One round trip: the key's state; if the key exists, one more request counted in its rate
# window; the code's state and its organisation's.
_READ = """
local key = redis.call('GET', KEYS[1])
local count = 0
if key and key ~= '-' then
  count = redis.call('INCR', KEYS[3])
  if count == 1 then redis.call('EXPIRE', KEYS[3], ARGV[1]) end
end
local code = redis.call('GET', KEYS[2])
local organisation = false
if code and code ~= '-' then
  local id = string.match(code, '^(%d+)|')
  if id then organisation = redis.call('GET', ARGV[2] .. id) end
end
return {key or false, code or false, organisation or false, count}
"""

_prefix = None
_script_sha = None


def prefix() -> str:
    global _prefix
    if _prefix is None:
        _prefix = cache_client.key("dapi:")
    return _prefix


def _evalsha(client, keys: list[str], args: list) -> list:
    """EVALSHA straight through the client (redis-py's Script wrapper costs more CPU than the
    script itself); the script is loaded on first use and again if Redis lost it."""
    global _script_sha
    if _script_sha is None:
        _script_sha = client.script_load(_READ)
    try:
        return client.execute_command("EVALSHA", _script_sha, len(keys), *keys, *args)
    except NoScriptError:
        _script_sha = client.script_load(_READ)
        return client.execute_command("EVALSHA", _script_sha, len(keys), *keys, *args)


def enabled() -> bool:
    return cache_client.redis_client() is not None


def rate_key(key_hash: str, now: float) -> tuple[str, int, float]:
    """(the rate counter's key, the limit, seconds until the window ends)."""
    limit, period = ratelimit.parse_rate(settings.APPROVAL_CODES_API_RATE)
    window = int(now // period)
    return (
        cache_client.key(ratelimit.counter_name("api-key", key_hash, window)),  # as ratelimit.hit
        limit,
        max(1, math.ceil((window + 1) * period - now)),
    )


def read(*, key_hash: str, lookup: str, now: float):
    """One round trip: (key state, code state, organisation state, count in the rate window).
    States are the cached strings (None: not cached). Raises redis errors: the caller bypasses
    the cache then."""
    p = prefix()
    counter, _limit, _left = rate_key(key_hash, now)
    _, period = ratelimit.parse_rate(settings.APPROVAL_CODES_API_RATE)
    key, code, organisation, count = _evalsha(
        cache_client.redis_client(),
        [f"{p}k:{key_hash}", f"{p}c:{lookup}", counter],
        [period + 1, f"{p}o:"],
    )
    return _text(key), _text(code), _text(organisation), int(count)


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


# --- What is cached ---------------------------------------------------------------------------


def key_state(api_key) -> str:
    if api_key is None or api_key.revoked_at is not None or not api_key.donor.is_active:
        return MISSING
    return json.dumps(
        {
            "id": api_key.pk,
            "donor_id": api_key.donor_id,
            "kind": getattr(api_key, "kind", ""),
            "test": api_key.is_test,
        },
        separators=(",", ":"),
    )


def code_state(code) -> str:
    if code is None:
        return MISSING
    fields = {
        "id": code.pk,
        "code": code.code,
        "status": code.status,
        "expires": code.expires_at.timestamp(),
        "expires_at": code.expires_at.astimezone(UTC).isoformat(timespec="seconds"),
        "first_name": code.first_name,
        "last_name": code.last_name,
        "email": code.email,
    }
    return f"{code.organisation_id}|" + json.dumps(fields, separators=(",", ":"))


def organisation_state(organisation) -> str:
    return json.dumps(
        {
            "name": organisation.legal_name,
            "handle": organisation.handle,
            "country": organisation.country.code,
            "type": organisation.type,
            "validation_status": organisation.status,
            "eligible": organisation.is_eligible,
            "test": organisation.is_test,
        },
        separators=(",", ":"),
    )


def fill(*, key_hash: str | None = None, api_key=None, lookup: str | None = None, code=None):
    """Cache what verify read from the database after a miss (one round trip)."""
    client = cache_client.redis_client()
    p = prefix()
    pipe = client.pipeline(transaction=False)
    if key_hash is not None:
        pipe.set(f"{p}k:{key_hash}", key_state(api_key), ex=ttl())
    if lookup is not None:
        pipe.set(f"{p}c:{lookup}", code_state(code), ex=ttl())
        if code is not None:
            pipe.set(
                f"{p}o:{code.organisation_id}",
                organisation_state(code.organisation),
                ex=ttl(),
            )
    pipe.execute()


# --- Write-through after commit -----------------------------------------------------------------


def _write_through(build) -> None:
    """After the surrounding transaction commits, write the entries `build()` returns
    ({redis key: value}) — read again from the database, so what is cached is what committed.
    A failure is logged; the entries then go stale for at most the TTL."""
    if not enabled():
        return

    def write():
        try:
            write_entries(build())
        except Exception:
            logger.warning("Could not update the donor API's cache", exc_info=True)

    transaction.on_commit(write)


def write_entries(entries: dict[str, str]) -> None:
    pipe = cache_client.redis_client().pipeline(transaction=False)
    seconds = ttl()
    for name, value in entries.items():
        pipe.set(name, value, ex=seconds)
    pipe.execute()


def reset() -> None:
    """Forget the client, prefix and script (after the cache settings changed: tests)."""
    global _prefix, _script_sha
    _prefix = _script_sha = None
    cache_client.redis_client.cache_clear()
    ratelimit._redis_count_script.cache_clear()


def code_changed(code_id: int) -> None:
    def build():
        from approval_codes.models import ApprovalCode

        code = ApprovalCode.objects.select_related("organisation").get(pk=code_id)
        return {
            f"{prefix()}c:{code.lookup}": code_state(code),
            f"{prefix()}o:{code.organisation_id}": organisation_state(code.organisation),
        }

    _write_through(build)


def organisation_changed(organisation_id: int) -> None:
    def build():
        from accounts.models import Organisation

        organisation = Organisation.objects.get(pk=organisation_id)
        return {f"{prefix()}o:{organisation.pk}": organisation_state(organisation)}

    _write_through(build)


def api_keys_changed(**filters) -> None:
    """Keys matching `filters` (pk=…, or donor_id=…) changed: revoked, issued, donor off."""

    def build():
        from approval_codes.models import ApiKey

        keys = ApiKey.objects.filter(**filters).select_related("donor")
        return {f"{prefix()}k:{key.key_hash}": key_state(key) for key in keys}

    _write_through(build)


def connect_receivers() -> None:
    """Every save of a code, organisation, key or donor writes its entry through."""
    from django.core.signals import setting_changed
    from django.db.models.signals import post_save

    from accounts.models import Organisation
    from approval_codes.models import ApiKey, ApprovalCode, Donor

    written_through = [  # (sender, what changed given the saved row's pk, dispatch_uid suffix)
        (ApprovalCode, code_changed, "code"),
        (Organisation, organisation_changed, "organisation"),
        (ApiKey, lambda pk: api_keys_changed(pk=pk), "api_key"),
        (Donor, lambda pk: api_keys_changed(donor_id=pk), "donor"),
    ]
    for sender, changed, name in written_through:
        post_save.connect(
            _on_save(changed), sender=sender, weak=False, dispatch_uid=f"verify_cache.{name}"
        )
    setting_changed.connect(
        lambda sender, setting, **kw: setting == "CACHES" and reset(),
        weak=False,
        dispatch_uid="verify_cache.settings",
    )


def _on_save(changed):
    """A post_save receiver calling `changed(pk)` (one function each, bound here, not to the
    loop variable)."""
    return lambda sender, instance, **kw: changed(instance.pk)


def now() -> float:
    return time.time()
