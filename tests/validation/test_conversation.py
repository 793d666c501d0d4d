"""The applicant sees the conversation (issue 13, item 6): after a request for more information
the validation page shows staff's messages and the organisation's answers with their files, in
order, and staff see the same thread in admin (R-VAL-3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from validation import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


@pytest.fixture
def conversation(application, applicant, reviewer):
    """Staff ask, the organisation answers with a file, staff ask again."""
    services.application_request_information(
        application=application, actor=reviewer, message="Please send your statutes."
    )
    statutes = SimpleUploadedFile("statutes.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    services.application_answer(
        application=application, user=applicant, answer="Here they are.", document=statutes
    )
    services.application_request_information(
        application=application, actor=reviewer, message="And the board's minutes, please."
    )
    return application


def test_the_applicant_sees_every_message_and_answer_in_order_with_its_file(
    client, applicant, conversation
):
    client.force_login(applicant)
    page = client.get(reverse("validation:application-detail")).content.decode()
    thread = page[page.index('data-testid="conversation"') :]
    first = thread.index("Please send your statutes.")
    answer = thread.index("Here they are.")
    second = thread.index("And the board&#x27;s minutes, please.")
    assert first < answer < second
    assert "statutes.pdf" in thread[answer:second]
    assert "Our staff" in thread and "Your organisation" in thread


def test_staff_see_the_same_thread_in_admin_with_the_file_to_download(
    client, reviewer, conversation
):
    client.force_login(reviewer)
    url = reverse("admin:validation_application_change", args=[conversation.pk])
    page = client.get(url).content.decode()
    correspondence = page[page.index('id="correspondence"') :]
    assert correspondence.index("Please send your statutes.") < correspondence.index(
        "Here they are."
    )
    document = conversation.documents.get()
    download = reverse("admin:validation_application_document", args=[conversation.pk, document.pk])
    assert download in correspondence[: correspondence.index('id="documents"')]


def test_an_application_without_messages_shows_no_conversation(client, applicant, application):
    client.force_login(applicant)
    page = client.get(reverse("validation:application-detail")).content.decode()
    assert 'data-testid="conversation"' not in page
