from django.core.management.base import BaseCommand

from approval_codes import api_log


class Command(BaseCommand):
    help = "Forget the donor API's logged requests older than 30 days. Safe to run at once."

    def handle(self, *args, **options):
        self.stdout.write(f"Forgot {api_log.api_requests_prune()} old request(s).")
