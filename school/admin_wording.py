"""Wagtail messages its Chinese catalogue leaves in English on the school's
admin screens ("New: 结对" above the pairing form, the error bar's link, the
unsaved-changes warning). The project's catalogue comes first (LOCALE_PATHS);
they are listed here so that makemessages keeps them."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Go to the first error"),
    gettext_noop("Save your changes before leaving"),
]
