"""Delete members' uploaded pictures that no voice-column submission uses.

Run daily from cron, like send_study_reminders.
"""

from django.core.management.base import BaseCommand

from home.voice.services import submission_images_prune


class Command(BaseCommand):
    help = "Delete members' pictures that no voice-column submission uses any more."

    def handle(self, *args, **options):
        count = submission_images_prune()
        self.stdout.write(f"{count} unused submission pictures deleted.")
