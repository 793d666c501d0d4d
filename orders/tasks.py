"""Periodic jobs of orders: the tasks beat runs (settings.CELERY_BEAT_SCHEDULE), each named
after its job and with a management command of the same name."""

from clearinghouse.jobs import job_task

# Monthly (R-MS-6): remind organisations below 85 % or without a recent usage report.
licence_usage_reminders_send = job_task(__name__, "orders.services.licence_usage_reminders_send")
# Daily (R-MS-14): renew, end or lapse the subscriptions due; send renewal reminders.
subscriptions_renew = job_task(__name__, "orders.services_subscriptions.subscriptions_renew")
# Daily (R-INV-2): payment reminders 7 and 21 days after the due date, each once.
invoice_reminders_send = job_task(__name__, "orders.invoicing.invoice_reminders_send")
