"""Render the proxy's own error pages (deploy/nginx/school.conf) into
STATIC_ROOT/errors/: the over-long address (414) and no app server answering
(502/504). nginx answers these itself, before or without Django, so they are
plain files, rendered in the site's language after `collectstatic`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

# File name: template. With no app server answering, the app's own calm
# "busy" page says what is needed.
PAGES = {"414.html": "errors/414.html", "502.html": "503.html"}


class Command(BaseCommand):
    help = "Write the proxy's Chinese error pages into STATIC_ROOT/errors/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", type=Path, help="folder (default STATIC_ROOT/errors)"
        )

    def handle(self, *args, **options):
        folder = options["to"] or Path(settings.STATIC_ROOT) / "errors"
        folder.mkdir(parents=True, exist_ok=True)
        with translation.override(settings.LANGUAGE_CODE):
            for name, template in PAGES.items():
                html = render_to_string(template)
                (folder / name).write_text(html, encoding="utf-8")
        if options["verbosity"]:
            self.stdout.write(f"Error pages written to {folder}")
