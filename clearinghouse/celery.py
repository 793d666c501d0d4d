import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")

app = Celery("clearinghouse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_queue_folders(sender, **kwargs):
    """Kombu's filesystem transport needs its folders to exist."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = (sender.conf.broker_transport_options or {}).get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


def enqueue(task, *args) -> bool:
    """Queue `task(*args)` without waiting for an unreachable broker. False (and a warning) when
    it could not be queued: callers use it for work recorded in the database, which a periodic
    job picks up later, so a broker outage delays the work but never fails the request."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        logging.getLogger(__name__).warning(
            "Could not queue %s%s; it will be attempted later by a periodic job.",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True
