"""The "Approval codes" tab: the list, "Create new approval code" and the new code's page
(R-CODE-2, R-CODE-4, R-CODE-5, R-CODE-6, R-CODE-8, R-CODE-9, R-CODE-11, R-VAL-9)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.permissions import Right
from approval_codes.models import ApprovalCode
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import make_sub_account
from tests.approval_codes.factories import ApprovalCodeFactory, RedemptionFactory, issue
from tests.catalog.factories import DonorFactory

pytestmark = pytest.mark.django_db

LIST = reverse("approval_codes:code-list")
CREATE = reverse("approval_codes:code-create")


def _form(**overrides):
    data = {
        "first_name": "Astrid",
        "last_name": "Lindgren",
        "email": "astrid@example.org",
        "authorised": "on",
    }
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


# --- Create --------------------------------------------------------------------------------


def test_the_create_page_has_the_fields_of_the_contract_and_the_advice(holder_client):
    """R-CODE-2, R-CODE-11: the labels users rely on, and the advice to create codes only
    when needed because they expire after 60 days."""
    content = holder_client.get(CREATE).content.decode()
    for label in (
        "First name",
        "Last name",
        "Email address",
        "This person is authorised to act for our organisation",
        "Email the code to this person",
        "Add new approval code",
        "expires 60 days after it is created",
    ):
        assert label in content


def test_adding_a_code_shows_it_large_with_a_copy_button_and_its_expiry(
    holder_client, organisation
):
    """R-CODE-4: the new code is shown at once, to copy, with its expiry date (R-CODE-3)."""
    response = holder_client.post(CREATE, _form())
    code = ApprovalCode.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("approval_codes:code-detail", args=[code.pk])
    page = holder_client.get(response.url).content.decode()
    assert f'id="code-{code.pk}"' in page
    assert f'data-copy="#code-{code.pk}"' in page
    assert 'data-copied="Copied"' in page
    assert code.code in page
    assert "expires in 59 days" in page or "expires in 60 days" in page
    assert date_format(timezone.localtime(code.expires_at), "DATE_FORMAT") in page
    assert (code.first_name, code.email, code.organisation) == (
        "Astrid",
        "astrid@example.org",
        organisation,
    )
    assert code.expires_at - code.created_at == timedelta(days=60)
    assert not OutboundEmail.objects.exists()


def test_ticking_email_sends_the_code_to_the_person_in_the_issuers_language(holder_client, holder):
    """R-CODE-4: the code can also be emailed to the representative."""
    holder.language = "sv"
    holder.save(update_fields=["language"])
    response = holder_client.post(CREATE, _form(send_to_representative="on"))
    assert "astrid@example.org" in holder_client.get(response.url).content.decode()
    code = ApprovalCode.objects.get()
    (email,) = OutboundEmail.objects.all()
    assert email.to == "astrid@example.org"
    assert email.language == "sv"
    assert code.code in email.body_text


def test_without_the_authorisation_tick_nothing_is_created_and_the_form_says_why(
    holder_client,
):
    """R-CODE-2, R-CODE-10: the issuer must confirm the person may act for the organisation."""
    response = holder_client.post(CREATE, _form(authorised=None, send_to_representative="on"))
    assert response.status_code == 200
    assert "Confirm that this person is authorised" in response.content.decode()
    assert not ApprovalCode.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "field,value", [("email", "not-an-address"), ("first_name", ""), ("last_name", "x" * 151)]
)
def test_bad_input_changes_nothing_and_names_the_field(holder_client, field, value):
    response = holder_client.post(CREATE, _form(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ApprovalCode.objects.exists()


def test_an_ineligible_organisation_is_told_to_validate_and_cannot_create_codes(
    client, ineligible_organisation
):
    """R-VAL-9: not yet (or no longer) validated organisations cannot issue codes."""
    client.force_login(ineligible_organisation.account_holder)
    page = client.get(CREATE).content.decode()
    assert "Go to Validation" in page
    response = client.post(CREATE, _form())
    assert "must be validated" in response.content.decode()
    assert not ApprovalCode.objects.exists()
    assert "Go to Validation" in client.get(LIST).content.decode()


def test_a_sub_account_with_the_right_creates_codes(client, organisation):
    """R-CODE-2: a sub-account given "Manage approval codes" may create codes."""
    user = make_sub_account(organisation, Right.MANAGE_APPROVAL_CODES).user
    client.force_login(user)
    client.post(CREATE, _form())
    assert ApprovalCode.objects.get().issued_by == user


def test_a_sub_account_without_the_right_gets_403_saying_which_right(client, organisation):
    client.force_login(make_sub_account(organisation, Right.PLACE_ORDERS).user)
    response = client.get(CREATE)
    assert response.status_code == 403
    assert "Manage approval codes" in response.content.decode()


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_code_person_email_status_and_expiry(holder_client, organisation):
    """R-CODE-7: the list shows the person each code was made for, so the holder finds it."""
    code = issue(organisation)
    content = holder_client.get(LIST).content.decode()
    for text in (code.code, "Astrid Lindgren", "astrid@example.org", "Active", "expires in"):
        assert text in content
    assert reverse("approval_codes:code-revoke", args=[code.pk]) in content
    assert reverse("approval_codes:code-renew", args=[code.pk]) not in content


def test_an_active_code_past_its_expiry_shows_expired_and_renewable_without_any_sweep(
    holder_client, organisation
):
    """DESIGN §4: the status is computed from `expires_at` when asked (R-CODE-3, R-CODE-7)."""
    code = ApprovalCodeFactory(organisation=organisation, expired=True)
    assert code.status == ApprovalCode.Status.ACTIVE
    content = holder_client.get(LIST).content.decode()
    assert "status-expired" in content
    assert "expired on" in content
    assert reverse("approval_codes:code-renew", args=[code.pk]) in content
    assert reverse("approval_codes:code-revoke", args=[code.pk]) not in content


def test_create_is_always_offered_beside_the_advice(holder_client, organisation):
    """R-CODE-8, R-CODE-11: "Create new approval code" is there even next to expired codes."""
    ApprovalCodeFactory(organisation=organisation, expired=True)
    content = holder_client.get(LIST).content.decode()
    assert "Create new approval code" in content
    assert "expires 60 days after it is created" in content


def test_several_people_hold_codes_and_one_person_may_hold_several(holder_client, organisation):
    """R-CODE-8, R-CODE-9: no limit on codes, several holders at once."""
    issue(organisation)
    issue(organisation)
    issue(organisation, first_name="Nils", last_name="Holgersson", email="nils@example.org")
    content = holder_client.get(LIST).content.decode()
    assert ApprovalCode.objects.filter(organisation=organisation).count() == 3
    assert content.count("Astrid Lindgren") == 2
    assert "Nils Holgersson" in content


def test_where_a_code_was_used_stays_visible_after_it_expires(holder_client, organisation):
    """R-CODE-5, R-CODE-6: a code used with two donors shows both, also once expired."""
    code = ApprovalCodeFactory(organisation=organisation, expired=True)
    RedemptionFactory(code=code, reference="MS-4711")
    RedemptionFactory(code=code, donor=DonorFactory(name="Adobe", slug="adobe"), reference="")
    content = holder_client.get(LIST).content.decode()
    assert "Microsoft" in content and "MS-4711" in content
    assert "Adobe" in content
    detail = holder_client.get(
        reverse("approval_codes:code-detail", args=[code.pk])
    ).content.decode()
    assert "MS-4711" in detail and "Adobe" in detail


def test_the_list_is_empty_but_helpful_for_a_new_organisation(holder_client):
    content = holder_client.get(LIST).content.decode()
    assert "no approval codes yet" in content
    assert "Create new approval code" in content


def test_search_finds_codes_by_name_email_or_code(holder_client, organisation):
    astrid = issue(organisation)
    nils = issue(organisation, first_name="Nils", last_name="Holgersson", email="n@example.org")
    content = holder_client.get(LIST, {"q": "holgers"}).content.decode()
    assert nils.code in content and astrid.code not in content
    content = holder_client.get(LIST, {"q": astrid.code.split("@")[0]}).content.decode()
    assert astrid.code in content and nils.code not in content
    content = holder_client.get(LIST, {"q": "  nils  holgersson "}).content.decode()
    assert nils.code in content and astrid.code not in content
    content = holder_client.get(LIST, {"q": "nobody-like-this"}).content.decode()
    assert "No approval code matches" in content


def test_the_list_is_paginated_and_pages_keep_the_search(holder_client, organisation):
    ApprovalCodeFactory.create_batch(30, organisation=organisation, first_name="Greta")
    first = holder_client.get(LIST, {"q": "greta"})
    assert len(first.context["page_obj"]) == 25
    assert "?q=greta&amp;page=2" in first.content.decode()
    second = holder_client.get(LIST, {"q": "greta", "page": 2})
    assert len(second.context["page_obj"]) == 5
    assert holder_client.get(LIST, {"page": "999"}).status_code == 200


def test_the_list_shows_only_our_organisations_codes(
    holder_client, organisation, other_organisation
):
    """DESIGN §4: one tenant at a time."""
    theirs = ApprovalCodeFactory(organisation=other_organisation)
    ours = ApprovalCodeFactory(organisation=organisation)
    content = holder_client.get(LIST).content.decode()
    assert ours.code in content and theirs.code not in content


def test_the_list_takes_the_same_number_of_queries_for_1_and_25_codes(
    holder_client, organisation, django_assert_max_num_queries
):
    code = ApprovalCodeFactory(organisation=organisation)
    RedemptionFactory(code=code)
    holder_client.get(LIST)  # warm the session
    with django_assert_max_num_queries(12) as one:
        holder_client.get(LIST)
    for item in ApprovalCodeFactory.create_batch(24, organisation=organisation):
        RedemptionFactory(code=item)
    with django_assert_max_num_queries(12) as many:
        holder_client.get(LIST)
    assert len(many.captured_queries) == len(one.captured_queries)


# --- A code's page -------------------------------------------------------------------------


def test_another_organisations_code_is_404_on_every_page(holder_client, other_organisation):
    code = ApprovalCodeFactory(organisation=other_organisation, expired=True)
    for name in ("approval_codes:code-detail", "approval_codes:code-revoke"):
        assert holder_client.get(reverse(name, args=[code.pk])).status_code == 404
    for name in ("approval_codes:code-renew", "approval_codes:code-revoke"):
        response = holder_client.post(reverse(name, args=[code.pk]))
        assert response.status_code == 404
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.ACTIVE
    assert ApprovalCode.objects.count() == 1


def test_an_inactive_code_is_shown_without_a_copy_button(holder_client, organisation):
    code = ApprovalCodeFactory(
        organisation=organisation,
        status=ApprovalCode.Status.REVOKED,
        status_changed_at=timezone.now(),
    )
    page = holder_client.get(reverse("approval_codes:code-detail", args=[code.pk])).content.decode()
    assert code.code in page and "Revoked" in page
    assert "data-copy" not in page


def test_the_approval_codes_tab_comes_first_for_those_with_the_right(client, organisation):
    """R-CODE-2: the tab shows for the account holder and a sub-account with the right only."""
    client.force_login(organisation.account_holder)
    tabs = client.get(reverse("accounts:account-overview")).context["account_tabs"]
    assert tabs[0]["label"] == "Approval codes" and tabs[0]["url"] == LIST
    client.force_login(make_sub_account(organisation, Right.PLACE_ORDERS).user)
    page = client.get(reverse("accounts:account-overview")).content.decode()
    assert LIST not in page
