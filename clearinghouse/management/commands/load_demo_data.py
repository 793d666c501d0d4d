from django.core.management.base import BaseCommand
from django.db import transaction

from clearinghouse.apps import installed_app_modules


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent): each app's `demo.load()` runs in the order of "
        "INSTALLED_APPS, then the logins are printed."
    )

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            for module in installed_app_modules("demo"):
                logins += module.load(stdout=self.stdout) or []
        self.stdout.write(
            self.style.SUCCESS("Demo data is loaded. Sign in at /accounts/login/ with:")
        )
        for role, email, password in logins:
            self.stdout.write(f"  {role:<28} {email:<32} {password}")
