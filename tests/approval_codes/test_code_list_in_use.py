"""The codes list closer to how it is used (seed 000; issue 13, item 5): Copy and Email again on
each active row, a status filter, the representative's language on the create form, the new
code's 60 days said at once, and why an ineligible organisation's codes do not work now."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from approval_codes.models import ApprovalCode
from clearinghouse.models import OutboundEmail
from tests.approval_codes.factories import ApprovalCodeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("approval_codes:code-list")
CREATE = reverse("approval_codes:code-create")
FORM = {
    "first_name": "Astrid",
    "last_name": "Lindgren",
    "email": "astrid@example.org",
    "authorised": "on",
}


def test_each_active_row_has_copy_and_email_again(holder_client, organisation):
    active = ApprovalCodeFactory(organisation=organisation)
    revoked = ApprovalCodeFactory(organisation=organisation, status=ApprovalCode.Status.REVOKED)
    page = holder_client.get(LIST).content.decode()
    assert f'data-copy="#code-{active.pk}"' in page and f'id="code-{active.pk}"' in page
    assert reverse("approval_codes:code-email", args=[active.pk]) in page
    assert f'data-copy="#code-{revoked.pk}"' not in page
    assert reverse("approval_codes:code-email", args=[revoked.pk]) not in page


def test_email_again_sends_the_code_to_its_person_in_their_language(holder_client, organisation):
    code = ApprovalCodeFactory(organisation=organisation, language="nb")
    response = holder_client.post(reverse("approval_codes:code-email", args=[code.pk]))
    assert response.status_code == 302
    (email,) = OutboundEmail.objects.all()
    assert (email.to, email.language) == (code.email, "nb")
    assert code.code in email.body_text


def test_email_again_refuses_a_code_that_is_not_active(holder_client, organisation):
    code = ApprovalCodeFactory(organisation=organisation, expired=True)
    response = holder_client.post(reverse("approval_codes:code-email", args=[code.pk]), follow=True)
    assert "Only an active code can be emailed." in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_the_status_filter_shows_only_codes_in_that_status(holder_client, organisation):
    active = ApprovalCodeFactory(organisation=organisation, first_name="Aktiv")
    lapsed = ApprovalCodeFactory(organisation=organisation, first_name="Utgangen", expired=True)
    revoked = ApprovalCodeFactory(
        organisation=organisation, first_name="Aterkallad", status=ApprovalCode.Status.REVOKED
    )
    expired_page = holder_client.get(LIST, {"status": "expired"}).content.decode()
    assert lapsed.code in expired_page
    assert active.code not in expired_page and revoked.code not in expired_page
    active_page = holder_client.get(LIST, {"status": "active"}).content.decode()
    assert active.code in active_page and lapsed.code not in active_page
    assert '<option value="active" selected>' in active_page
    everything = holder_client.get(LIST, {"status": "nonsense"}).content.decode()
    assert all(c.code in everything for c in (active, lapsed, revoked))


def test_the_create_form_asks_the_representatives_language_defaulting_to_the_issuers(
    holder_client, holder
):
    holder.language = "sv"
    holder.save(update_fields=["language"])
    page = holder_client.get(CREATE).content.decode()
    assert 'name="representative_language"' in page
    assert '<option value="sv" selected>' in page


def test_the_code_mail_goes_in_the_language_chosen_for_the_representative(holder_client):
    response = holder_client.post(
        CREATE, {**FORM, "send_to_representative": "on", "representative_language": "nb"}
    )
    assert response.status_code == 302
    code = ApprovalCode.objects.get()
    assert code.language == "nb"
    (email,) = OutboundEmail.objects.all()
    assert email.language == "nb"


def test_a_new_code_says_it_expires_in_60_days(holder_client):
    response = holder_client.post(CREATE, FORM, follow=True)
    assert "expires in 60 days" in response.content.decode()


def test_an_ineligible_organisations_list_says_its_codes_cannot_be_used_now_and_why(
    client, make_organisation
):
    organisation = make_organisation(status=Organisation.Status.SUSPENDED)
    client.force_login(organisation.account_holder)
    page = client.get(LIST).content.decode()
    assert "yearly attestation is overdue" in page
    assert "donor partners do not accept your organisation's approval codes" in page
