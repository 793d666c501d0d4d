"""Celery tasks of approval codes: thin wrappers around `jobs` and `webhooks`, scheduled by beat
in settings.CELERY_BEAT_SCHEDULE; each periodic one also has a management command."""

from celery import shared_task

from approval_codes import api_log, jobs, webhooks
from clearinghouse.celery import enqueue


@shared_task(ignore_result=True)
def expire_codes() -> None:
    jobs.expire_codes()


@shared_task(ignore_result=True)
def send_code_reminders() -> None:
    jobs.expiry_reminders_send()


@shared_task(ignore_result=True)
def flush_api_requests() -> None:
    """Every few seconds: the donor API's request log and donors' sightings into the database."""
    api_log.flush()


@shared_task(ignore_result=True)
def prune_api_requests() -> None:
    api_log.prune()


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    webhooks.deliver(delivery_id)


@shared_task(ignore_result=True)
def deliver_due_webhooks() -> None:
    """Every minute: queue the deliveries whose next attempt is due, so retries happen and a
    broker outage at the time of the change delays a delivery but never loses it."""
    enqueue_webhook_deliveries(webhooks.due_delivery_ids())


def enqueue_webhook_deliveries(delivery_ids) -> None:
    """Queue one `deliver_webhook` per delivery. Never raises: if the broker is unreachable,
    `deliver_due_webhooks` picks the deliveries up later."""
    for delivery_id in delivery_ids:
        if not enqueue(deliver_webhook, delivery_id):
            return  # the rest would fail the same way
