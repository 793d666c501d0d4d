"""Staff in Django admin: the queue, the application page and its decision buttons, the
"Validation staff" group (R-VAL-3, R-VAL-4, R-VAL-10)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.audit import events_for
from tests.factories import UserFactory
from validation import services
from validation.models import Application, Statement

QUEUE_URL = reverse("admin:validation_application_changelist")
S = Organisation.Status


def _change_url(application):
    return reverse("admin:validation_application_change", args=[application.pk])


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


def _applications(count, prefix="Queue Org"):
    return [
        services.application_submit(
            user=UserFactory(),
            statements=list(Statement.values),
            legal_name=f"{prefix} {n}",
            type=Organisation.Type.NONPROFIT,
            country="SE",
            registration_number="802002-4280",
            address="Gatan 1",
        )
        for n in range(count)
    ]


def test_the_group_has_exactly_the_permissions_reviewing_needs(db):
    group = Group.objects.get(name="Validation staff")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("validation", "view_application"),
        ("validation", "decide_application"),
        ("validation", "view_sharedhost"),
        ("validation", "add_sharedhost"),
        ("validation", "change_sharedhost"),
        ("validation", "delete_sharedhost"),
        ("validation", "view_legalform"),
        ("validation", "add_legalform"),
        ("validation", "change_legalform"),
        ("validation", "delete_legalform"),
        ("validation", "view_evidencerequirement"),
        ("validation", "add_evidencerequirement"),
        ("validation", "change_evidencerequirement"),
        ("validation", "delete_evidencerequirement"),
        ("accounts", "view_joinrequest"),
        ("accounts", "hand_over_organisation"),
        ("accounts", "view_organisation"),
        ("clearinghouse", "view_auditevent"),
    }


def test_the_queue_lists_open_applications_oldest_first_with_business_days(reviewer_client):
    with time_machine.travel("2026-11-02 09:00 +01:00", tick=False):
        oldest = _applications(1, "Oldest")[0]
    with time_machine.travel("2026-11-04 09:00 +01:00", tick=False):
        newest = _applications(1, "Newest")[0]
    with time_machine.travel("2026-11-09 09:00 +01:00", tick=False):
        page = reviewer_client.get(QUEUE_URL).content.decode()
    assert "Validation queue" in page
    assert page.index(oldest.legal_name) < page.index(newest.legal_name)
    rows = page.split("<tr")
    oldest_row = next(row for row in rows if oldest.legal_name in row)
    assert '<td class="field-days_waiting">5</td>' in oldest_row
    newest_row = next(row for row in rows if newest.legal_name in row)
    assert '<td class="field-days_waiting">3</td>' in newest_row


def test_the_queue_leaves_out_decided_applications_unless_asked(
    reviewer_client, approved_application
):
    assert approved_application.legal_name not in reviewer_client.get(QUEUE_URL).content.decode()
    page = reviewer_client.get(QUEUE_URL, {"status": "approved"}).content.decode()
    assert approved_application.legal_name in page


def test_the_queue_can_be_searched_by_email_and_filtered_by_overdue(reviewer_client):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        late = _applications(1, "Late")[0]
    fresh = _applications(1, "Fresh")[0]
    email = late.organisation.account_holder.email
    page = reviewer_client.get(QUEUE_URL, {"q": email}).content.decode()
    assert late.legal_name in page and fresh.legal_name not in page
    page = reviewer_client.get(QUEUE_URL, {"deadline": "overdue"}).content.decode()
    assert late.legal_name in page and fresh.legal_name not in page
    page = reviewer_client.get(QUEUE_URL, {"type": "public_library"}).content.decode()
    assert late.legal_name not in page


def test_the_queue_query_count_does_not_grow_with_the_number_of_rows(reviewer_client):
    _applications(1)
    with CaptureQueriesContext(connection) as one:
        assert reviewer_client.get(QUEUE_URL).status_code == 200
    _applications(30)
    with CaptureQueriesContext(connection) as many:
        page = reviewer_client.get(QUEUE_URL).content.decode()
    assert page.count("Queue Org") >= 31
    assert len(many) == len(one)


@pytest.mark.parametrize("rows", [1, 60])
def test_the_queue_query_count_is_pinned(reviewer_client, django_assert_num_queries, rows):
    _applications(rows)
    # session, user, the user's and the group's permissions, the countries for the filter,
    # one count, one page of rows with their organisations and account holders. Days waiting
    # are computed without queries.
    with django_assert_num_queries(7):
        reviewer_client.get(QUEUE_URL)


def test_the_application_page_shows_the_submission_and_the_decision_controls(
    reviewer_client, application
):
    page = reviewer_client.get(_change_url(application)).content.decode()
    for text in [
        application.legal_name,
        "802002-4280",
        "Reason or message",
        "Approve",
        "Deny",
        "Request more information",
        "Nonprofit",
    ]:
        assert text in page


def test_staff_approve_from_the_application_page(reviewer_client, application, reviewer):
    response = reviewer_client.post(_change_url(application), {"_approve": "1", "reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == reviewer
    assert application.organisation.status == S.APPROVED


@pytest.mark.parametrize("button", ["_deny", "_request_information"])
def test_a_decision_without_its_required_reason_changes_nothing(
    reviewer_client, application, button
):
    response = reviewer_client.post(
        _change_url(application), {button: "1", "reason": " "}, follow=True
    )
    assert "the organisation will read it" in response.content.decode().replace("“", "")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_second_decision_from_a_stale_page_is_refused(reviewer_client, application):
    reviewer_client.post(_change_url(application), {"_deny": "1", "reason": "No."})
    response = reviewer_client.post(
        _change_url(application), {"_approve": "1", "reason": ""}, follow=True
    )
    assert "already been decided" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DENIED


def test_staff_request_information_then_see_the_answer_and_document(
    reviewer_client, application, applicant
):
    reviewer_client.post(
        _change_url(application), {"_request_information": "1", "reason": "Statutes?"}
    )
    application.refresh_from_db()
    services.application_answer(
        application=application,
        user=applicant,
        answer="Attached.",
        document=SimpleUploadedFile("statutes.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    page = reviewer_client.get(_change_url(application)).content.decode()
    assert "Statutes?" in page and "Attached." in page and "statutes.pdf" in page
    document = application.documents.get()
    response = reviewer_client.get(
        reverse("admin:validation_application_document", args=[application.pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_staff_revoke_an_approved_organisation(reviewer_client, approved_application):
    page = reviewer_client.get(_change_url(approved_application)).content.decode()
    assert "Revoke validation" in page
    reviewer_client.post(_change_url(approved_application), {"_revoke": "1", "reason": "Resold."})
    organisation = Organisation.objects.get(pk=approved_application.organisation_id)
    assert organisation.status == S.REVOKED


@pytest.mark.parametrize("action", ["_revoke", "_reinstate"])
def test_a_revoke_or_reinstate_post_on_an_organisation_never_validated_changes_nothing(
    reviewer_client, application, action
):
    """R-VAL-10: validation that was never given cannot be revoked (nor a revocation undone).
    The page shows no such button, but a posted "_revoke" on a new applicant made it revoked
    with its application still in the queue, to be approved out of "revoked"."""
    response = reviewer_client.post(_change_url(application), {action: "1", "reason": "Resold."})
    assert "does not allow this" in reviewer_client.get(response.url).content.decode()
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert organisation.status == S.SUBMITTED
    assert not events_for(organisation).filter(verb="validation.status_changed").exists()


def test_staff_without_the_decide_permission_cannot_decide(client, application):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(viewer)
    assert "Reason or message" not in client.get(_change_url(application)).content.decode()
    assert client.post(_change_url(application), {"_approve": "1"}).status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_users_who_are_not_staff_cannot_reach_the_queue(holder_client):
    assert "/login/" in holder_client.get(QUEUE_URL).url


def _organisation_admin_post(client, organisation, **changes):
    """Save the organisation's admin change form as shown, with `changes`."""
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    page = client.get(url)
    data = {}
    for form in [page.context["adminform"].form, *page.context["inline_admin_formsets"]]:
        form = getattr(form, "formset", form)
        for bound in [*getattr(form, "management_form", form)]:
            value = bound.value()
            if value is not None and not getattr(bound.field, "disabled", False):
                data[bound.html_name] = value
    data.update(changes)
    return client.post(url, data)


def test_a_staff_edit_of_an_approved_organisations_legal_name_in_admin_sends_it_to_review(
    client, staff_user, approved_application
):
    """Editing an approved organisation's legal name sends it back to review and is kept in
    its audit trail, also when staff save it in admin: before, the model form saved the new
    name with the organisation still approved and nothing in the trail."""
    organisation = approved_application.organisation
    client.force_login(staff_user)
    response = _organisation_admin_post(client, organisation, legal_name="Malmö Readers")
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.legal_name == "Malmö Readers"
    assert organisation.status == S.SUBMITTED
    review = organisation.applications.get(status=Application.Status.SUBMITTED)
    assert review.kind == Application.Kind.RE_REVIEW
    assert review.changed_fields == {"legal_name": ["Malmö Reading Club", "Malmö Readers"]}
    event = events_for(organisation).get(verb="validation.details_changed")
    assert event.actor == staff_user
    assert "back in the validation queue" in client.get(response.url).content.decode()


def test_a_staff_edit_of_other_details_in_admin_keeps_it_approved_and_is_kept(
    client, staff_user, approved_application
):
    organisation = approved_application.organisation
    client.force_login(staff_user)
    response = _organisation_admin_post(client, organisation, mission="More reading.")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.mission, organisation.status) == ("More reading.", S.APPROVED)
    assert events_for(organisation).filter(verb="validation.details_changed").exists()


def test_a_staff_edit_of_the_handle_or_test_mark_in_admin_is_kept_in_the_trail(
    client, staff_user, approved_application
):
    organisation = approved_application.organisation
    old_handle = organisation.handle
    client.force_login(staff_user)
    response = _organisation_admin_post(client, organisation, handle="MalmoReaders", is_test="on")
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert (organisation.handle, organisation.is_test) == ("MalmoReaders", True)
    event = events_for(organisation).get(verb="validation.details_changed")
    assert event.actor == staff_user
    assert event.data["changes"] == {
        "handle": [old_handle, "MalmoReaders"],
        "is_test": ["False", "True"],
    }
