from celery import shared_task

from clearinghouse import mail


@shared_task(ignore_result=True)
def deliver_email(email_id: int) -> None:
    mail.deliver(email_id)


@shared_task(ignore_result=True)
def resend_undelivered_email() -> None:
    mail.resend_undelivered()
