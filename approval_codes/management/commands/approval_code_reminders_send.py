from django.core.management.base import BaseCommand

from approval_codes import jobs


class Command(BaseCommand):
    help = (
        "Email the representative and the issuer 7 days before an approval code expires and "
        "when it has expired, each once."
    )

    def handle(self, *args, **options):
        sent = jobs.approval_code_reminders_send()
        self.stdout.write(f"Wrote about {sent} approval code(s).")
