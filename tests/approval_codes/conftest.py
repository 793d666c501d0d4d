"""Fixtures of the approval-code tests."""

import pytest


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings):
    """The tests' webhook receivers listen on 127.0.0.1 over plain http; tests of the URL
    checks turn this off again."""
    settings.APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL = True
