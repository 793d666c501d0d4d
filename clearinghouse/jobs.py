"""The two doors of a periodic job: a Celery task for beat and a management command for a run
by hand. A job is one function (`validation.jobs.overdue_digest_send`); its task and its
command carry its name and do nothing but call it, so the three cannot drift apart.

The job is named by its dotted path and imported when it runs: a tasks module stays cheap to
import, and what the job calls is looked up afresh on each run.
"""

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


def job_task(tasks_module: str, job: str) -> Any:
    """The Celery task that runs `job`, registered as `<tasks_module>.<the job's name>` (the
    name beat's schedule uses). Arguments given to the task are passed to the job."""
    job_name = job.rpartition(".")[2]

    def run(*args: Any) -> Any:
        return import_string(job)(*args)

    run.__name__ = run.__qualname__ = job_name
    run.__module__ = tasks_module
    run.__doc__ = f"Run `{job}`."
    return shared_task(ignore_result=True, name=".".join((tasks_module, job_name)))(run)


class JobCommand(BaseCommand):
    """A management command that runs one job here and now and prints what it did.

    `job` is the job's dotted path; `done` the line printed after it, formatted with what the
    job returned: a count (`{}`), or a dict of counts (`{renewed}`). `job_kwargs` turns the
    command's options into the job's keyword arguments.
    """

    job: str
    done: str

    def job_kwargs(self, options: dict[str, Any]) -> dict[str, Any]:
        return {}

    def run_job(self, **options: Any) -> Any:
        run: Callable[..., Any] = import_string(self.job)
        result = run(**self.job_kwargs(options))
        if isinstance(result, dict):
            self.stdout.write(self.done.format(**result))
        else:
            self.stdout.write(self.done.format(result))
        return result

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_job(**options)
