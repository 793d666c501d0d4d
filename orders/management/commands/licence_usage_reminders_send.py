from django.core.management.base import BaseCommand

from orders import services


# R-MS-6 (cited here, not in the help text that operators read).
class Command(BaseCommand):
    help = (
        "Remind organisations with donated cloud licences whose licence use is below 85 % or "
        "whose usage report is missing or old. Once a month each; safe to run twice."
    )

    def handle(self, *args, **options):
        sent = services.licence_usage_reminders_send()
        self.stdout.write(f"Sent {sent} licence-usage reminder(s).")
