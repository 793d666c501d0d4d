from django.urls import path

from accounts import membership_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="account-overview"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/add/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/remove/", views.contact_delete, name="contact-delete"),
    path(
        "contacts/<int:pk>/invitation/send/",
        views.contact_invitation_send,
        name="contact-invitation-send",
    ),
    path(
        "contacts/<int:pk>/invitation/cancel/",
        views.contact_invitation_cancel,
        name="contact-invitation-cancel",
    ),
    path(
        "contacts/join-requests/",
        membership_views.join_request_list,
        name="join-request-list",
    ),
    path(
        "contacts/join-requests/<int:pk>/",
        membership_views.join_request_accept,
        name="join-request-accept",
    ),
    path(
        "contacts/join-requests/<int:pk>/decline/",
        membership_views.join_request_decline,
        name="join-request-decline",
    ),
    path("hand-over/", membership_views.hand_over_start, name="hand-over-start"),
    path("hand-over/cancel/", membership_views.hand_over_cancel, name="hand-over-cancel"),
    path(
        "hand-over/confirm/<str:token>/",
        membership_views.hand_over_confirm,
        name="hand-over-confirm",
    ),
    path("join/", membership_views.join_request_create, name="join-request-create"),
    path("join/cancel/", membership_views.join_request_cancel, name="join-request-cancel"),
    path("details/", views.organisation_details, name="organisation-details"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("email/stop/<str:token>/", views.email_stop, name="email-stop"),
]
