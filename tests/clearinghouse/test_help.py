"""Help in the portal (issue 13, item 7): a Help page per area in three languages, linked from
each area's pages, and a footer with contact, privacy and terms whose text staff write in admin,
one per language."""

import pytest
from django.urls import reverse

from clearinghouse.models import SitePage

pytestmark = pytest.mark.django_db

AREAS = {
    "approval-codes": (
        "What is an approval code?",
        "Vad är en godkännandekod?",
        "Hva er en godkjenningskode?",
    ),
    "validation": ("Who can be validated?", "Vilka kan bli validerade?", "Hvem kan bli validert?"),
    "microsoft": (
        "Is there a minimum order?",
        "Finns det en minsta beställning?",
        "Finnes det en minstebestilling?",
    ),
    "contacts-billing": ("Who receives invoices?", "Vem får fakturorna?", "Hvem får fakturaene?"),
}


@pytest.mark.parametrize(("area", "questions"), AREAS.items())
def test_each_help_page_answers_questions_in_english_swedish_and_norwegian(client, area, questions):
    url = reverse("help-area", args=[area])
    for language, question in zip(("en", "sv", "nb"), questions, strict=True):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h2>{question}</h2>" in page
        assert page.count("<h2>") >= 5


def test_the_swedish_approval_code_help_speaks_of_godkannandekoder(client):
    page = client.get(reverse("help-area", args=["approval-codes"]), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Vad är en godkännandekod?" in page.content.decode()


def test_an_unknown_help_area_is_a_404(client):
    assert client.get(reverse("help-area", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    ("url", "link"),
    [
        (reverse("approval_codes:code-list"), "help-area/approval-codes"),
        (reverse("validation:application-detail"), "help-area/validation"),
        (reverse("orders:catalogue-detail"), "help-area/microsoft"),
        (reverse("accounts:contact-list"), "help-area/contacts-billing"),
        (reverse("accounts:organisation-details"), "help-area/contacts-billing"),
    ],
)
def test_each_area_links_to_its_help(holder_client, url, link):
    area = link.split("/")[1]
    assert f'href="{reverse("help-area", args=[area])}"' in holder_client.get(url).content.decode()


def test_the_footer_links_help_contact_privacy_and_terms(client):
    page = client.get(reverse("home")).content.decode()
    for slug in ("contact", "privacy", "terms"):
        assert f'href="{reverse("site-page", args=[slug])}"' in page
    assert f'href="{reverse("help")}"' in page


def test_a_footer_page_shows_the_text_staff_wrote_for_the_language(client):
    SitePage.objects.create(slug="privacy", language="en", title="Privacy", body="We keep little.")
    SitePage.objects.create(
        slug="privacy", language="sv", title="Integritet", body="Vi sparar lite.\n\nMycket lite."
    )
    url = reverse("site-page", args=["privacy"])
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "<h1>Integritet</h1>" in swedish and "<p>Mycket lite.</p>" in swedish
    norwegian = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "We keep little." in norwegian  # no Norwegian text yet: the English one


def test_a_footer_page_nobody_wrote_yet_says_so(client):
    response = client.get(reverse("site-page", args=["terms"]))
    assert response.status_code == 200
    assert "has not been written yet" in response.content.decode()
    assert client.get(reverse("site-page", args=["secrets"])).status_code == 404
