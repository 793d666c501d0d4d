"""Periodic jobs (R-VAL-4, R-VAL-6): thin wrappers around validation.jobs, scheduled by beat in
settings.CELERY_BEAT_SCHEDULE; each also has a management command."""

from celery import shared_task

from validation import jobs


@shared_task(ignore_result=True)
def send_attestation_reminders() -> None:
    jobs.attestation_reminders_send()


@shared_task(ignore_result=True)
def suspend_lapsed_organisations() -> None:
    jobs.lapsed_organisations_suspend()


@shared_task(ignore_result=True)
def send_overdue_digest() -> None:
    jobs.overdue_digest_send()
