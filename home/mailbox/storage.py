"""Attachments to mailbox questions are personal data: they live outside
MEDIA_ROOT (which is served publicly) and are only served by a view that
checks who is asking."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    # Read the setting on each use: tests point it at a temporary folder.
    @property
    def base_location(self):
        return Path(settings.SCHOOL_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(self.base_location.resolve())

    @property
    def base_url(self):
        return None


def private_storage():
    return PrivateStorage()
