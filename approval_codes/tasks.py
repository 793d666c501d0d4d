"""Celery tasks of approval codes, each named after the job in `jobs`, `api_log` or `webhooks`
it runs; the periodic ones are scheduled by beat in settings.CELERY_BEAT_SCHEDULE and each also
has a management command."""

from celery import shared_task

from approval_codes import webhooks
from clearinghouse.celery import enqueue
from clearinghouse.jobs import job_task

expire_codes = job_task(__name__, "approval_codes.jobs.expire_codes")
approval_code_reminders_send = job_task(
    __name__, "approval_codes.jobs.approval_code_reminders_send"
)
# Every few seconds: the donor API's request log and donors' sightings into the database.
api_requests_flush = job_task(__name__, "approval_codes.api_log.api_requests_flush")
api_requests_prune = job_task(__name__, "approval_codes.api_log.api_requests_prune")
webhook_deliver = job_task(__name__, "approval_codes.webhooks.webhook_deliver")


@shared_task(ignore_result=True)
def due_webhooks_deliver() -> None:
    """Every minute: queue the deliveries whose next attempt is due, so retries happen and a
    broker outage at the time of the change delays a delivery but never loses it."""
    webhook_deliveries_enqueue(webhooks.due_delivery_ids())


def webhook_deliveries_enqueue(delivery_ids) -> None:
    """Queue one `webhook_deliver` per delivery. Never raises: if the broker is unreachable,
    `due_webhooks_deliver` picks the deliveries up later."""
    for delivery_id in delivery_ids:
        if not enqueue(webhook_deliver, delivery_id):
            return  # the rest would fail the same way
