"""Spreadsheet exports from Wagtail's admin views that read like the pages."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def local_time(value) -> str:
    """An aware datetime as the admin shows it: local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def yes_or_blank(value) -> str:
    return _("Yes") if value else ""


def yes_no_or_blank(value) -> str:
    """A yes/no answer, blank while there is none yet."""
    if value is None:
        return ""
    return _("Yes") if value else _("No")


class LocalTimeExportMixin:
    """Spreadsheets show the same local times as the page (Wagtail writes UTC)."""

    custom_value_preprocess = {
        datetime.datetime: {
            "xlsx": lambda value: (
                timezone.make_naive(value) if timezone.is_aware(value) else value
            ),
            "csv": local_time,
        },
        (datetime.date, datetime.time): {"xlsx": None},
    }
