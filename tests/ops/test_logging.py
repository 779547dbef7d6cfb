import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings

from school.ops.logging import (
    ENVIRON_KEY,
    GunicornLogger,
    QueuedAdminEmailHandler,
    access_record,
    redact,
)
from tests.members import factories


def test_redact_masks_phone_numbers_and_key_links():
    assert redact("/members/13812345678/") == "/members/138****5678/"
    assert redact("/accounts/confirm-email/MQ:1vS:abc/") == "/accounts/confirm-email/…/"
    assert (
        redact("/accounts/password/reset/key/3-abc-def/")
        == "/accounts/password/reset/key/…/"
    )


def test_access_record_drops_the_query_string():
    record = access_record(
        method="GET",
        raw_path="/search/?q=13812345678&code=123456",
        status=200,
        duration=timedelta(milliseconds=12.34),
        environ={},
    )
    assert record["path"] == "/search/"
    assert record["duration_ms"] == 12.3
    assert record["user_id"] is None


@pytest.mark.django_db
def test_request_leaves_user_id_and_redacted_path_for_the_access_log(client):
    user = factories.user()
    client.force_login(user)
    response = client.get("/accounts/confirm-email/secret-key-value/?phone=13812345678")
    noted = response.wsgi_request.environ[ENVIRON_KEY]
    assert noted == {"user_id": user.pk, "path": "/accounts/confirm-email/…/"}


@pytest.mark.django_db
def test_anonymous_request_logs_no_user(client):
    response = client.get("/robots.txt")
    assert response.wsgi_request.environ[ENVIRON_KEY]["user_id"] is None


def test_gunicorn_access_log_is_one_json_line(capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    logger.access(
        SimpleNamespace(status="201 Created"),
        SimpleNamespace(method="POST", path="/accounts/login/"),
        {ENVIRON_KEY: {"user_id": 7, "path": "/accounts/login/"}},
        timedelta(seconds=0.5),
    )
    line = json.loads(capsys.readouterr().out.strip())
    assert line["method"] == "POST"
    assert line["status"] == 201
    assert line["duration_ms"] == 500.0
    assert line["user_id"] == 7


@pytest.mark.django_db(transaction=True)
def test_server_error_mail_goes_through_the_queue(mailoutbox):
    handler = QueuedAdminEmailHandler()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Server Error: /", (), None
    )
    with override_settings(ADMINS=[("Ops", "ops@example.com")]):
        handler.emit(record)
    assert [mail.to for mail in mailoutbox] == [["ops@example.com"]]
