from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from clearinghouse.client_ip import client_ip
from clearinghouse.mail import record_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's messages (confirmation, password reset, …) go through the portal's outbox,
    so they survive a broker or SMTP outage like every other message. They carry the site's
    name from settings and, like the portal's own mail, an HTML part in the portal's layout."""

    def send_mail(self, template_prefix, email, context):
        request = context.get("request") or self.request
        context = {
            "request": request,
            "email": email,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        ) or render_to_string("emails/_text-as-html.html", {"text": message.body})
        record_email(
            name=template_prefix.rsplit("/", 1)[-1],
            to=email,
            language=translation.get_language() or "en",
            subject=message.subject,
            text=message.body,
            html=html,
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Security notices (password, addresses, two-step sign-in) greet the person by name."""
        context = {"user": user, **(context or {})}
        return super().send_notification_mail(template_prefix, user, context, email)

    # --- Sign-in abuse (issue 10, item 6) ---------------------------------------------------
    # allauth's "login_failed" limit counts per address; anyone could lock anyone out with
    # five wrong passwords. Here its key is the address AND the client's IP, so the owner still
    # signs in from elsewhere; a high per-address ceiling ("login_failed_address") still stops
    # a guess spread over many addresses. (Built on allauth's pre_authenticate and its
    # rollback of a successful attempt's usage.)

    def get_client_ip(self, request):
        return client_ip(request) or super().get_client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        address = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address}:{client_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        address = credentials.get("email", credentials.get("username", "")).lower()
        self._address_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_address", key=address
        )
        if not self._address_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_address_usage", None)
        if usage:
            usage.rollback()
            self._address_usage = None

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit=commit)

    def add_message(self, request, level, message_template=None, message_context=None, **kwargs):
        """Say it in the language of the page it will be shown on: after signing in, that is the
        user's saved language (UserLanguageMiddleware), not the one the sign-in page used."""
        with translation.override(_next_page_language(request)):
            super().add_message(request, level, message_template, message_context, **kwargs)


def _next_page_language(request) -> str:
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and user.language
        and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    ):
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


def user_display(user) -> str:
    """How allauth names a person ("Signed in as Astrid Berg."): the name given at sign-up."""
    return user.get_full_name() or user.email
