from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Renew the subscriptions due (eligibility checked again, today's prices and grants), "
        "end those the organisation ended, lapse those of ineligible organisations, and send "
        "the reminders 30, 15 and 5 days before renewal. Safe to run twice at once."
    )
    job = "orders.services_subscriptions.subscriptions_renew"
    done = (
        "Renewed {renewed}, lapsed {lapsed}, ended {ended}, failed {failed}; "
        "sent {reminded} reminder(s)."
    )
