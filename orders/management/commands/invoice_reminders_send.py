from django.core.management.base import BaseCommand

from orders.invoicing import invoice_reminders_send


# R-INV-2 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = (
        "Remind the recipients of invoice messages of unpaid invoices 7 and 21 days after the "
        "due date, each reminder once; safe to run twice, and on two machines at once."
    )

    def handle(self, *args, **options):
        sent = invoice_reminders_send()
        self.stdout.write(f"Sent {sent} payment reminder(s).")
