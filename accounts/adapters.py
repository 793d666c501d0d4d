from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

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
