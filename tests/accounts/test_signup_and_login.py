"""Sign-up, email confirmation and login through allauth (DESIGN.md §1, §5)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Plenty-Of-Letters-42"


def _sign_up(client, email="new@example.org", password=STRONG, password2=None, **names):
    return client.post(
        "/accounts/signup/",
        {
            "first_name": "Nora",
            "last_name": "Lind",
            "email": email,
            "password1": password,
            "password2": password2 or password,
            **names,
        },
    )


def _confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signing_up_sends_a_confirmation_and_login_waits_for_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert User.objects.filter(email="new@example.org").exists()
    [message] = mail.outbox
    assert message.to == ["new@example.org"]

    client.logout()
    response = client.post("/accounts/login/", {"login": "new@example.org", "password": STRONG})
    assert response.url == "/accounts/confirm-email/"  # mandatory verification

    link = _confirmation_link(message)
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_signing_up_with_a_used_email_changes_nothing(client, user):
    response = _sign_up(client, email=user.email.upper())
    # With enumeration prevention allauth answers as if it worked and mails the owner instead.
    assert User.objects.filter(email__iexact=user.email).count() == 1
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("1234567890123", "entirely numeric"),
    ],
)
def test_a_weak_password_gets_a_clear_message(client, password, error):
    response = _sign_up(client, password=password)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.exists()


def test_a_broken_confirmation_link_says_so(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()


def test_a_wrong_password_gets_a_clear_message(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )


def test_login_with_the_right_password_opens_my_account(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/account/"


def test_repeated_failed_logins_are_rate_limited(client):
    victim = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": victim.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": victim.email, "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
