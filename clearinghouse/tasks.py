from celery import shared_task

from clearinghouse import mail


@shared_task(ignore_result=True)
def email_deliver(email_id: int) -> None:
    mail.email_deliver(email_id)


@shared_task(ignore_result=True)
def undelivered_email_resend() -> None:
    mail.undelivered_email_resend()
