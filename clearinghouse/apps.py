from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


def installed_app_modules(module_name: str) -> Iterator[ModuleType]:
    """Each installed app's `<app>.<module_name>` (its `demo`, its `dashboard`), in the order
    of INSTALLED_APPS, for the apps that have one: how a cross-app piece asks every app without
    importing any by name."""
    for config in apps.get_app_configs():
        name = f"{config.name}.{module_name}"
        try:
            yield import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


class PortalApp:
    """Mixed into each app's AppConfig: one ready() that connects the app's receivers and adds
    the app's tabs to "My account", so that a tab appears only once the feature behind it is
    installed. An app overrides `connect_receivers` and `account_tabs`."""

    def connect_receivers(self) -> None:
        """Connect the app's signal receivers, each with a dispatch_uid."""

    def account_tabs(self) -> list:
        """The app's tabs of "My account" (`accounts.navigation.Tab`): built when the apps are
        ready rather than at import, since the rights they name import models."""
        return []

    def ready(self) -> None:
        from accounts.navigation import register_tab

        self.connect_receivers()
        for tab in self.account_tabs():
            register_tab(tab)


class ClearinghouseConfig(PortalApp, AppConfig):
    """The project package doubles as the home of cross-cutting pieces: audit trail and outbox."""

    name = "clearinghouse"
    verbose_name = _("Clearinghouse")

    def connect_receivers(self):
        from django.db.models.signals import post_migrate

        from clearinghouse.staff_groups import staff_groups_ensure

        # After every app's migrate: the last call finds every permission and sets the groups.
        post_migrate.connect(staff_groups_ensure, dispatch_uid="clearinghouse.staff_groups")
