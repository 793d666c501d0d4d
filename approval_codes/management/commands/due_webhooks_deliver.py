from django.core.management.base import BaseCommand

from approval_codes import webhooks


class Command(BaseCommand):
    help = "Attempt every webhook delivery that is due, here and now."

    def handle(self, *args, **options):
        delivered = webhooks.due_webhooks_deliver()
        self.stdout.write(f"Delivered {delivered} webhook event(s).")
