"""Outgoing e-mail, one way for every app.

Callers render subject and body now, in the site's language, and hand them to
`send`. The messages leave once the transaction commits (never for a change
that was rolled back), through a task on the "email" task backend: run at
once by default, or queued in the database (`django_tasks_db`, worked by
`manage.py db_worker --backend email`) when SCHOOL_EMAIL_QUEUE is set, so that
a slow or failing mail server neither holds up nor breaks anyone's request.

Every address gets a message of its own: members never see each other's
addresses. Long lists go out in batches, so one bad batch loses little.

Mail that other code sends through Django (Wagtail's moderation notices, its
admin password reset) takes the same road: `EMAIL_BACKEND` is `QueuedBackend`,
and the backend that really talks to the mail server is
`SCHOOL_EMAIL_TRANSPORT` (the `EMAIL_BACKEND` environment variable).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

BATCH = 100


def transport():
    """A connection to the mail server (or the test outbox)."""
    if import_string(settings.EMAIL_BACKEND) is QueuedBackend:
        return get_connection(settings.SCHOOL_EMAIL_TRANSPORT)
    return get_connection()  # tests swap EMAIL_BACKEND for their outbox


@task(backend="email")
def deliver(subject: str, body: str, addresses: list[str]) -> int:
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    return transport().send_messages(messages) or 0


@task(backend="email")
def deliver_message(fields: dict) -> int:
    alternatives = fields.pop("alternatives")
    message = EmailMultiAlternatives(**fields)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return transport().send_messages([message]) or 0


class QueuedBackend(BaseEmailBackend):
    """Django's mail backend for mail sent by code other than `send`: each
    message leaves after commit through `deliver_message`, so a mail server
    that is down fails no request and prints no traceback into it."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.attachments:
                raise ValueError("Queued mail carries no attachments.")
            fields = {
                "subject": str(message.subject),
                "body": str(message.body),
                "from_email": message.from_email,
                "to": list(message.to),
                "cc": list(message.cc),
                "bcc": list(message.bcc),
                "reply_to": list(message.reply_to),
                "headers": dict(message.extra_headers),
                "alternatives": [
                    (str(content), mimetype)
                    for content, mimetype in getattr(message, "alternatives", [])
                ],
            }
            transaction.on_commit(lambda fields=fields: deliver_message.enqueue(fields))
        return len(email_messages)


def send(subject, body: str, addresses: Iterable[str]) -> int:
    """Send `body` to each address after commit; the number of addresses."""
    addresses = list(dict.fromkeys(address for address in addresses if address))
    subject = " ".join(str(subject).split())  # one line, as mail headers need
    for start in range(0, len(addresses), BATCH):
        batch = addresses[start : start + BATCH]
        transaction.on_commit(lambda batch=batch: deliver.enqueue(subject, body, batch))
    return len(addresses)
