"""Send the study reminders of the day (run daily from cron):

    python manage.py send_study_reminders

Each study contact gets a weekly digest of their red and amber members, each
member with an overdue plan item a reminder; a second run on the same day
sends nothing (see courses.pairing.reminders).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from courses.pairing.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail the weekly digests to study contacts and overdue reminders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as if today were this day (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        counts = reminders_send(today=today)
        self.stdout.write(
            f"{counts.digests} contact digest(s), "
            f"{counts.overdue} overdue reminder(s) sent"
        )
