from clearinghouse.jobs import JobCommand


# R-VAL-6 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = "Send attestation reminders 30 and 7 days before the deadline, each once."
    job = "validation.jobs.attestation_reminders_send"
    done = "Sent {} attestation reminder(s)."
