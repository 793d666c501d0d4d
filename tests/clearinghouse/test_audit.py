import pytest

from clearinghouse.audit import events_for, record_event
from clearinghouse.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_event_records_who_did_what_to_which_object(organisation, holder):
    event = record_event(
        actor=holder,
        verb="thing.done",
        target=organisation,
        organisation=organisation,
        data={"why": "test"},
    )
    assert list(events_for(organisation)) == [event]
    assert (event.actor, event.actor_label, event.data) == (holder, holder.email, {"why": "test"})


def test_the_system_or_a_donor_can_be_the_actor(organisation):
    assert record_event(actor=None, verb="x", target=organisation).actor_label == "system"
    assert record_event(actor="donor:Microsoft", verb="x", target=organisation).actor_label == (
        "donor:Microsoft"
    )


def test_events_are_append_only(organisation):
    event = record_event(actor=None, verb="x", target=organisation)
    event.verb = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().verb == "x"


def test_admin_shows_the_trail_on_the_object_read_only(staff_client, organisation, holder):
    record_event(actor=holder, verb="organisation.created", target=organisation)
    response = staff_client.get(f"/admin/accounts/organisation/{organisation.pk}/change/")
    assert response.status_code == 200
    assert b"organisation.created" in response.content
    assert staff_client.get("/admin/clearinghouse/auditevent/add/").status_code == 403
