from django.core.management.base import BaseCommand

from approval_codes import api_log


class Command(BaseCommand):
    help = (
        "Write the donor API's waiting request log and donors' code sightings to the database "
        "(and, with --prune, forget requests older than 30 days). Safe to run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Also forget old requests.")

    def handle(self, *args, **options):
        written = api_log.api_requests_flush()
        self.stdout.write(f"Wrote {written} request(s).")
        if options["prune"]:
            self.stdout.write(f"Forgot {api_log.api_requests_prune()} old request(s).")
