"""Outgoing e-mail, one way for every app.

Callers render subject and body now, in the site's language, and hand them to
`send`. The messages leave once the transaction commits (never for a change
that was rolled back), through a task on the "email" task backend: run at
once by default, or queued in the database (`django_tasks_db`, worked by
`manage.py db_worker --backend email`) when SCHOOL_EMAIL_QUEUE is set, so that
a slow or failing mail server neither holds up nor breaks anyone's request.

Every address gets a message of its own: members never see each other's
addresses. Long lists go out in batches, so one bad batch loses little.
"""

from collections.abc import Iterable

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django_tasks import task

BATCH = 100


@task(backend="email")
def deliver(subject: str, body: str, addresses: list[str]) -> int:
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    return get_connection().send_messages(messages) or 0


def send(subject, body: str, addresses: Iterable[str]) -> int:
    """Send `body` to each address after commit; the number of addresses."""
    addresses = list(dict.fromkeys(address for address in addresses if address))
    subject = " ".join(str(subject).split())  # one line, as mail headers need
    for start in range(0, len(addresses), BATCH):
        batch = addresses[start : start + BATCH]
        transaction.on_commit(lambda batch=batch: deliver.enqueue(subject, body, batch))
    return len(addresses)
