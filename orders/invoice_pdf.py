"""The invoice as a PDF, drawn with fpdf2 (pure Python, no system libraries).

It uses the PDF core font (Helvetica), which covers Latin-1: Swedish and Norwegian letters
print; any other character is replaced by "?".
"""

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from orders.models import Invoice


def _latin1(value) -> str:
    return str(value).encode("latin-1", "replace").decode("latin-1")


class _InvoicePDF(FPDF):
    def text_line(self, text, *, size=10, style="", height=5):
        self.set_font("Helvetica", style, size)
        self.cell(0, height, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def invoice_pdf(invoice: Invoice) -> bytes:
    pdf = _InvoicePDF(format="A4")
    pdf.set_title(_latin1(str(invoice)))
    pdf.set_author("Clearinghouse")
    pdf.add_page()
    pdf.text_line("Clearinghouse", style="B", size=11)
    pdf.text_line(str(invoice), style="B", size=18, height=10)
    for label, value in [
        (_("Invoice number"), invoice.display_number),
        (_("Invoice date"), invoice.issued_on.isoformat()),
        (_("Due date"), invoice.due_on.isoformat()),
        (_("Order number"), invoice.order.number),
    ]:
        pdf.text_line(f"{label}: {value}")
    pdf.ln(4)
    pdf.text_line(_("Addressed to"), style="B", size=11)
    address = [
        invoice.addressee_name,
        invoice.addressee_organisation,
        *invoice.addressee_address.splitlines(),
        invoice.addressee_country,
        invoice.addressee_email,
    ]
    for line in address:
        if line.strip():
            pdf.text_line(line)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(
        col_widths=(70, 30, 20, 25, 25),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
    ) as table:
        heading = table.row()
        for label in (_("Description"), _("SKU"), _("Quantity"), _("Unit price"), _("Amount")):
            heading.cell(_latin1(label))
        for line in invoice.lines.all():
            row = table.row()
            row.cell(_latin1(f"{line.description}\n{line.get_charge_display()}"))
            row.cell(_latin1(line.sku))
            row.cell(str(line.quantity))
            row.cell(str(line.unit_price))
            row.cell(str(line.amount))
    pdf.ln(4)
    for label, value, style in [
        (_("Products beyond the grant"), invoice.paid_total, ""),
        (_("Administrative fees"), invoice.admin_fee_total, ""),
        (_("Total (USD)"), invoice.total, "B"),
        (_("Amount due"), invoice.amount_due, ""),
    ]:
        pdf.text_line(f"{label}: {value} {invoice.currency}", style=style)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        _latin1(_("Prices are in USD; you are charged the equivalent in your local currency.")),
    )
    return bytes(pdf.output())
