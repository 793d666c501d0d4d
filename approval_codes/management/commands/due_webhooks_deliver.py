from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = "Attempt every webhook delivery that is due, here and now."
    job = "approval_codes.webhooks.due_webhooks_deliver"
    done = "Delivered {} webhook event(s)."
