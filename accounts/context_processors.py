from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.navigation import tabs_for


def account_navigation(request):
    user = getattr(request, "user", None)
    return {"account_tabs": SimpleLazyObject(lambda: tabs_for(user, current_path=request.path))}


def site(request):
    return {"site_name": settings.SITE_NAME}
