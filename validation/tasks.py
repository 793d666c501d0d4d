"""Periodic jobs (R-VAL-4, R-VAL-6): the tasks beat runs (settings.CELERY_BEAT_SCHEDULE), each
named after its job in validation.jobs and with a management command of the same name."""

from clearinghouse.jobs import job_task

attestation_reminders_send = job_task(__name__, "validation.jobs.attestation_reminders_send")
lapsed_organisations_suspend = job_task(__name__, "validation.jobs.lapsed_organisations_suspend")
overdue_digest_send = job_task(__name__, "validation.jobs.overdue_digest_send")
