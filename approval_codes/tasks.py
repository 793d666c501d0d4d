"""Celery tasks of approval codes: thin wrappers around `jobs` and `webhooks`, scheduled by beat
in settings.CELERY_BEAT_SCHEDULE; each periodic one also has a management command."""

from celery import shared_task

from approval_codes import api_log, jobs, webhooks
from clearinghouse.celery import enqueue


@shared_task(ignore_result=True)
def expire_codes() -> None:
    jobs.expire_codes()


@shared_task(ignore_result=True)
def approval_code_reminders_send() -> None:
    jobs.approval_code_reminders_send()


@shared_task(ignore_result=True)
def api_requests_flush() -> None:
    """Every few seconds: the donor API's request log and donors' sightings into the database."""
    api_log.api_requests_flush()


@shared_task(ignore_result=True)
def api_requests_prune() -> None:
    api_log.api_requests_prune()


@shared_task(ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    webhooks.webhook_deliver(delivery_id)


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
