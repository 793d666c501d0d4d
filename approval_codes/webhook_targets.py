"""Where webhooks may be posted: https, and never to a loopback, private, link-local or otherwise
internal address; checked when an endpoint is saved and again before every POST (a name may
resolve elsewhere later). `APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL` (on with `DEBUG`) lets a local
plain-http receiver be used, for development and tests."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _allow_local() -> bool:
    return getattr(settings, "APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL", settings.DEBUG)


def refusal(url: str) -> str:
    """Why webhooks may not be posted to `url` (a translated sentence), or "" when they may."""
    parts = urlsplit(url)
    local = _allow_local()
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        return _("The endpoint URL must start with https://.")
    if not parts.hostname:
        return _("The endpoint URL has no host name.")
    if local:
        return ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError):
        return _("The endpoint's host name could not be found.")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            return _("The endpoint's host resolves to a private or loopback address.")
    return ""


def validate_webhook_url(url: str) -> None:
    """A form field validator: raises ValidationError with the reason."""
    message = refusal(url)
    if message:
        raise ValidationError(message, code="webhook_url")
