from django.urls import path

from approval_codes import donor_views as views

app_name = "donor"

# The donor area, mounted at /donor/ by clearinghouse/urls.py.
urlpatterns = [
    path("", views.home, name="home"),
    path("keys/new/", views.key_create, name="key-create"),
    path("keys/publishable/new/", views.publishable_key_create, name="publishable-key-create"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key-revoke"),
    path("endpoints/new/", views.endpoint_create, name="endpoint-create"),
    path("endpoints/<int:pk>/", views.endpoint_detail, name="endpoint-detail"),
    path("endpoints/<int:pk>/rotate/", views.endpoint_rotate, name="endpoint-rotate"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery-resend"),
    path("requests/", views.request_list, name="request-list"),
    path("redemptions/", views.redemption_list, name="redemption-list"),
]
