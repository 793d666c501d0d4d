"""Each person's time zone: staff read the audit trail in their own zone (issue 13, item 8).

`User.time_zone` empty means the portal's own zone (`settings.TIME_ZONE`)."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.utils import timezone


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zones a person would pick: Area/City names and UTC, sorted."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right/"))
    }
    return ("UTC", *sorted(names))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def time_zone_of(user) -> str:
    return getattr(user, "time_zone", "") or settings.TIME_ZONE


class UserTimeZoneMiddleware:
    """Activates the signed-in user's time zone for the request, so every time the request
    renders (templates, admin) is in that zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.time_zone:
            return self.get_response(request)
        with timezone.override(zoneinfo.ZoneInfo(user.time_zone)):
            return self.get_response(request)
