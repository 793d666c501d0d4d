from django.core.management.base import BaseCommand

from clearinghouse import mail


class Command(BaseCommand):
    help = "Deliver outgoing email that is still waiting (the periodic job, run by hand)."

    def handle(self, *args, **options):
        sent = mail.undelivered_email_resend()
        self.stdout.write(f"Delivered {sent} waiting message(s).")
