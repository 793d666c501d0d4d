from django.core.management.base import BaseCommand

from approval_codes import jobs


# R-CODE-3 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = "Mark active approval codes past their expiry as expired and record it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Database connections to sweep with at once (PostgreSQL), for a large backlog.",
        )

    def handle(self, *args, **options):
        expired = jobs.expire_codes(workers=options["workers"])
        self.stdout.write(f"Expired {expired} approval code(s).")
