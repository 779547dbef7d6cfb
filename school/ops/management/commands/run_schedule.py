import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# Each is safe to run twice in a day (reminders are sent once a day at most).
DAILY = [
    "send_study_reminders",
    "prune_submission_images",
    "clearsessions",
    "prune_db_task_results",
]


def arguments(name: str) -> list[str]:
    # Finished e-mail tasks pile up in the queue's table.
    return ["--backend", "email"] if name == "prune_db_task_results" else []


def next_run(now: datetime, at: str) -> datetime:
    hour, minute = (int(part) for part in at.split(":"))
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


def run_daily(commands=DAILY) -> list[str]:
    """Run the daily commands one after another; the names of those that failed."""
    failed = []
    queued = settings.TASKS["email"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    for name in commands:
        if name == "prune_db_task_results" and not queued:
            continue
        try:
            call_command(name, *arguments(name))
        except Exception:  # one failing command must not stop the others
            logger.exception("Daily command %s failed", name)
            failed.append(name)
    return failed


class Command(BaseCommand):
    help = (
        "Run the daily commands (study reminders, pruning pictures, sessions and "
        "finished e-mail tasks) every day at SCHOOL_DAILY_AT, local time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", default=settings.SCHOOL_DAILY_AT)
        parser.add_argument(
            "--once", action="store_true", help="Run them now, once, and exit."
        )

    def handle(self, *, at, once, **options):
        try:
            next_run(timezone.localtime(), at)
        except ValueError as error:
            raise CommandError(f"--at takes HH:MM, not {at!r}") from error
        if once:
            failed = run_daily()
            if failed:
                raise CommandError(f"Failed: {', '.join(failed)}")
            return
        while True:
            run = next_run(timezone.localtime(), at)
            self.stdout.write(f"Next daily run at {run.isoformat()}", ending="\n")
            self.stdout.flush()
            # Short sleeps: a clock change or a stop signal is noticed quickly.
            while timezone.localtime() < run:
                time.sleep(min(60, (run - timezone.localtime()).total_seconds() + 1))
            run_daily()
            # The next run is a day away: hold no connection until then.
            connections.close_all()
