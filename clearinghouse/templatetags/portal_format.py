"""`{% load portal_format %}`: `|day`, `|moment`, `|amount`, `|money:currency`, `|currency_label` —
dates and amounts in the active language (clearinghouse.l10n)."""

from django import template

from clearinghouse import l10n

register = template.Library()

register.filter("day", l10n.day)
register.filter("amount", l10n.amount)
register.filter("count", l10n.count)
register.filter("money", l10n.money)
register.filter("currency_label", l10n.currency_label)
register.filter("moment", l10n.moment)
