"""Schemathesis, against /api/v1/openapi.json through the WSGI app: whatever the body, the API
never answers 5xx and every answer conforms to the document (issue 5, "Bad input").

Bounded: 30 generated examples per operation (plus the documented examples), no deadline.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.approval_codes.api_support import donor_with_key, issue

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def test_connection_kept():
    """Requests through the bare WSGI app would close the test's database connection at their
    end (and with it the test's transaction); Django's test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(organisation, settings, test_connection_kept):
    settings.APPROVAL_CODES_API_RATE = "1000000/minute"
    issue(organisation)
    return donor_with_key()[2]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_the_api_never_fails_and_answers_as_documented(case, key):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {key}"}
    response = case.call()
    assert response.status_code < 500, response.text
    # The key is always sent, so the checks that drop it do not apply (test_api_errors covers 401).
    case.validate_response(
        response,
        excluded_checks=[
            schemathesis.checks.ignored_auth,
            schemathesis.checks.missing_required_header,
        ],
    )
