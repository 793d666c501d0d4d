import pytest

from accounts.models import Organisation
from tests.factories import UserFactory
from validation import services
from validation.models import Statement

DETAILS = {
    "legal_name": "Malmö Reading Club",
    "type": Organisation.Type.NONPROFIT,
    "country": "SE",
    "registration_number": "802002-4280",
    "address": "Lilla torg 1\n211 34 Malmö",
    "website": "https://reading.example.org",
    "mission": "Reading for everyone.",
}
ALL_STATEMENTS = list(Statement.values)


@pytest.fixture
def applicant(db):
    """A signed-up user without an organisation."""
    return UserFactory(email="applicant@reading.example.org")


@pytest.fixture
def submit(applicant):
    """`submit(**overrides)`: the applicant applies; returns the application."""

    def apply(user=None, **overrides):
        return services.application_submit(
            user=user or applicant, statements=ALL_STATEMENTS, **{**DETAILS, **overrides}
        )

    return apply


@pytest.fixture
def application(submit):
    return submit()


@pytest.fixture
def approved_application(application, reviewer):
    return services.application_approve(application=application, actor=reviewer)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded documents go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "private"
