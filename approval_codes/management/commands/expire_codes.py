from clearinghouse.jobs import JobCommand


# R-CODE-3 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = "Mark active approval codes past their expiry as expired and record it."
    job = "approval_codes.jobs.expire_codes"
    done = "Expired {} approval code(s)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Database connections to sweep with at once (PostgreSQL), for a large backlog.",
        )

    def job_kwargs(self, options):
        return {"workers": options["workers"]}
