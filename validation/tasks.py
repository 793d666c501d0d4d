"""Periodic jobs (R-VAL-4, R-VAL-6): thin wrappers around validation.jobs, scheduled by beat in
settings.CELERY_BEAT_SCHEDULE; each also has a management command."""

from celery import shared_task

from validation import jobs


@shared_task(ignore_result=True)
def attestation_reminders_send() -> None:
    jobs.attestation_reminders_send()


@shared_task(ignore_result=True)
def lapsed_organisations_suspend() -> None:
    jobs.lapsed_organisations_suspend()


@shared_task(ignore_result=True)
def overdue_digest_send() -> None:
    jobs.overdue_digest_send()
