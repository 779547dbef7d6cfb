"""Fill the site with Chinese demo content and demo accounts.

Each installed app owns its demo data in an optional `<app>.demo` module with a
`seed(*, stdout)` function; this command calls them in INSTALLED_APPS order, so
the base apps come first and no app has to import one above it. A `seed` may
return lines (e.g. logins) to print at the end. Every `seed` is idempotent:
what already exists is left alone, so a second run changes nothing.
"""

import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    """The `demo` modules of the installed apps, in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


class Command(BaseCommand):
    help = "Create the demo site tree, media and accounts (safe to run again)."

    def handle(self, *args, **options):
        started = time.monotonic()
        notes = []
        with transaction.atomic():
            for module in demo_modules():
                notes.extend(module.seed(stdout=self.stdout) or [])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready in {time.monotonic() - started:.1f} s."
            )
        )
        for line in notes:
            self.stdout.write(line)
