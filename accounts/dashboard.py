"""What "My account" opens on: what needs doing now, each with its link.

Each app says what needs doing in its own area in `<app>/dashboard.py`, as
`tasks(*, user, organisation, rights, today) -> list[Task]`; this module asks every installed
app, the way `load_demo_data` does, so accounts never reaches into another app's models.
"""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import Right, rights_of
from clearinghouse.apps import installed_app_modules


@dataclass(frozen=True)
class Task:
    area: str  # the tab it belongs to, shown as a small heading
    text: str
    url: str
    link_text: str
    urgent: bool = False


def dashboard_tasks(*, user, organisation, today: date) -> list[Task]:
    """Every task for `user` in `organisation`, urgent ones first, only in the areas the user's
    rights open."""
    rights = rights_of(user)
    tasks: list[Task] = []
    for module in installed_app_modules("dashboard"):
        if module.__name__ == __name__:
            continue
        tasks += module.tasks(user=user, organisation=organisation, rights=rights, today=today)
    return sorted(tasks, key=lambda task: not task.urgent)


@dataclass(frozen=True)
class Step:
    text: str
    url: str


def first_steps(*, user, organisation) -> list[Step]:
    """What an eligible organisation with nothing to do can start with, by the user's rights."""
    if organisation is None or not organisation.is_eligible:
        return []
    rights = rights_of(user)
    steps = []
    if Right.MANAGE_APPROVAL_CODES in rights:
        steps.append(
            Step(
                _("Create an approval code for a person who acts for your organisation"),
                reverse("approval_codes:code-create"),
            )
        )
    if Right.VIEW_PRODUCTS_ORDERS in rights:
        steps.append(
            Step(_("Browse the catalogue of donated products"), reverse("orders:catalogue-detail"))
        )
    if Right.MANAGE_CONTACTS in rights:
        steps.append(
            Step(_("Add the people who receive invoices"), reverse("accounts:contact-list"))
        )
    return steps
