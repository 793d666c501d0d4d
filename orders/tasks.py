from celery import shared_task

from orders import services


@shared_task(ignore_result=True)
def licence_usage_reminders_send() -> int:
    """Monthly (R-MS-6): remind organisations below 85 % or without a recent usage report."""
    return services.licence_usage_reminders_send()
