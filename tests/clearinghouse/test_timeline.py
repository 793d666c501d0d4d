"""Admin reads the audit trail as a timeline (issue 13, item 8): a translated sentence per verb,
times in the staff member's zone, links only where the staff member may look, raw data
collapsed."""

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import strip_tags

from clearinghouse.audit import record_event
from clearinghouse.models import AuditEvent
from clearinghouse.staff_groups import BILLING
from clearinghouse.timeline import FALLBACK, SENTENCES, sentence
from orders.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APPS = ["accounts", "approval_codes", "catalog", "clearinghouse", "orders", "validation"]
_LITERAL = re.compile(r'"([a-z_]+\.[a-z_]+)"')


def _verbs_in_the_code() -> set[str]:
    """Every verb literal on a line that passes or names a verb, plus the order transitions
    (`f"orders.order_{to}"`, one per status an order moves to)."""
    verbs = set()
    for app in APPS:
        for source in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            for line in source.read_text().splitlines():
                if re.search(r"verb", line, re.IGNORECASE) and "filter(" not in line:
                    verbs.update(_LITERAL.findall(line))
    verbs |= {f"orders.order_{status}" for status in Order.Status.values if status != "submitted"}
    return verbs


def _sentence_text(verb, actor, language) -> str:
    event = AuditEvent(verb=verb, actor=actor, actor_label=actor.email, data={})
    request = RequestFactory().get("/admin/")
    request.user = actor
    with translation.override(language):
        return html.unescape(strip_tags(sentence(event, request)))


def test_every_verb_recorded_in_the_code_has_its_own_sentence():
    verbs = _verbs_in_the_code()
    assert len(verbs) > 60
    assert sorted(verbs - SENTENCES.keys()) == []


@pytest.mark.parametrize("verb", sorted(SENTENCES))
def test_each_verb_reads_as_a_sentence_naming_the_actor_in_english_and_swedish(verb):
    anna = UserFactory(first_name="Anna", last_name="Berg")
    english = _sentence_text(verb, anna, "en")
    swedish = _sentence_text(verb, anna, "sv")
    assert english == str(SENTENCES[verb]) % {"actor": "Anna Berg", "status": "", "verb": verb}
    assert english.startswith("Anna Berg ")
    assert "Anna Berg" in swedish
    assert swedish != english  # translated, not left in English


@pytest.mark.parametrize(
    ("verb", "language", "expected"),
    [
        ("validation.application_approved", "en", "Anna Berg approved the application"),
        ("validation.application_approved", "sv", "Anna Berg godkände ansökan"),
        ("validation.application_approved", "nb", "Anna Berg godkjente søknaden"),
        ("orders.order_granted", "sv", "Anna Berg beviljade beställningen"),
        ("approval_code.revoked", "sv", "Anna Berg återkallade en godkännandekod"),
        ("thing.nobody.knows", "en", "Anna Berg made a change"),
        ("thing.nobody.knows", "sv", "Anna Berg gjorde en ändring"),
    ],
)
def test_known_sentences_and_the_neutral_fallback_read_right(verb, language, expected):
    anna = UserFactory(first_name="Anna", last_name="Berg")
    assert _sentence_text(verb, anna, language) == expected


def test_an_unknown_verb_falls_back_to_the_neutral_sentence():
    assert "thing.nobody.knows" not in SENTENCES
    assert str(FALLBACK) == "%(actor)s made a change"


def test_the_status_change_names_the_new_status_in_the_page_language(organisation):
    staff_user = UserFactory(first_name="Staff", last_name="Person", is_staff=True)
    record_event(
        actor=staff_user,
        verb="validation.status_changed",
        target=organisation,
        data={"to": "revoked"},
    )
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    with translation.override("sv"):
        text = strip_tags(sentence(AuditEvent.objects.get(), request))
    assert text == "Staff Person ändrade organisationens status till ”Återkallad”"


def _event_at(organisation, actor, when, **fields):
    event = record_event(actor=actor, target=organisation, organisation=organisation, **fields)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


def test_the_timeline_shows_times_in_the_staff_members_own_zone(client, organisation, holder):
    staff = UserFactory(
        is_staff=True, is_superuser=True, language="sv", time_zone="America/New_York"
    )
    _event_at(
        organisation, holder, datetime(2026, 12, 1, 13, 5, tzinfo=UTC), verb="organisation.created"
    )
    client.force_login(staff)
    page = client.get("/admin/clearinghouse/auditevent/").content.decode()
    assert "1 december 2026 08:05" in page  # 13:05 UTC in New York, in Swedish
    assert "Tider visas i America/New_York." in page

    staff.time_zone = ""
    staff.save()
    page = client.get("/admin/clearinghouse/auditevent/").content.decode()
    assert "1 december 2026 14:05" in page  # the portal's zone, Europe/Stockholm


def test_the_timeline_counts_its_events_in_words(client, organisation, holder):
    for verb in ("organisation.created", "organisation.status_changed"):
        _event_at(organisation, holder, datetime(2026, 12, 1, 13, 5, tzinfo=UTC), verb=verb)
    client.force_login(UserFactory(is_staff=True, is_superuser=True, language="en"))
    page = strip_tags(client.get("/admin/clearinghouse/auditevent/").content.decode())
    assert re.search(r"\b2 audit events\b", page)


def test_a_staff_member_chooses_their_time_zone(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/clearinghouse/auditevent/time-zone/").status_code == 200
    response = client.post(
        "/admin/clearinghouse/auditevent/time-zone/", {"time_zone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.time_zone == "Asia/Tokyo"
    client.post("/admin/clearinghouse/auditevent/time-zone/", {"time_zone": "Mars/Olympus"})
    staff.refresh_from_db()
    assert staff.time_zone == "Asia/Tokyo"


def test_a_superuser_gets_links_to_the_actor_and_the_object(staff_client, organisation, holder):
    _event_at(
        organisation, holder, datetime(2026, 12, 1, 13, 5, tzinfo=UTC), verb="organisation.created"
    )
    page = staff_client.get("/admin/clearinghouse/auditevent/").content.decode()
    assert f'href="/admin/accounts/user/{holder.pk}/change/"' in page
    assert f'href="/admin/accounts/organisation/{organisation.pk}/change/"' in page


def test_staff_without_the_view_right_get_names_without_links(
    client, make_staff_member, organisation, holder
):
    when = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)
    _event_at(organisation, holder, when, verb="organisation.created")
    event = record_event(actor=holder, verb="contact.updated", target=holder)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    billing = make_staff_member(BILLING)  # may view organisations, not users
    client.force_login(billing)
    page = client.get("/admin/clearinghouse/auditevent/").content.decode()
    assert f"{holder.get_full_name()} changed a contact" in page
    assert f"/admin/accounts/user/{holder.pk}/change/" not in page  # neither actor nor object
    assert f'href="/admin/accounts/organisation/{organisation.pk}/change/"' in page


def test_the_raw_data_is_shown_only_inside_a_collapsed_details(staff_client, organisation, holder):
    _event_at(
        organisation,
        holder,
        datetime(2026, 12, 1, 13, 5, tzinfo=UTC),
        verb="validation.information_requested",
        data={"message": "Send the statutes"},
    )
    event = AuditEvent.objects.get()
    for url in (
        "/admin/clearinghouse/auditevent/",
        f"/admin/clearinghouse/auditevent/{event.pk}/change/",
        f"/admin/accounts/organisation/{organisation.pk}/change/",
    ):
        page = staff_client.get(url).content.decode()
        assert "asked for more information" in page
        position = page.index("Send the statutes")
        opened = page.rfind("<details>", 0, position)
        assert opened != -1
        assert "</details>" not in page[opened:position]
        assert "<details open" not in page


def test_the_filter_names_what_happened_in_words(client, organisation, holder):
    staff = UserFactory(is_staff=True, is_superuser=True, language="sv")
    _event_at(
        organisation, holder, datetime(2026, 12, 1, 13, 5, tzinfo=UTC), verb="organisation.created"
    )
    record_event(actor=holder, verb="contact.updated", target=holder)  # a second kind of object
    client.force_login(staff)
    page = client.get("/admin/clearinghouse/auditevent/").content.decode()
    assert "Någon registrerade organisationen" in page
    assert "typ av objekt" in page
    assert ">organisation.created<" not in page.split("<details>")[0]
