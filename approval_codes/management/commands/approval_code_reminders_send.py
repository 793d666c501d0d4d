from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Email the representative and the issuer 7 days before an approval code expires and "
        "when it has expired, each once."
    )
    job = "approval_codes.jobs.approval_code_reminders_send"
    done = "Wrote about {} approval code(s)."
