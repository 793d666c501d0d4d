"""Country names in the page's language, sorted as that language sorts, and the country a form
starts at (issue 13, item 3)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from clearinghouse.countries import collation_key, country_choices, default_country

pytestmark = pytest.mark.django_db


def _names(language):
    return [name for _code, name in country_choices(language)]


def test_swedish_sorts_a_ring_a_umlaut_and_o_umlaut_after_z():
    names = _names("sv")
    assert names.index("Zimbabwe") < names.index("Åland") < names.index("Österrike")
    assert names.index("Zambia") < names.index("Zimbabwe")


def test_norwegian_sorts_ae_o_slash_and_a_ring_after_z_in_that_order():
    names = _names("nb")
    assert names.index("Zimbabwe") < names.index("Østerrike") < names.index("Åland")


def test_english_folds_accents_into_the_base_letter():
    names = _names("en")
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index(dict(country_choices("en"))["CI"]) < names.index("Croatia")


def test_names_are_cldrs_in_the_pages_language():
    assert dict(country_choices("sv"))["DE"] == "Tyskland"
    assert dict(country_choices("nb"))["DE"] == "Tyskland"
    assert dict(country_choices("sv"))["NO"] == "Norge"
    assert dict(country_choices("en"))["SE"] == "Sweden"


def test_the_tailoring_is_the_alphabet_order_of_each_language():
    swedish = sorted(
        ["Öl", "Äpple", "Ål", "Zebra", "Ærø", "Übung"], key=lambda n: collation_key(n, "sv")
    )
    assert swedish == ["Übung", "Zebra", "Ål", "Äpple", "Ærø", "Öl"]
    norwegian = sorted(["Ål", "Øl", "Ær", "Zebra", "Äpple"], key=lambda n: collation_key(n, "nb"))
    assert norwegian == ["Zebra", "Äpple", "Ær", "Øl", "Ål"]


@override_settings(CLEARINGHOUSE_COUNTRY="FI")
def test_the_default_country_follows_the_language():
    assert default_country("sv") == "SE"
    assert default_country("nb") == "NO"
    assert default_country("en") == "FI"


@pytest.mark.parametrize(("language", "country"), [("sv", "SE"), ("nb", "NO"), ("en", "SE")])
def test_the_apply_form_starts_at_the_users_country(client, user, language, country):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    page = client.get(reverse("validation:application-submit"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{country}" selected>' in html
    assert '<option value="AF" selected>' not in html


def test_the_apply_form_lists_countries_in_swedish_order(client, user):
    user.language = "sv"
    user.save(update_fields=["language"])
    client.force_login(user)
    html = client.get(reverse("validation:application-submit")).content.decode()
    assert html.index(">Zimbabwe<") < html.index(">Åland<") < html.index(">Österrike<")
