"""school.mail: e-mail leaves after commit, one message per address, at once
or through the database queue and its worker."""

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from school import mail

pytestmark = pytest.mark.django_db


def test_one_message_per_address_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        count = mail.send(
            "学习\n通知",
            "正文",
            ["a@example.com", "", "b@example.com", "a@example.com"],
        )
        assert outbox.outbox == []  # not before the commit

    assert count == 2
    assert [m.to for m in outbox.outbox] == [["a@example.com"], ["b@example.com"]]
    assert {m.subject for m in outbox.outbox} == {"学习 通知"}


def test_nothing_leaves_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                mail.send("主题", "正文", ["a@example.com"])
                raise RuntimeError

    assert outbox.outbox == []


def test_long_lists_go_in_batches(django_capture_on_commit_callbacks):
    addresses = [f"m{i}@example.com" for i in range(mail.BATCH * 2 + 1)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mail.send("主题", "正文", addresses)

    assert len(callbacks) == 3
    assert len(outbox.outbox) == len(addresses)


def test_a_failing_mail_server_is_logged_not_raised(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", down
    )
    with django_capture_on_commit_callbacks(execute=True):
        mail.send("主题", "正文", ["a@example.com"])

    assert "connection refused" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_queued_mail_waits_for_the_worker(settings):
    """The worker takes its own transactions (SQLite's exclusive ones too)."""
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    mail.send("主题", "正文", ["a@example.com", "b@example.com"])  # autocommit

    assert outbox.outbox == []
    assert DBTaskResult.objects.filter(backend_name="email").count() == 1

    call_command(
        "db_worker", "--backend", "email", "--batch", "--no-startup-delay", verbosity=0
    )

    assert sorted(m.to[0] for m in outbox.outbox) == ["a@example.com", "b@example.com"]


QUEUED = "school.mail.QueuedBackend"
OUTBOX = "django.core.mail.backends.locmem.EmailBackend"


def test_mail_sent_through_django_leaves_after_commit_with_its_html(
    settings, django_capture_on_commit_callbacks
):
    """Wagtail's notices use Django's send_mail: they take the queue too."""
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND, settings.SCHOOL_EMAIL_TRANSPORT = QUEUED, OUTBOX
    with django_capture_on_commit_callbacks(execute=True):
        send_mail(
            "待审核", "正文", None, ["editor@example.com"], html_message="<p>正文</p>"
        )
        assert outbox.outbox == []

    (message,) = outbox.outbox
    assert message.to == ["editor@example.com"]
    assert message.alternatives == [("<p>正文</p>", "text/html")]


@pytest.mark.django_db(transaction=True)
def test_mail_sent_through_django_waits_for_the_worker_when_queued(settings):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND, settings.SCHOOL_EMAIL_TRANSPORT = QUEUED, OUTBOX
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    assert send_mail("待审核", "正文", None, ["editor@example.com"]) == 1

    assert outbox.outbox == []
    call_command(
        "db_worker", "--backend", "email", "--batch", "--no-startup-delay", verbosity=0
    )
    assert [m.to for m in outbox.outbox] == [["editor@example.com"]]


def test_a_mail_server_that_is_down_fails_no_django_sender(
    settings, django_capture_on_commit_callbacks
):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = QUEUED
    settings.SCHOOL_EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        assert send_mail("待审核", "正文", None, ["editor@example.com"]) == 1
