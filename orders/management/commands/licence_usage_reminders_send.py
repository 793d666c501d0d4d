from clearinghouse.jobs import JobCommand


# R-MS-6 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = (
        "Remind organisations with donated cloud licences whose licence use is below 85 % or "
        "whose usage report is missing or old. Once a month each; safe to run twice."
    )
    job = "orders.services.licence_usage_reminders_send"
    done = "Sent {} licence-usage reminder(s)."
