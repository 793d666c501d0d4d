from django.core.management.base import BaseCommand

from validation import jobs


# R-VAL-4 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = (
        "Email validation staff the applications past, or within two business days of, the "
        "10-business-day decision deadline; once a day."
    )

    def handle(self, *args, **options):
        sent = jobs.overdue_digest_send()
        self.stdout.write(f"Sent the digest to {sent} staff member(s).")
