from approval_codes import api_log
from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Write the donor API's waiting request log and donors' code sightings to the database "
        "(and, with --prune, forget requests older than 30 days). Safe to run at once."
    )
    job = "approval_codes.api_log.api_requests_flush"
    done = "Wrote {} request(s)."

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Also forget old requests.")

    def handle(self, *args, **options):
        self.run_job(**options)
        if options["prune"]:
            self.stdout.write(f"Forgot {api_log.api_requests_prune()} old request(s).")
