import time
from pathlib import Path

from django.core.management.base import BaseCommand

from school.ops import backup


class Command(BaseCommand):
    help = (
        "Rebuild the site from an archive written by `backup`: into a new, "
        "empty database and empty media folders (or --replace this site)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a site that is not empty (its database and files)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        manifest = backup.restore(options["archive"], replace=options["replace"])
        if options["verbosity"]:
            self.stdout.write(
                f"Restored the backup of {manifest['created']} in "
                f"{time.monotonic() - started:.1f} s. Run `manage.py migrate` if "
                "this code is newer than the backup."
            )
