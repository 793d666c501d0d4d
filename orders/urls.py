from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("catalogue/", views.catalogue, name="catalogue-detail"),
    path("new/<slug:programme>/", views.order_create, name="order-create"),
    path("<int:pk>/", views.order_detail, name="order-detail"),
    path("<int:pk>/cancel/", views.order_cancel, name="order-cancel"),
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("invoices/<int:pk>/e-invoice/", views.invoice_ubl, name="invoice-ubl"),
    path("invoices/<int:pk>/credit-note/pdf/", views.credit_note_pdf, name="credit-note-pdf"),
    path("invoices/<int:pk>/credit-note/e-invoice/", views.credit_note_ubl, name="credit-note-ubl"),
    path("licence-usage/", views.licence_usage, name="licence-usage-detail"),
    path("subscriptions/", views.subscription_list, name="subscription-list"),
    path(
        "subscriptions/<int:pk>/seats/",
        views.subscription_seats_change,
        name="subscription-seats-change",
    ),
]
