"""One permission check for every view, form and action: `user_has_right(user, right)`.

The account holder has every right; a sub-account has the rights ticked on its contact.
Rights are read from the database on every request (the user and its contact are loaded
afresh by the authentication middleware), so removing a right or deactivating a sub-account
takes effect at once, also for sessions already signed in.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    MANAGE_APPROVAL_CODES = "manage_approval_codes", _("Manage approval codes")
    VIEW_PRODUCTS_ORDERS = "view_products_orders", _("View products & orders")
    PLACE_ORDERS = "place_orders", _("Place orders")
    VIEW_PAY_INVOICES = "view_pay_invoices", _("View & pay invoices")
    MANAGE_CONTACTS = "manage_contacts", _("Manage contacts")
    MANAGE_ACCOUNT_DETAILS = "manage_account_details", _("Manage account details")


# R-CON-10: rights that only work together. The key needs every right in its value.
RIGHT_REQUIRES: dict[str, frozenset[str]] = {
    Right.PLACE_ORDERS: frozenset({Right.VIEW_PRODUCTS_ORDERS}),
}


def rights_of(user) -> frozenset[str]:
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or user.organisation_id is None
    ):
        return frozenset()
    if user.is_account_holder:
        return frozenset(Right.values)
    contact = getattr(user, "contact", None)
    if (
        contact is None
        or contact.organisation_id != user.organisation_id
        or contact.is_main
        or not contact.sub_account_active
    ):
        return frozenset()
    return contact.rights


def missing_required_rights(rights) -> dict[str, frozenset[str]]:
    """For each chosen right that needs others (R-CON-10), the ones not chosen with it."""
    rights = set(rights)
    return {
        right: needed - rights
        for right, needed in RIGHT_REQUIRES.items()
        if right in rights and needed - rights
    }


def rights_grantable_by(grantor) -> frozenset[str]:
    """The rights `grantor` may give another person (R-CON-11): the account holder every
    right; a sub-account only rights it holds itself, and never "Manage contacts" (with it,
    the new person could hand rights on again). Flows that let a sub-account choose someone's
    rights (accepting a join request) offer and accept only these."""
    if getattr(grantor, "is_account_holder", False) and rights_of(grantor):
        return frozenset(Right.values)
    return rights_of(grantor) - {Right.MANAGE_CONTACTS.value}


def rights_not_grantable_by(grantor, rights) -> frozenset[str]:
    """Of `rights`, the ones `grantor` may not give (empty: it may give them all)."""
    return frozenset(Right(right).value for right in rights) - rights_grantable_by(grantor)


def user_has_right(user, right: str | None) -> bool:
    """`right=None` asks only whether the user belongs to an organisation."""
    if right is None:
        return getattr(user, "organisation_id", None) is not None
    return right in rights_of(user)


def organisation_required(
    right: str | None = None, *, post_right: str | None = None, holder_only: bool = False
):
    """The one check for views of the organisation's own pages.

    Anonymous → login; no organisation yet → the home page explains what to do;
    a missing right → 403 saying which right is needed. `post_right` is for a page that reads
    with `right` and writes with another: a POST needs `post_right` as well, and the view reads
    `request.may_post` (whether the user has it) to decide whether to show the form.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.organisation_id is None:
                return redirect("accounts:account-overview")
            if holder_only and not user.is_account_holder:
                raise PermissionDenied(_("Only the account holder can do this."))
            _check_right(user, right)
            request.may_post = post_right is None or user_has_right(user, post_right)
            if request.method == "POST":
                _check_right(user, post_right)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _check_right(user, right: str | None) -> None:
    if right is not None and not user_has_right(user, right):
        raise PermissionDenied(
            _("You need the right “%(right)s”. Ask your account holder for it.")
            % {"right": Right(right).label}
        )
