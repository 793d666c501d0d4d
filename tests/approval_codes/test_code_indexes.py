"""The code table keeps only the indexes it needs (each is paid again by the expiry sweep);
codes stay unique, whatever their case, through `lookup`."""

import pytest
from django.db import IntegrityError, transaction

from tests.approval_codes.jobs_helpers import make_code

pytestmark = pytest.mark.django_db


def test_a_code_that_differs_only_in_case_is_refused(organisation):
    code = make_code(organisation)
    for text in (code.code, code.code.upper()):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_code(organisation, code=text)
