"""allauth's pages and mails speak in the portal's words, with the site's name from settings,
an HTML part in the portal's layout, and the names asked at sign-up (issue 13, items 2 and 3)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import override_settings

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Plenty-Of-Letters-42"


def _sign_up(client, **fields):
    data = {
        "first_name": "Nora",
        "last_name": "Lind",
        "email": "nora@example.org",
        "password1": STRONG,
        "password2": STRONG,
    }
    return client.post("/accounts/signup/", {**data, **fields})


def test_sign_up_stores_the_first_and_last_name(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="nora@example.org")
    assert (user.first_name, user.last_name) == ("Nora", "Lind")


def test_sign_up_without_a_name_is_refused_and_makes_no_account(client):
    response = _sign_up(client, first_name="", last_name="")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"first_name", "last_name"}
    assert not User.objects.exists()


def test_the_sign_up_form_asks_for_the_name_first(client):
    page = client.get("/accounts/signup/").content.decode()
    assert (
        page.index('name="first_name"')
        < page.index('name="last_name"')
        < page.index('name="email"')
    )


@pytest.mark.parametrize(
    ("language", "heading", "sentence", "link"),
    [
        (
            "sv",
            "Logga in",
            "Logga in med e-postadressen och lösenordet till ditt konto hos Clearinghouse.",
            "Skapa ett för din organisation",
        ),
        (
            "nb",
            "Logg inn",
            "Logg inn med e-postadressen og passordet til kontoen din hos Clearinghouse.",
            "Opprett en for organisasjonen din",
        ),
    ],
)
def test_the_login_page_reads_right_in_swedish_and_norwegian(
    client, language, heading, sentence, link
):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert sentence in page
    assert link in page
    assert "Har du redan ett konto" not in page  # allauth's mistranslation of "sign up first"
    assert "Sign in" not in page and "Sign In" not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Skapa ett konto", "Förnamn", "Efternamn", "Har du redan ett konto?"]),
        ("nb", ["Opprett en konto", "Fornavn", "Etternavn", "Har du allerede en konto?"]),
    ],
)
def test_the_sign_up_page_reads_right_in_swedish_and_norwegian(client, language, words):
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in page


@override_settings(SITE_NAME="Donationshuset")
def test_the_confirmation_mail_names_the_site_and_has_an_html_part(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client)
    [message] = mail.outbox
    assert message.subject == "Confirm your email address for Donationshuset"
    assert message.body.startswith("Hello Nora,")
    assert "create an account on Donationshuset" in message.body
    assert "Hello from" not in message.body and "Thank you for using" not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert f'<a href="{link}"' in html
    assert "Hello Nora," in html


@override_settings(SITE_NAME="Donationshuset")
def test_the_password_reset_mail_names_the_site_in_swedish(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="astrid@example.org", first_name="Astrid", language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/reset/",
            {"email": "astrid@example.org"},
            HTTP_ACCEPT_LANGUAGE="sv",
        )
    [message] = mail.outbox
    assert message.subject == "Välj ett nytt lösenord för Donationshuset"
    assert message.body.startswith("Hej Astrid,")
    assert "/accounts/password/reset/key/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_the_first_message_after_sign_in_is_in_the_users_language(client):
    user = UserFactory(
        email="astrid@example.org", first_name="Astrid", last_name="Berg", language="sv"
    )
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Du har loggat in som Astrid Berg."
