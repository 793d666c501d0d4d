from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and invoices")

    def ready(self):
        from accounts.navigation import Tab, register_tab
        from accounts.permissions import Right
        from accounts.signals import organisation_eligibility_changed

        organisation_eligibility_changed.connect(
            _hold_or_release_orders, dispatch_uid="orders.hold_or_release"
        )

        register_tab(
            Tab(
                label=_("Orders"),
                url_name="orders:order-list",
                right=Right.VIEW_PRODUCTS_ORDERS,
                order=20,
            )
        )


def _hold_or_release_orders(sender, *, organisation, eligible, actor, **kwargs):
    """R-VAL-10: submitted orders wait on hold while the organisation is not eligible."""
    from orders.services import orders_hold_or_release

    orders_hold_or_release(organisation=organisation, eligible=eligible, actor=actor)
