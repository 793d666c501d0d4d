from django.core.management.base import BaseCommand

from validation import jobs


# R-VAL-6 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = "Suspend approved organisations whose attestation deadline has passed."

    def handle(self, *args, **options):
        suspended = jobs.lapsed_organisations_suspend()
        self.stdout.write(f"Suspended {suspended} organisation(s).")
