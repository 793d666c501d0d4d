import pytest
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url.startswith("/accounts/login/")


def test_a_non_staff_user_cannot_reach_admin(holder_client):
    response = holder_client.get("/admin/login/")
    assert response.status_code == 403


def test_staff_without_mfa_are_sent_to_set_it_up_when_required(staff_client, settings):
    settings.REQUIRE_STAFF_MFA = True
    response = staff_client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"


def test_staff_with_mfa_reach_admin_when_required(staff_client, staff_user, settings):
    settings.REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(
        user=staff_user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert staff_client.get("/admin/").status_code == 200


def test_staff_reach_admin_without_mfa_when_not_required(staff_client, settings):
    settings.REQUIRE_STAFF_MFA = False
    assert staff_client.get("/admin/").status_code == 200
