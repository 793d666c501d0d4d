import re

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

_NORWEGIAN = re.compile(r"(?<![\w-])(no|nn)(?=[-;,\s]|$)", re.IGNORECASE)


class NorwegianAcceptLanguageMiddleware:
    """Browsers set to Norwegian often send `no` (or `nn`); we speak Bokmål, so answer in `nb`.
    Runs before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if header and _NORWEGIAN.search(header):
            request.META["HTTP_ACCEPT_LANGUAGE"] = _NORWEGIAN.sub("nb", header)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, on any device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user.is_authenticated and not cookie and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class StaffMFAMiddleware:
    """With REQUIRE_STAFF_MFA on, staff without an authenticator app set up are sent to set one
    up before they reach admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and request.user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request,
                _("Staff must use two-factor authentication. Set up an authenticator app first."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Account pages, code lists, invoices and their PDFs are a person's own: never kept by a
    browser or a shared cache (`Cache-Control: private, no-store`)."""

    PREFIXES = ("/account/", "/accounts/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.PREFIXES):
            patch_cache_control(response, private=True, no_store=True)
        return response
