from clearinghouse.jobs import JobCommand


# R-INV-2 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = (
        "Remind the recipients of invoice messages of unpaid invoices 7 and 21 days after the "
        "due date, each reminder once; safe to run twice, and on two machines at once."
    )
    job = "orders.invoicing.invoice_reminders_send"
    done = "Sent {} payment reminder(s)."
