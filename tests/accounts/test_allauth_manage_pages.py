"""allauth's account pages (email addresses, sign-out, password change and set, two-step
sign-in) and the mails two-step sign-in sends read in the portal's words in Swedish and
Norwegian, in the portal's layout (issue 13)."""

import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, language="sv", **fields):
    """A real sign-in (not force_login), so allauth counts it as recent for its guarded pages."""
    user = UserFactory(email="astrid@example.org", first_name="Astrid", language=language, **fields)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def _reauthenticated(client):
    """allauth asks for the password again before two-step sign-in is set up."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("path", "swedish"),
    [
        (
            "/accounts/email/",
            ["Dina e-postadresser", "Gör den till primär adress", "Adressen är bekräftad"],
        ),
        (
            "/accounts/logout/",
            ["Logga ut från Clearinghouse på den här enheten?", "Förbli inloggad"],
        ),
        ("/accounts/password/change/", ["Byt lösenord", "Spara det nya lösenordet"]),
        ("/accounts/2fa/", ["Tvåstegsinloggning", "Konfigurera en autentiseringsapp"]),
        ("/accounts/reauthenticate/", ["ange ditt lösenord igen innan du fortsätter"]),
        (
            "/accounts/2fa/totp/activate/",
            ["Konfigurera en autentiseringsapp", "Eller skriv in den här nyckeln i appen"],
        ),
    ],
)
def test_the_account_pages_read_in_the_portals_swedish(client, path, swedish):
    _signed_in(client)
    if path.startswith("/accounts/2fa/totp/"):
        _reauthenticated(client)
    page = _page(client, path)
    for words in swedish:
        assert words in page
    assert 'class="site-header"' in page  # the portal's layout, not allauth's bare one
    for allauth_words in ("E-postadresser", "Ändra lösenord", "Tvåfaktorsautentisering"):
        assert allauth_words not in page


def test_the_norwegian_sign_out_and_password_pages_read_right(client):
    _signed_in(client, language="nb")
    assert "Logge ut av Clearinghouse på denne enheten?" in _page(client, "/accounts/logout/")
    assert "Lagre det nye passordet" in _page(client, "/accounts/password/change/")


def test_a_person_without_a_password_is_asked_to_choose_one_in_swedish(client):
    user = UserFactory(language="sv")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = _page(client, "/accounts/password/set/")
    assert "Välj ett lösenord" in page and "har inget lösenord än" in page


def _activate_totp(client):
    _reauthenticated(client)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    return client.post("/accounts/2fa/totp/activate/", {"code": code})


@override_settings(SITE_NAME="Donationshuset")
def test_turning_on_two_step_sign_in_mails_the_site_name_with_an_html_part(
    client, django_capture_on_commit_callbacks
):
    _signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _activate_totp(client)
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if "tvåstegsinloggning" in m.subject]
    assert message.subject == "Donationshuset: tvåstegsinloggning är på"
    assert message.body.startswith("Hej Astrid,")
    assert "ditt konto på Donationshuset" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "Donationshuset" in html


@override_settings(SITE_NAME="Donationshuset")
def test_the_recovery_codes_mail_is_in_the_portals_words(
    client, django_capture_on_commit_callbacks
):
    _signed_in(client, language="nb")
    _activate_totp(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/recovery-codes/generate/")
    [message] = mail.outbox
    assert message.subject == "Donationshuset: nye reservekoder"
    assert message.alternatives[0][1] == "text/html"


def test_a_code_from_the_time_step_before_still_turns_on_two_step_sign_in(client):
    """A phone's clock a little behind, or a code typed as its 30 seconds end, is accepted."""
    from allauth.mfa.models import Authenticator

    user = _signed_in(client)
    _reauthenticated(client)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    middle_of_a_step = int(time.time()) // 30 * 30 + 15  # so no step ends during the test
    with time_machine.travel(middle_of_a_step, tick=False):
        previous_step = middle_of_a_step // 30 - 1
        code = format_hotp_value(hotp_value(secret, previous_step))
        response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
