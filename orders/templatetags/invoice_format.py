"""Dates, amounts and rates on the invoice page written as the PDF writes them, in the
active (the invoice's) language."""

from django import template

from orders.invoice_pdf import amount, day, rate

register = template.Library()

register.filter("invoice_date", day)
register.filter("invoice_amount", amount)
register.filter("invoice_rate", rate)
