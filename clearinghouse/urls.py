from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from approval_codes import checker
from approval_codes.api import api as donor_api
from clearinghouse import help, views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", help.help_index, name="help"),
    path("help/<slug:area>/", help.help_area, name="help-area"),
    path("pages/<slug:slug>/", help.site_page, name="site-page"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("account/validation/", include("validation.urls")),
    path("", include("approval_codes.urls")),  # /account/codes/… and the public /verify/
    path("account/orders/certificates/", include("catalog.urls")),
    path("account/orders/", include("orders.urls")),
    path("donor/", include("approval_codes.donor_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/codes/check", checker.check, name="checker-check"),
    path("checker/<str:version>/checker.js", checker.script_view, name="checker-script"),
    path("checker/demo/", checker.demo, name="checker-demo"),
    path("api/v1/", donor_api.urls),
]
