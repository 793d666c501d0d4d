from django.core.management.base import BaseCommand

from validation import jobs


class Command(BaseCommand):
    help = "Suspend approved organisations whose attestation deadline has passed (R-VAL-6)."

    def handle(self, *args, **options):
        suspended = jobs.lapsed_organisations_suspend()
        self.stdout.write(f"Suspended {suspended} organisation(s).")
