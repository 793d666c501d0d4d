from clearinghouse.jobs import job_task

email_deliver = job_task(__name__, "clearinghouse.mail.email_deliver")
undelivered_email_resend = job_task(__name__, "clearinghouse.mail.undelivered_email_resend")
