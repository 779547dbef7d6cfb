"""Plain-text e-mail to members and staff, sent once the transaction commits."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from school import mail


def send_later(addresses, subject, template: str, context: dict) -> None:
    """Render in the site's language now, send after commit (never on rollback).

    `subject` is a lazy translation, formatted with `context` (`%(title)s`).
    """
    addresses = [address for address in addresses if address]
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = str(subject) % context

    mail.send(subject, body, addresses)
