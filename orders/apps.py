from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clearinghouse.apps import PortalApp


class OrdersConfig(PortalApp, AppConfig):
    name = "orders"
    verbose_name = _("Orders and invoices")

    def connect_receivers(self):
        from accounts.signals import organisation_eligibility_changed

        organisation_eligibility_changed.connect(
            _hold_or_release_orders, dispatch_uid="orders.hold_or_release"
        )

    def account_tabs(self):
        from accounts.navigation import Tab
        from accounts.permissions import Right

        return [Tab(_("Orders"), "orders:order-list", Right.VIEW_PRODUCTS_ORDERS, 20)]


def _hold_or_release_orders(sender, *, organisation, eligible, actor, **kwargs):
    """R-VAL-10: submitted orders wait on hold while the organisation is not eligible."""
    from orders.services import orders_hold_or_release

    orders_hold_or_release(organisation=organisation, eligible=eligible, actor=actor)
