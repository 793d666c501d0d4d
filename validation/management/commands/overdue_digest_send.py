from clearinghouse.jobs import JobCommand


# R-VAL-4 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = (
        "Email validation staff the applications past, or within two business days of, the "
        "10-business-day decision deadline; once a day."
    )
    job = "validation.jobs.overdue_digest_send"
    done = "Sent the digest to {} staff member(s)."
