from django import template

from accounts.permissions import user_has_right

register = template.Library()


@register.filter
def has_right(user, right: str) -> bool:
    """`{% if user|has_right:"view_pay_invoices" %}`: the one permission check, in templates."""
    return user_has_right(user, right)
