"""The donor area, /donor/: donor people (invited by staff, MFA required) manage their keys and
webhook endpoints and read their requests, redemptions and deliveries; another donor's objects
are a 404 and a refused request changes nothing (issue 14, item 3)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import User
from approval_codes import api_log, donor_services, webhooks
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import ApiKey, DonorMembership, Redemption, WebhookDelivery
from clearinghouse.models import OutboundEmail
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.approval_codes.jobs_helpers import make_endpoint
from tests.url_sweep_support import database_fingerprint

pytestmark = pytest.mark.django_db


def person_of(donor, email, *, mfa=True):
    user = User.objects.create_user(email=email, password="x")
    DonorMembership.objects.create(donor=donor, user=user)
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def microsoft(db):
    return donor_with_key("Microsoft")


@pytest.fixture
def adobe(db):
    return donor_with_key("Adobe")


@pytest.fixture
def person_client(client, microsoft):
    client.force_login(person_of(microsoft[0], "dev@microsoft.example"))
    return client


def test_the_area_needs_a_login_of_a_donor_with_an_authenticator_app(client, microsoft, holder):
    url = reverse("donor:home")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(holder)
    assert client.get(url).status_code == 404  # an organisation's login has no donor area
    client.force_login(person_of(microsoft[0], "new@microsoft.example", mfa=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_person_creates_a_key_that_is_shown_once_and_revokes_it(person_client, microsoft):
    response = person_client.post(reverse("donor:key-create"), {"name": "shop"}, follow=True)
    page = response.content.decode()
    api_key = ApiKey.objects.get(donor=microsoft[0], name="shop")
    assert api_key.prefix in page
    key = page.split('id="new-key">')[1].split("<")[0]
    assert ApiKey.hash_of(key) == api_key.key_hash
    assert key not in person_client.get(reverse("donor:home")).content.decode()  # only once

    confirm = person_client.get(reverse("donor:key-revoke", args=[api_key.pk]))
    assert confirm.status_code == 200 and api_key.prefix in confirm.content.decode()
    person_client.post(reverse("donor:key-revoke", args=[api_key.pk]))
    assert ApiKey.objects.get(pk=api_key.pk).is_revoked


def test_another_donors_key_endpoint_and_delivery_are_404_and_nothing_changes(person_client, adobe):
    other_key = adobe[1]
    other_endpoint = make_endpoint(url="https://adobe.example/hooks", donor=adobe[0])
    (other_delivery,) = webhooks.webhook_event_record(
        webhooks.CODE_REVOKED, {"code": "x@Org"}, donor_ids={adobe[0].pk}
    )
    WebhookDelivery.objects.filter(pk=other_delivery.pk).update(
        status=WebhookDelivery.Status.FAILED
    )
    before = database_fingerprint()

    for method, name, pk in [
        ("get", "donor:key-revoke", other_key.pk),
        ("post", "donor:key-revoke", other_key.pk),
        ("get", "donor:endpoint-detail", other_endpoint.pk),
        ("post", "donor:endpoint-rotate", other_endpoint.pk),
        ("post", "donor:delivery-resend", other_delivery.pk),
    ]:
        response = getattr(person_client, method)(reverse(name, args=[pk]))
        assert response.status_code == 404, (method, name)

    assert database_fingerprint() == before


def test_an_endpoint_must_be_public_https(person_client, microsoft, settings):
    settings.APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL = False
    response = person_client.post(
        reverse("donor:endpoint-create"), {"url": "http://127.0.0.1/hooks"}, follow=True
    )
    assert "https://" in response.content.decode()
    assert not microsoft[0].webhook_endpoints.exists()


def test_a_person_adds_an_endpoint_rotates_its_secret_and_resends_a_delivery(
    person_client, microsoft
):
    person_client.post(reverse("donor:endpoint-create"), {"url": "https://ms.example/hooks"})
    (endpoint,) = microsoft[0].webhook_endpoints.all()
    assert endpoint.secret.startswith("whsec_")
    page = person_client.get(reverse("donor:endpoint-detail", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()

    person_client.post(reverse("donor:endpoint-rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.previous_secret and endpoint.previous_secret_until
    again = person_client.post(reverse("donor:endpoint-rotate", args=[endpoint.pk]), follow=True)
    assert "Rotate again after" in again.content.decode()

    (delivery,) = webhooks.webhook_event_record(
        webhooks.CODE_REVOKED, {"code": "x@Org"}, donor_ids={microsoft[0].pk}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
    person_client.post(reverse("donor:delivery-resend", args=[delivery.pk]))
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.PENDING


def test_recent_requests_show_the_operation_and_answer_and_only_the_codes_end(
    person_client, microsoft, adobe, organisation
):
    code = issue(organisation)
    post(person_client, "codes/verify", {"code": code.code}, microsoft[2])
    post(person_client, "codes/verify", {"code": "abcdefgh23@Nobody"}, adobe[2])

    page = person_client.get(reverse("donor:request-list")).content.decode()

    assert "verify" in page and "valid" in page
    assert code.code[-4:] in page
    assert code.code not in page
    assert page.count("<code>…") == 1  # Adobe's request is not Microsoft's
    assert api_log.api_requests_flush() == 0  # the page flushed what was waiting


def test_redemptions_are_filtered_and_exported_as_csv(
    person_client, microsoft, adobe, organisation
):
    code = issue(organisation)
    post(
        person_client,
        "codes/redeem",
        {"code": code.code, "reference": "ord-1", "offer": "365"},
        microsoft[2],
    )
    post(person_client, "codes/redeem", {"code": code.code, "reference": "ord-2"}, microsoft[2])
    post(person_client, "codes/redeem", {"code": code.code, "reference": "adobe-9"}, adobe[2])
    assert Redemption.objects.count() == 3

    page = person_client.get(reverse("donor:redemption-list"), {"q": "ord-1"}).content.decode()
    assert "ord-1" in page and "ord-2" not in page and "adobe-9" not in page

    export = person_client.get(reverse("donor:redemption-list"), {"format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode().strip().splitlines()
    assert rows[0].startswith("redeemed_at,code,organisation")
    assert len(rows) == 3 and not any("adobe-9" in row for row in rows)


def test_staff_invite_a_donor_person_and_an_organisations_login_is_refused(
    microsoft, holder, staff_user
):
    membership = donor_services.donor_person_invite(
        donor=microsoft[0], email="New.Person@Microsoft.example", invited_by=staff_user
    )
    assert membership.user.email == "new.person@microsoft.example"
    assert not membership.user.has_usable_password()
    assert OutboundEmail.objects.filter(
        template="donor-person-invited", to="new.person@microsoft.example"
    ).exists()

    with pytest.raises(ApprovalCodeError):
        donor_services.donor_person_invite(
            donor=microsoft[0], email=holder.email, invited_by=staff_user
        )
    with pytest.raises(ApprovalCodeError):
        donor_services.donor_person_invite(
            donor=microsoft[0], email="new.person@microsoft.example", invited_by=staff_user
        )
    assert DonorMembership.objects.count() == 1
