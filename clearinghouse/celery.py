import logging
import os
import time

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


# After a failed publish, skip publishing for this long in this process: the rest of the
# request (and the next ones) do not wait on a dead broker again; the periodic jobs send later.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = [0.0]


def enqueue(task, *args) -> bool:
    """Queue `task(*args)` without waiting for an unreachable broker. False (and a warning) when
    it could not be queued: callers use it for work recorded in the database, which a periodic
    job picks up later, so a broker outage delays the work but never fails the request.
    After one failed publish the next ones are skipped at once for BROKER_BACKOFF_SECONDS."""
    eager = app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until[0]:
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        if not eager:
            _broker_down_until[0] = time.monotonic() + BROKER_BACKOFF_SECONDS
        logging.getLogger(__name__).warning(
            "Could not queue %s%s; it will be attempted later by a periodic job.",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True
