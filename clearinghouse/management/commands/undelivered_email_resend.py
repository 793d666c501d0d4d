from clearinghouse.jobs import JobCommand


class Command(JobCommand):
    help = "Deliver outgoing email that is still waiting (the periodic job, run by hand)."
    job = "clearinghouse.mail.undelivered_email_resend"
    done = "Delivered {} waiting message(s)."
