"""The invoice (or its credit note) as an A4 PDF, drawn with fpdf2 (pure Python).

Laid out as a Nordic supplier invoice: the seller at the top, the addressee where a window
envelope shows it, the invoice's number, dates and payment reference at the right, the lines,
VAT per rate, the amount to pay in the local currency with the USD amounts and the exchange rate
beside it (R-MS-8), how to pay, and the seller's registration and VAT numbers in the footer
(R-INV-1). In the invoice's language, with that language's number and date formats.

It uses the PDF core font (Helvetica), which covers Latin-1: Swedish and Norwegian letters
print; a letter beyond it prints as its base letter ("Łódź" as "Lódz"), any other character
as "?".
"""

import unicodedata
from datetime import date
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from orders.invoice_documents import payment_details
from orders.invoice_models import CreditNote, Invoice

_REPLACE = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "…": "..."})
# Letters with a stroke or ligatures, which Unicode does not decompose into a base letter.
_STROKED = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Œ": "OE", "œ": "oe"}
)
GREY = (90, 90, 90)
LIGHT = (235, 235, 235)


def _latin1(value) -> str:
    """`value` in the core font's Latin-1: a letter beyond it as its base letter ("Łódź" as
    "Lódz", so that a Polish or Czech address stays readable), anything else as "?"."""
    return "".join(
        char if ord(char) < 256 else _base_letters(char) for char in str(value).translate(_REPLACE)
    )


def _base_letters(char: str) -> str:
    base = unicodedata.normalize("NFKD", char).translate(_STROKED)
    base = "".join(part for part in base if not unicodedata.combining(part))
    return base if base and base.isascii() else "?"


def amount(value: Decimal) -> str:
    """`value` with two decimals and grouping, in the active language (1 234,50 in sv/nb)."""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def day(value: date | None) -> str:
    """A date as the active language writes it on an invoice (ISO in English and Swedish)."""
    if value is None:
        return ""
    if translation.get_language() == "en":
        return value.isoformat()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def rate(value: Decimal) -> str:
    text = formats.number_format(value.normalize(), use_l10n=True)
    return text if "E" not in text else str(value)


class _InvoicePDF(FPDF):
    footer_columns: list[list[str]] = []

    def footer(self):
        self.set_y(-28)
        self.set_draw_color(*GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        width = (self.w - self.l_margin - self.r_margin) / max(len(self.footer_columns), 1)
        top = self.get_y()
        for index, column in enumerate(self.footer_columns):
            self.set_xy(self.l_margin + index * width, top)
            self.set_font("Helvetica", "", 7.5)
            self.set_text_color(*GREY)
            self.multi_cell(width - 2, 3.6, _latin1("\n".join(line for line in column if line)))
        self.set_text_color(0)
        self.set_xy(self.l_margin, -9)
        self.set_font("Helvetica", "", 7)
        self.cell(0, 4, _latin1(f"{self.page_no()}/{{nb}}"), align="R")

    def multi_cell(self, *args, **kwargs):
        """Continue below, at the left margin (fpdf2's default is to the right)."""
        kwargs.setdefault("new_x", XPos.LMARGIN)
        kwargs.setdefault("new_y", YPos.NEXT)
        return super().multi_cell(*args, **kwargs)

    def text_line(self, txt, *, size=9.5, style="", height=4.6, width=0, align="L"):
        self.set_font("Helvetica", style, size)
        self.cell(width, height, _latin1(txt), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def label_value(self, x, label, value, *, width=40, label_width=34, bold=False):
        self.set_x(x)
        self.set_font("Helvetica", "", 8.5)
        self.set_text_color(*GREY)
        self.cell(label_width, 5, _latin1(label))
        self.set_text_color(0)
        self.set_font("Helvetica", "B" if bold else "", 9.5)
        self.cell(width, 5, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def invoice_pdf(invoice: Invoice, *, credit_note: CreditNote | None = None) -> bytes:
    """The PDF of `invoice`, or of `credit_note` (which reverses it), in the invoice's language."""
    with translation.override(invoice.language):
        return _draw(invoice, credit_note)


def _abroad(country: str, home: str) -> str:
    """The addressee's country by name, printed only when it is not the seller's."""
    if not country or country.upper() == home.upper():
        return ""
    return str(countries.name(country.upper()) or country) if len(country) == 2 else country


def _payment_lines(invoice: Invoice) -> list[tuple[str, str]]:
    return [(str(label), value) for label, value in payment_details(invoice)]


RIGHT_COLUMN = 120  # mm from the left: the document's details and the customer


def _draw(invoice: Invoice, credit_note: CreditNote | None) -> bytes:
    pdf = _new_pdf(invoice, credit_note)
    pdf.add_page()
    _draw_heading(pdf, invoice, credit_note)
    _draw_addressee_and_customer(pdf, invoice)
    if credit_note:
        pdf.set_font("Helvetica", "", 9.5)
        pdf.multi_cell(
            0,
            5,
            _latin1(
                _("This credit note cancels invoice %(number)s in full. Reason: %(reason)s")
                % {"number": invoice.display_number, "reason": credit_note.reason}
            ),
        )
        pdf.ln(3)
    _draw_lines(pdf, invoice)
    _draw_totals(pdf, invoice, credit_note)
    if not credit_note:
        _draw_payment(pdf, invoice)
    return bytes(pdf.output())


def _new_pdf(invoice: Invoice, credit_note: CreditNote | None) -> _InvoicePDF:
    """An A4 document with its title, author and the seller's footer (on every page)."""
    seller = invoice.seller
    pdf = _InvoicePDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=32)
    pdf.alias_nb_pages()
    title = str(credit_note) if credit_note else str(invoice)
    pdf.set_title(_latin1(title))
    pdf.set_author(_latin1(seller.get("name", "")))
    pdf.footer_columns = [
        [seller.get("name", ""), *seller.get("address", "").splitlines()],
        [
            _("Registration number: %(number)s") % {"number": seller.get("registration_number")},
            _("VAT number: %(number)s") % {"number": seller.get("vat_number")},
            seller.get("email", ""),
        ],
        [label + ": " + value for label, value in _payment_lines(invoice)[:-1] or []]
        + ([f"Peppol: {seller['peppol_id']}"] if seller.get("peppol_id") else []),
    ]
    return pdf


def _draw_heading(pdf: _InvoicePDF, invoice: Invoice, credit_note: CreditNote | None) -> None:
    """The seller and the document's title, and its details at the right."""
    seller = invoice.seller
    pdf.text_line(seller.get("name", ""), size=14, style="B", height=7)
    for line in seller.get("address", "").splitlines():
        pdf.text_line(line, size=9)
    pdf.set_xy(RIGHT_COLUMN, 16)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 8, _latin1(_("Credit note") if credit_note else _("Invoice")), align="R")
    pdf.set_y(28)
    for label, value, bold in _details(invoice, credit_note):
        pdf.label_value(RIGHT_COLUMN, label, value, bold=bold)


def _details(invoice: Invoice, credit_note: CreditNote | None) -> list[tuple[str, str, bool]]:
    """The document's numbers and dates: (label, value, bold)."""
    if credit_note:
        details = [
            (_("Credit note number"), credit_note.display_number, True),
            (_("Credit note date"), day(credit_note.issued_on), False),
            (_("Credits invoice"), invoice.display_number, False),
            (_("Invoice date"), day(invoice.issued_on), False),
        ]
    else:
        details = [
            (_("Invoice number"), invoice.display_number, True),
            (_("Invoice date"), day(invoice.issued_on), False),
            (_("Due date"), day(invoice.due_on), True),
            (_payment_lines(invoice)[-1][0], invoice.payment_reference, True),
        ]
    if invoice.order_id:
        details.append((_("Order number"), invoice.order.number, False))
    details.append((_("Customer number"), invoice.organisation.handle, False))
    return details


def _draw_addressee_and_customer(pdf: _InvoicePDF, invoice: Invoice) -> None:
    """The addressee where a window envelope shows it, and the customer beside it."""
    pdf.set_y(max(pdf.get_y() + 4, 58))
    top = pdf.get_y()
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*GREY)
    pdf.cell(90, 4, _latin1(_("Invoice address")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    for line in [
        invoice.addressee_organisation,
        invoice.addressee_name,
        *invoice.addressee_address.splitlines(),
        _abroad(invoice.addressee_country, invoice.seller.get("country", "")),
    ]:
        if line.strip():
            pdf.text_line(line, size=10, height=5)
    bottom = pdf.get_y()
    pdf.set_xy(RIGHT_COLUMN, top)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4, _latin1(_("Customer")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    customer = [
        (None, invoice.customer_name),
        (_("Registration number"), invoice.customer_registration_number),
        ("Peppol ID", invoice.customer_peppol_id),
        (_("Email"), invoice.addressee_email),
    ]
    for label, value in customer:
        if not value:
            continue
        pdf.set_x(RIGHT_COLUMN)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 4.6, _latin1(f"{label}: {value}" if label else value))
    pdf.set_y(max(bottom, pdf.get_y()) + 8)


def _draw_lines(pdf: _InvoicePDF, invoice: Invoice):
    currency = invoice.currency
    headings = [_("Description"), _("Quantity"), _("Unit price (USD)"), _("Amount (USD)")]
    widths = [70, 16, 24, 24]
    aligns = ["LEFT", "RIGHT", "RIGHT", "RIGHT"]
    if invoice.shows_usd:
        headings.append(_("Amount (%(currency)s)") % {"currency": currency})
        widths.append(26)
        aligns.append("RIGHT")
    headings.insert(len(headings) - (1 if invoice.shows_usd else 0), _("VAT"))
    widths.insert(len(widths) - (1 if invoice.shows_usd else 0), 14)
    aligns.insert(len(aligns) - (1 if invoice.shows_usd else 0), "RIGHT")
    pdf.set_font("Helvetica", "", 8.5)
    pdf.set_draw_color(200, 200, 200)
    with pdf.table(
        col_widths=widths,
        text_align=aligns,
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
        headings_style=_headings_style(),
        line_height=4.4,
        padding=1.2,
    ) as table:
        heading = table.row()
        for text in headings:
            heading.cell(_latin1(text))
        for line in invoice.lines.all():
            row = table.row()
            row.cell(_latin1(f"{line.description} ({line.sku})\n{line.get_charge_display()}"))
            row.cell(str(line.quantity))
            row.cell(amount(line.unit_price))
            row.cell(amount(line.amount))
            row.cell(f"{rate(line.vat_rate)} %")
            if invoice.shows_usd:
                row.cell(amount(line.amount_local))
    pdf.ln(3)


def _headings_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=LIGHT)


def _draw_totals(pdf: _InvoicePDF, invoice: Invoice, credit_note: CreditNote | None):
    currency = invoice.currency
    left, label_w, value_w = 92, 58, 28
    rows = [(_("Net amount"), invoice.net_total, "")]
    for subtotal in invoice.vat_subtotals.all():
        rows.append(
            (
                _("VAT %(rate)s %% of %(taxable)s")
                % {"rate": rate(subtotal.rate), "taxable": amount(subtotal.taxable_amount)},
                subtotal.tax_amount,
                "",
            )
        )
    rows.append((_("Total"), invoice.total, "B"))
    if credit_note is None and invoice.amount_paid:
        rows.append((_("Paid"), invoice.amount_paid, ""))
    for label, value, style in rows:
        pdf.set_x(left)
        pdf.set_font("Helvetica", style, 9.5)
        pdf.cell(label_w, 5.2, _latin1(label))
        pdf.cell(value_w, 5.2, _latin1(f"{amount(value)} {currency}"), align="R")
        pdf.ln(5.2)
    pdf.ln(1.5)
    pdf.set_x(left)
    pdf.set_fill_color(*LIGHT)
    pdf.set_font("Helvetica", "B", 12)
    to_pay = _("Amount credited") if credit_note else _("Amount to pay")
    owed = credit_note.total if credit_note else invoice.amount_due
    pdf.cell(label_w, 9, _latin1(to_pay), fill=True)
    pdf.cell(value_w, 9, _latin1(f"{amount(owed)} {currency}"), fill=True, align="R")
    pdf.ln(11)
    _draw_vat_and_usd_notes(pdf, invoice)
    pdf.ln(4)


def _draw_vat_and_usd_notes(pdf: _InvoicePDF, invoice: Invoice) -> None:
    """Why a rate is exempt, and the USD amounts with the exchange rate (R-MS-8)."""
    for subtotal in invoice.vat_subtotals.all():
        if subtotal.exemption_reason:
            pdf.set_font("Helvetica", "", 8.5)
            pdf.multi_cell(
                0,
                4.2,
                _latin1(
                    _("VAT %(category)s: %(reason)s")
                    % {"category": subtotal.category, "reason": subtotal.exemption_reason}
                ),
            )
    if invoice.shows_usd:
        pdf.set_font("Helvetica", "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(
            0,
            4.2,
            _latin1(
                _(
                    "Prices are in USD: net %(net)s, VAT %(vat)s, total %(total)s USD. Converted "
                    "at 1 USD = %(rate)s %(currency)s, the rate of %(day)s."
                )
                % {
                    "net": amount(invoice.net_total_usd),
                    "vat": amount(invoice.vat_total_usd),
                    "total": amount(invoice.total_usd),
                    "rate": rate(invoice.exchange_rate),
                    "currency": invoice.currency,
                    "day": day(invoice.exchange_rate_on),
                }
            ),
        )
        pdf.set_text_color(0)


def _draw_payment(pdf: _InvoicePDF, invoice: Invoice):
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    pdf.set_draw_color(*GREY)
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, _latin1(_("How to pay")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.4,
        _latin1(
            _(
                "Pay %(amount)s %(currency)s by %(due)s, quoting the reference %(reference)s so "
                "that your payment is matched to this invoice."
            )
            % {
                "amount": amount(invoice.amount_due),
                "currency": invoice.currency,
                "due": day(invoice.due_on),
                "reference": invoice.payment_reference,
            }
        ),
    )
    pdf.ln(1)
    for label, value in _payment_lines(invoice):
        pdf.label_value(pdf.l_margin + 2, label, value, width=80, label_width=36, bold=True)
    pdf.rect(
        pdf.l_margin - 2, top - 2, pdf.w - pdf.l_margin - pdf.r_margin + 4, pdf.get_y() - top + 4
    )
