"""The public "Check a code" page /verify/ (R-CODE-1, R-CODE-3, R-CODE-7; DESIGN.md §5)."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import Organisation
from approval_codes import ratelimit
from approval_codes.models import ApprovalCode
from approval_codes.services import approval_code_renew
from tests.approval_codes.factories import ApprovalCodeFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("approval_codes:code-verify")


def _check(client, code, **extra):
    return client.post(VERIFY, {"code": code}, **extra)


def test_anyone_sees_a_valid_code_with_the_organisations_public_details(client, organisation):
    code = ApprovalCodeFactory(organisation=organisation)
    response = _check(client, code.code)
    content = response.content.decode()
    assert response.status_code == 200
    assert "status-valid" in content
    for text in (organisation.legal_name, "Sweden", "Nonprofit", "Approved", "Valid until"):
        assert text in content


def test_the_page_never_shows_the_representatives_name_or_email(client, organisation):
    code = ApprovalCodeFactory(
        organisation=organisation,
        first_name="Ronja",
        last_name="Rövardotter",
        email="ronja@mattisborgen.example",
    )
    content = _check(client, code.code).content.decode()
    assert code.code in content
    for private in ("Ronja", "Rövardotter", "ronja@mattisborgen.example", "mattisborgen"):
        assert private not in content


def test_spaces_and_the_case_of_the_handle_are_forgiven(client, organisation):
    code = ApprovalCodeFactory(organisation=organisation)
    random_part, handle = code.code.split("@")
    assert "status-valid" in _check(client, f"  {random_part}@{handle.upper()} ").content.decode()


def test_an_expired_code_is_not_valid_without_any_sweep(client, organisation):
    """R-CODE-3, DESIGN §4: an active code past its expiry does not verify."""
    code = ApprovalCodeFactory(organisation=organisation, expired=True)
    content = _check(client, code.code).content.decode()
    assert "Not valid" in content and "This code expired on" in content


def test_a_renewed_code_is_replaced_and_its_successor_is_valid(client, organisation, holder):
    """R-CODE-7: the old code stops working; the new one works."""
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    new = approval_code_renew(code=old, actor=holder)
    assert "replaced by a newer code" in _check(client, old.code).content.decode()
    assert "status-valid" in _check(client, new.code).content.decode()


def test_a_revoked_code_is_not_valid_and_shows_no_expiry(client, organisation):
    code = ApprovalCodeFactory(organisation=organisation, status=ApprovalCode.Status.REVOKED)
    content = _check(client, code.code).content.decode()
    assert "has revoked this code" in content
    assert "Expires" not in content and "<time" not in content


def test_the_code_is_sent_in_the_body_never_in_the_url(client, organisation):
    code = ApprovalCodeFactory(organisation=organisation)
    page = client.get(VERIFY).content.decode()
    assert 'method="post"' in page and 'name="csrfmiddlewaretoken"' in page
    content = client.get(VERIFY, {"code": code.code}).content.decode()
    assert "status-valid" not in content and organisation.legal_name not in content


def test_a_code_of_an_organisation_without_validation_is_not_valid(client, make_organisation):
    organisation = make_organisation(status=Organisation.Status.SUSPENDED)
    code = ApprovalCodeFactory(organisation=organisation)
    content = _check(client, code.code).content.decode()
    assert "not validated at the moment" in content and "Suspended" in content


def test_an_unknown_code_gets_a_clear_message_and_no_organisation(client, organisation):
    content = _check(client, f"abcdefghjk@{organisation.handle}").content.decode()
    assert "There is no approval code like this" in content
    assert organisation.legal_name not in content


@pytest.mark.parametrize("text", ["not a code", "@handle", "x" * 500, "abc@def@ghi", "<b>@x"])
def test_a_malformed_code_is_refused_before_any_lookup(client, text, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = _check(client, text)
    assert response.status_code == 200
    assert "This is not an approval code" in response.content.decode()


def test_the_empty_page_shows_the_form_without_counting(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert "Check code" in response.content.decode()
    assert "Not valid" not in response.content.decode()


def test_checking_takes_one_query(client, organisation, django_assert_num_queries):
    code = ApprovalCodeFactory(organisation=organisation)
    with django_assert_num_queries(1):
        _check(client, code.code)


def test_checks_over_the_limit_answer_429_per_client_address(client, organisation, settings):
    settings.APPROVAL_CODES_VERIFY_PAGE_RATE = "3/minute"
    code = ApprovalCodeFactory(organisation=organisation)
    for _ in range(3):
        assert _check(client, code.code, REMOTE_ADDR="203.0.113.7").status_code == 200
    response = _check(client, code.code, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many checks" in response.content.decode()
    assert organisation.legal_name not in response.content.decode()
    assert _check(client, code.code, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_site_navigation_links_to_the_check(client):
    assert f'href="{VERIFY}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rate,expected", [("30/minute", (30, 60)), ("5/hours", (5, 3600))])
def test_the_rate_setting_reads_number_per_period(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["thirty/minute", "30/fortnight", "30"])
def test_a_wrong_rate_setting_says_what_it_should_look_like(rate):
    with pytest.raises(ImproperlyConfigured, match=re.escape("<number>/<second|minute|hour|day>")):
        ratelimit.parse_rate(rate)


def test_a_test_organisations_code_is_unknown_here_as_for_a_live_key(client, make_organisation):
    test_organisation = make_organisation(
        status=Organisation.Status.APPROVED, handle="Testorg", is_test=True
    )
    code = ApprovalCodeFactory(organisation=test_organisation)
    unknown = _without_csrf_tokens(_check(client, "abcdefgh23@Testorg"))
    content = _without_csrf_tokens(_check(client, code.code))
    assert "status-valid" not in content and test_organisation.legal_name not in content
    assert content.replace(code.code, "abcdefgh23@Testorg") == unknown


def _without_csrf_tokens(response) -> str:
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
