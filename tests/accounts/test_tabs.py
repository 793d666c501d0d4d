"""The tabs a sub-account sees are exactly those its rights allow."""

import pytest
from django.urls import reverse

from accounts.navigation import tabs_for
from accounts.permissions import Right

pytestmark = pytest.mark.django_db


def _labels(client):
    return [
        str(tab["label"])
        for tab in client.get(reverse("accounts:account-overview")).context["account_tabs"]
    ]


def test_the_account_holder_sees_contacts_and_my_details(holder_client):
    labels = _labels(holder_client)
    assert "Contacts" in labels and "My details" in labels
    assert labels.index("Contacts") < labels.index("My details")


@pytest.mark.parametrize(
    ("right", "label"),
    [(Right.MANAGE_CONTACTS, "Contacts"), (Right.MANAGE_ACCOUNT_DETAILS, "My details")],
)
def test_a_sub_account_sees_a_tab_only_with_its_right(sub_account, right, label):
    with_right = sub_account(right)
    without = sub_account(*(r for r in Right.values if r != right))
    assert label in [str(t["label"]) for t in tabs_for(with_right.user)]
    assert label not in [str(t["label"]) for t in tabs_for(without.user)]


def test_a_sub_account_without_rights_sees_no_tab_of_ours(sub_account_client):
    labels = _labels(sub_account_client())
    assert "Contacts" not in labels and "My details" not in labels
