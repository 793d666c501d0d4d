from django.core.management.base import BaseCommand

from approval_codes import jobs


class Command(BaseCommand):
    help = "Mark active approval codes past their expiry as expired and record it (R-CODE-3)."

    def handle(self, *args, **options):
        expired = jobs.expire_codes()
        self.stdout.write(f"Expired {expired} approval code(s).")
