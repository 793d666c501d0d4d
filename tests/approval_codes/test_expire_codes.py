"""The expiry sweep: set-based, once per code, and never what validity waits for (R-CODE-3)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from approval_codes import jobs
from approval_codes.models import ApprovalCode, ExpirySweep
from clearinghouse.models import AuditEvent
from tests.approval_codes.jobs_helpers import make_code

pytestmark = pytest.mark.django_db


def _expired_events():
    return AuditEvent.objects.filter(verb=jobs.EXPIRED_VERB).order_by("pk")


def test_the_sweep_marks_codes_past_their_expiry_and_leaves_the_rest(organisation):
    past = make_code(organisation, expires_in=-timedelta(minutes=1))
    future = make_code(organisation, expires_in=timedelta(minutes=1))
    revoked = make_code(
        organisation, expires_in=-timedelta(days=1), status=ApprovalCode.Status.REVOKED
    )

    assert jobs.expire_codes() == 1

    past.refresh_from_db()
    assert past.status == ApprovalCode.Status.EXPIRED
    assert past.status_changed_at is not None
    assert ApprovalCode.objects.get(pk=future.pk).status == ApprovalCode.Status.ACTIVE
    assert ApprovalCode.objects.get(pk=revoked.pk).status == ApprovalCode.Status.REVOKED


def test_a_code_is_invalid_at_its_expiry_before_any_sweep(organisation):
    code = make_code(organisation, expires_in=-timedelta(seconds=1))
    assert code.status == ApprovalCode.Status.ACTIVE
    assert code.invalid_reason() == "expired"


def test_the_sweep_records_one_event_per_organisation_listing_its_codes(
    organisation, other_organisation
):
    ours = [make_code(organisation, expires_in=-timedelta(hours=1)) for _ in range(3)]
    theirs = make_code(other_organisation, expires_in=-timedelta(hours=1))

    jobs.expire_codes()

    events = {event.organisation_id: event for event in _expired_events()}
    assert set(events) == {organisation.pk, other_organisation.pk}
    assert events[organisation.pk].data == {"count": 3, "codes": [c.code for c in ours]}
    assert events[other_organisation.pk].data == {"count": 1, "codes": [theirs.code]}
    assert events[organisation.pk].target == Organisation.objects.get(pk=organisation.pk)
    assert events[organisation.pk].actor is None
    assert events[organisation.pk].actor_label == jobs.SWEEP_ACTOR


def test_running_the_sweep_twice_expires_and_records_each_code_once(organisation):
    codes = [make_code(organisation, expires_in=-timedelta(hours=1)) for _ in range(5)]

    assert jobs.expire_codes() == 5
    assert jobs.expire_codes() == 0

    recorded = [code for event in _expired_events() for code in event.data["codes"]]
    assert sorted(recorded) == sorted(code.code for code in codes)


def test_the_sweep_works_in_batches_with_a_fixed_number_of_queries_each(organisation):
    jobs.expire_codes()  # the first sweep writes the mark; later ones move it
    for _ in range(7):
        make_code(organisation, expires_in=-timedelta(hours=1))

    with CaptureQueriesContext(connection) as few:
        assert jobs.expire_codes(batch_size=100) == 7
    for _ in range(30):
        make_code(organisation, expires_in=-timedelta(hours=1))
    with CaptureQueriesContext(connection) as many:
        assert jobs.expire_codes(batch_size=100) == 30

    assert len(many) == len(few)  # not one query per code
    assert sum(event.data["count"] for event in _expired_events()) == 37


def test_a_small_batch_size_takes_several_batches_and_misses_nothing(organisation):
    for _ in range(7):
        make_code(organisation, expires_in=-timedelta(hours=1))

    assert jobs.expire_codes(batch_size=3) == 7

    assert [event.data["count"] for event in _expired_events()] == [3, 3, 1]
    assert not ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE).exists()


def test_the_portable_path_records_the_same_events(organisation):
    """On PostgreSQL the sweep is one SQL statement per batch; the ORM path must agree."""
    codes = [make_code(organisation, expires_in=-timedelta(hours=1)) for _ in range(2)]

    assert jobs._expire_batch(now=timezone.now(), after=None, batch_size=10)[0] == 2

    (event,) = _expired_events()
    assert event.data == {"count": 2, "codes": [c.code for c in codes]}
    assert event.organisation_id == organisation.pk


def test_the_sweep_uses_the_given_time(organisation):
    code = make_code(organisation, expires_in=timedelta(days=2))

    assert jobs.expire_codes(now=timezone.now() + timedelta(days=1)) == 0
    assert jobs.expire_codes(now=timezone.now() + timedelta(days=3)) == 1
    assert ApprovalCode.objects.get(pk=code.pk).status == ApprovalCode.Status.EXPIRED


def test_the_command_and_the_task_run_the_sweep(organisation):
    from approval_codes.tasks import expire_codes

    first = make_code(organisation, expires_in=-timedelta(hours=1))
    out = StringIO()
    call_command("expire_codes", stdout=out)
    assert "Expired 1 approval code(s)." in out.getvalue()
    second = make_code(organisation, expires_in=-timedelta(hours=1))
    expire_codes.delay()

    assert (
        ApprovalCode.objects.filter(
            pk__in=[first.pk, second.pk], status=ApprovalCode.Status.EXPIRED
        ).count()
        == 2
    )


def test_the_sweep_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "approval_codes.tasks.expire_codes",
        "approval_codes.tasks.approval_code_reminders_send",
        "approval_codes.tasks.due_webhooks_deliver",
    } <= tasks


@pytest.mark.sqlite  # on PostgreSQL, several workers are tested in test_jobs_concurrency
def test_without_row_locks_the_sweep_uses_one_worker(organisation):
    make_code(organisation, expires_in=-timedelta(hours=1))
    assert jobs.expire_codes(workers=4) == 1


def test_a_sweep_starts_near_where_the_last_stopped_and_still_finds_late_codes(organisation):
    """Codes that expired long before the last sweep are not read again; a code given an
    expiry just before it (within the overlap) is still swept."""
    jobs.expire_codes()
    long_ago = make_code(organisation, expires_in=-(jobs.SWEEP_OVERLAP + timedelta(hours=1)))
    late = make_code(organisation, expires_in=-timedelta(hours=1))

    assert jobs.expire_codes() == 1

    late.refresh_from_db()
    long_ago.refresh_from_db()
    assert late.status == ApprovalCode.Status.EXPIRED
    assert long_ago.status == ApprovalCode.Status.ACTIVE  # still invalid: its expiry has passed
    assert long_ago.invalid_reason() == "expired"


def test_a_sweep_for_an_earlier_time_never_moves_the_mark_back(organisation):
    now = timezone.now()
    jobs.expire_codes(now=now)
    jobs.expire_codes(now=now - timedelta(hours=2))
    assert ExpirySweep.objects.get().swept_until == now
