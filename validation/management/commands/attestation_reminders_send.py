from django.core.management.base import BaseCommand

from validation import jobs


# R-VAL-6 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = "Send attestation reminders 30 and 7 days before the deadline, each once."

    def handle(self, *args, **options):
        sent = jobs.attestation_reminders_send()
        self.stdout.write(f"Sent {sent} attestation reminder(s).")
