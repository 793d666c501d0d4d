"""The tabs of "My account". Each app names its own tabs in its AppConfig's `account_tabs`
(registered by `clearinghouse.apps.PortalApp.ready`), so a tab appears only once the feature
behind it exists, and only for users with the right it needs."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.permissions import user_has_right


@dataclass(frozen=True)
class Tab:
    label: str
    url_name: str
    right: str | None = None
    order: int = 50
    holder_only: bool = False


_tabs: list[Tab] = []


def register_tab(tab: Tab) -> None:
    if tab not in _tabs:
        _tabs.append(tab)
        _tabs.sort(key=lambda t: t.order)


def tabs_for(user, *, current_path: str = "") -> list[dict]:
    if getattr(user, "organisation_id", None) is None:
        return []
    visible = []
    for tab in _tabs:
        if tab.holder_only and not user.is_account_holder:
            continue
        if not user_has_right(user, tab.right):
            continue
        url = reverse(tab.url_name)
        visible.append({"label": tab.label, "url": url, "active": current_path.startswith(url)})
    return visible
