from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from clearinghouse.mail import record_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's messages (confirmation, password reset, …) go through the portal's outbox,
    so they survive a broker or SMTP outage like every other message."""

    def send_mail(self, template_prefix, email, context):
        request = context.get("request") or self.request
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context}
        )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
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
