from celery import shared_task

from orders import services


@shared_task(ignore_result=True)
def licence_usage_reminders_send() -> int:
    """Monthly (R-MS-6): remind organisations below 85 % or without a recent usage report."""
    return services.licence_usage_reminders_send()


@shared_task(ignore_result=True)
def subscriptions_renew() -> dict:
    """Daily (R-MS-14): renew, end or lapse the subscriptions due; send renewal reminders."""
    from orders.services_subscriptions import subscriptions_renew as renew

    return renew()


@shared_task(ignore_result=True)
def invoice_reminders_send() -> int:
    """Daily (R-INV-2): payment reminders 7 and 21 days after the due date, each once."""
    from orders.invoicing import invoice_reminders_send as send

    return send()
