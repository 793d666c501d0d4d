"""English, Swedish and Norwegian Bokmål; `no` gets `nb`; the choice is remembered."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "lang", "sign_in"),
    [
        ("sv-SE,sv;q=0.9", "sv", "Logga in"),
        ("no", "nb", "Logg inn"),
        ("no-NO,no;q=0.9,en;q=0.5", "nb", "Logg inn"),
        ("nb", "nb", "Logg inn"),
        ("de-DE", "en", "Sign in"),
    ],
)
def test_the_browsers_language_is_answered(client, accept_language, lang, sign_in):
    response = client.get("/", headers={"accept-language": accept_language})
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert sign_in in html


def test_choosing_a_language_is_remembered_for_the_visitor(client):
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_a_signed_in_users_choice_is_saved_and_follows_them_to_a_new_device(client, holder):
    client.force_login(holder)
    client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    holder.refresh_from_db()
    assert holder.language == "nb"

    client.cookies.clear()
    client.force_login(holder)
    assert '<html lang="nb">' in client.get("/", headers={"accept-language": "en"}).content.decode()


def test_an_unknown_language_changes_nothing(holder_client, holder):
    holder_client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    holder.refresh_from_db()
    assert holder.language == "en"
