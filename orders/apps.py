from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and invoices")

    def ready(self):
        from accounts.navigation import Tab, register_tab
        from accounts.permissions import Right

        register_tab(
            Tab(
                label=_("Orders"),
                url_name="orders:order-list",
                right=Right.VIEW_PRODUCTS_ORDERS,
                order=20,
            )
        )
