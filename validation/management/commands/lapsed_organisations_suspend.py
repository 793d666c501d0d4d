from clearinghouse.jobs import JobCommand


# R-VAL-6 (cited here, not in the help text that operators read).
class Command(JobCommand):
    help = "Suspend approved organisations whose attestation deadline has passed."
    job = "validation.jobs.lapsed_organisations_suspend"
    done = "Suspended {} organisation(s)."
