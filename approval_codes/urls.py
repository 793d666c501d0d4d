from django.urls import include, path

from approval_codes import views

app_name = "approval_codes"

# The "Approval codes" tab of My account, for the organisation's own codes.
account_urlpatterns = [
    path("", views.code_list, name="list"),
    path("new/", views.code_create, name="create"),
    path("<int:pk>/", views.code_detail, name="detail"),
    path("<int:pk>/renew/", views.code_renew, name="renew"),
    path("<int:pk>/revoke/", views.code_revoke, name="revoke"),
    path("<int:pk>/email/", views.code_email_again, name="email"),
]

# Mounted at the root by clearinghouse/urls.py, so that both the tab and the public page are
# in one namespace: `approval_codes:list` is /account/codes/, `approval_codes:verify` /verify/.
urlpatterns = [
    path("account/codes/", include(account_urlpatterns)),
    path("verify/", views.verify, name="verify"),
]
