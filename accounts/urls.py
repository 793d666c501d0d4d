from django.urls import path

from accounts import views

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
    path("details/", views.organisation_details, name="organisation-details"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("email/stop/<str:token>/", views.email_stop, name="email-stop"),
]
