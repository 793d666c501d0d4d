"""Peppol IDs (R-CON-6): 0007 = Swedish and 0192 = Norwegian organisation numbers, checked with
python-stdnum; other schemes by format."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.peppol import normalise_peppol_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0007:5567212047", "0007:5567212047"),
        (" 0007:556721-2047 ", "0007:5567212047"),
        ("0192:974760673", "0192:974760673"),
        ("0192:974 760 673", "0192:974760673"),
        ("0088:7300010000001", "0088:7300010000001"),
        ("9930:DE-123.456_x", "9930:DE-123.456_x"),
        ("", ""),
    ],
)
def test_valid_peppol_ids_are_stored_in_compact_form(given, stored):
    assert normalise_peppol_id(given) == stored


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("0007:5567212048", "invalid_peppol_identifier"),  # wrong check digit
        ("0192:974760674", "invalid_peppol_identifier"),
        ("5567212047", "invalid_peppol_id"),  # no scheme
        ("07:5567212047", "invalid_peppol_id"),
        ("0088:", "invalid_peppol_id"),
        ("0088:abc/def", "invalid_peppol_id"),
        ("0088:" + "9" * 51, "invalid_peppol_id"),
    ],
)
def test_malformed_peppol_ids_are_refused_with_a_reason(given, code):
    with pytest.raises(ValidationError) as raised:
        normalise_peppol_id(given)
    assert raised.value.code == code


def test_the_database_refuses_a_malformed_peppol_id(organisation):
    organisation.peppol_id = "not a peppol id"
    with pytest.raises(IntegrityError):
        organisation.save()


def _admin_peppol_form(organisation, peppol_id):
    from django.contrib import admin

    from accounts.admin import OrganisationAdmin
    from accounts.models import Organisation
    from tests.accounts.test_one_login import _admin_form

    return _admin_form(
        OrganisationAdmin(Organisation, admin.site), organisation, peppol_id=peppol_id
    )


def test_staff_entering_a_peppol_id_in_admin_get_its_check_digit_checked(organisation):
    """R-INV-3: the Peppol ID e-invoices are sent to is checked wherever it is entered; with
    a wrong check digit they would bounce."""
    form = _admin_peppol_form(organisation, "0007:5567212048")
    assert not form.is_valid()
    assert "is not a valid one" in str(form.errors["peppol_id"])


def test_staff_entering_a_peppol_id_in_admin_get_it_stored_as_my_details_stores_it(
    organisation,
):
    form = _admin_peppol_form(organisation, " 0007:556721-2047 ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["peppol_id"] == "0007:5567212047"
