from django.urls import include, path

from approval_codes import views

app_name = "approval_codes"

# The "Approval codes" tab of My account, for the organisation's own codes.
account_urlpatterns = [
    path("", views.code_list, name="code-list"),
    path("new/", views.code_create, name="code-create"),
    path("<int:pk>/", views.code_detail, name="code-detail"),
    path("<int:pk>/renew/", views.code_renew, name="code-renew"),
    path("<int:pk>/revoke/", views.code_revoke, name="code-revoke"),
    path("<int:pk>/email/", views.code_email_again, name="code-email"),
]

# Mounted at the root by clearinghouse/urls.py, so that both the tab and the public page are
# in one namespace: `approval_codes:code-list` is /account/codes/,
# `approval_codes:code-verify` /verify/.
urlpatterns = [
    path("account/codes/", include(account_urlpatterns)),
    path("verify/", views.verify, name="code-verify"),
]
