from django.core.management.base import BaseCommand

from orders.services_subscriptions import subscriptions_renew


class Command(BaseCommand):
    help = (
        "Renew the subscriptions due (eligibility checked again, today's prices and grants), "
        "end those the organisation ended, lapse those of ineligible organisations, and send "
        "the reminders 30, 15 and 5 days before renewal. Safe to run twice at once."
    )

    def handle(self, *args, **options):
        counts = subscriptions_renew()
        message = (
            "Renewed {renewed}, lapsed {lapsed}, ended {ended}, failed {failed}; "
            "sent {reminded} reminder(s)."
        )
        self.stdout.write(message.format(**counts))
