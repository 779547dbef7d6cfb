import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from school.ops import backup


class Command(BaseCommand):
    help = (
        "Write one archive of the whole site: the database (pg_dump or SQLite's "
        "backup API) and the media and private media folders."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            type=Path,
            help="file to write (default: school-backup-<time>.tar in "
            "BACKUP_DIR, or the current folder)",
        )

    def handle(self, *args, **options):
        archive = options["archive"]
        if archive is None:
            folder = Path(os.environ.get("BACKUP_DIR", "."))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            archive = folder / f"school-backup-{stamp}.tar"
        started = time.monotonic()
        manifest = backup.backup(archive)
        if options["verbosity"]:
            size = archive.stat().st_size
            self.stdout.write(
                f"{archive}: {size / 1024 / 1024:.1f} MB in "
                f"{time.monotonic() - started:.1f} s ({manifest['engine']}, "
                f"{manifest['files']['media']} media files, "
                f"{manifest['files']['private_media']} private files)"
            )
