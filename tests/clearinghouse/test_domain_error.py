"""Errors as codes (issue 15): one `DomainError` base; each app's codes are a `TextChoices`;
the donor API publishes `reason` and error `type` as enums in its OpenAPI document."""

import inspect

import pytest

from accounts import errors as accounts_errors
from accounts.errors import AccountsErrorCode, ContactError
from accounts.one_login import LoginOfADonor
from approval_codes import errors as approval_codes_errors
from approval_codes.api import api
from clearinghouse.errors import DomainError
from orders import errors as orders_errors
from orders.errors import OrderNotAvailable
from validation import errors as validation_errors
from validation.errors import ReasonRequired


def test_a_code_is_a_member_of_its_apps_choices():
    error = ContactError("Taken.", code="contact_email_taken", field="email")
    assert error.code is AccountsErrorCode.CONTACT_EMAIL_TAKEN
    assert (error.message, error.field) == ("Taken.", "email")


def test_an_error_has_the_code_its_name_spells():
    assert orders_errors.InvalidPayment().code is orders_errors.OrderErrorCode.INVALID_PAYMENT
    assert LoginOfADonor().code is AccountsErrorCode.LOGIN_OF_A_DONOR
    assert ReasonRequired.code is validation_errors.ValidationErrorCode.REASON_REQUIRED


def test_every_order_and_validation_error_has_a_code_of_its_own():
    for module, base in [
        (orders_errors, orders_errors.OrderError),
        (validation_errors, validation_errors.ValidationRefused),
    ]:
        errors = [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, base) and cls is not base
        ]
        codes = [cls.code for cls in errors]
        assert errors and base.code not in codes
        assert len(set(codes)) == len(codes)


def test_a_code_the_app_does_not_list_is_refused():
    with pytest.raises(ValueError):
        ContactError("Taken.", code="no_such_code")


def test_several_reasons_are_kept_and_read_as_one_message():
    error = OrderNotAvailable("First.", "Second.")
    assert error.messages == ["First.", "Second."]
    assert str(error) == "First. Second."
    assert error.code == "order_not_available"


def test_without_a_message_the_class_says_its_own():
    assert str(ReasonRequired()) == str(ReasonRequired.default_message)


def test_every_apps_error_is_a_domain_error_and_none_is_called_validation_error():
    modules = [accounts_errors, approval_codes_errors, orders_errors, validation_errors]
    errors = [
        cls
        for module in modules
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == module.__name__
    ]
    assert errors and all(issubclass(cls, DomainError) for cls in errors)
    assert "ValidationError" not in {cls.__name__ for cls in errors}


def test_the_openapi_document_lists_the_reasons_and_error_types():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["CodeInvalidReason"]["enum"] == [
        "expired",
        "replaced",
        "revoked",
        "organisation_not_eligible",
        "unknown",
    ]
    assert "code_not_valid" in schemas["ApiErrorType"]["enum"]
    assert schemas["ErrorDetail"]["properties"]["type"] == {
        "$ref": "#/components/schemas/ApiErrorType",
        "description": "What went wrong, as a stable code.",
    }
