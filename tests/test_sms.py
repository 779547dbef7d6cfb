"""school.sms: the Tencent Cloud SMS backend against a local server that
answers as Tencent's API does, the console backend, and the after-commit
task that logs and retries a provider's errors."""

import hashlib
import hmac
import json
import logging
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from school import sms

SECRET_ID = "AKIDtest"
SECRET_KEY = "test-secret-key"


def expected_authorization(headers, body: bytes) -> str:
    """TC3-HMAC-SHA256 as Tencent Cloud's API 3.0 documents it."""
    timestamp = int(headers["X-TC-Timestamp"])
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = (
        "POST\n/\n\n"
        f"content-type:{headers['Content-Type']}\n"
        f"host:{headers['Host']}\n"
        f"x-tc-action:{headers['X-TC-Action'].lower()}\n\n"
        "content-type;host;x-tc-action\n" + hashlib.sha256(body).hexdigest()
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
        + hashlib.sha256(canonical.encode()).hexdigest()
    )

    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = h(h(h(("TC3" + SECRET_KEY).encode(), date), "sms"), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{scope}, "
        f"SignedHeaders=content-type;host;x-tc-action, Signature={signature}"
    )


def ok(phone):
    return {
        "Response": {
            "SendStatusSet": [
                {
                    "SerialNo": "2028:1234567890",
                    "PhoneNumber": phone,
                    "Fee": 1,
                    "SessionContext": "",
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            ],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
        }
    }


def api_error(code, message="error"):
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "x"}}


def status_error(phone, code):
    answer = ok(phone)
    answer["Response"]["SendStatusSet"][0].update(Code=code, Message=code)
    return answer


class FakeTencent:
    """Records each request; answers from `answers` (or OK), refusing a bad
    signature as Tencent does."""

    def __init__(self):
        self.requests = []
        self.answers = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                payload = json.loads(body)
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append({"headers": headers, "body": payload})
                if self.headers["Authorization"] != expected_authorization(
                    self.headers, body
                ):
                    answer = api_error("AuthFailure.SignatureFailure")
                elif fake.answers:
                    answer = fake.answers.pop(0)
                else:
                    answer = ok(payload["PhoneNumberSet"][0])
                if answer == 500:
                    self.send_response(500)
                    self.end_headers()
                    return
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tencent(settings):
    fake = FakeTencent()
    settings.SMS_BACKEND = "school.sms.TencentBackend"
    settings.TENCENT_SMS_ENDPOINT = fake.endpoint
    settings.TENCENT_SMS_SECRET_ID = SECRET_ID
    settings.TENCENT_SMS_SECRET_KEY = SECRET_KEY
    settings.TENCENT_SMS_SDK_APP_ID = "1400006666"
    settings.TENCENT_SMS_TEMPLATES = {"phone_code": "449739", "salon_promoted": "4497"}
    settings.SMS_SIGN_NAME = "网上党校"
    yield fake
    fake.close()


def send_code():
    return sms.deliver.call(
        "+8613800138000", "您的验证码是123456", "phone_code", ["123456", "10"]
    )


def test_the_request_is_tencents_sendsms_signed_with_tc3(tencent):
    assert send_code() is True

    (request,) = tencent.requests
    headers, body = request["headers"], request["body"]
    assert headers["x-tc-action"] == "SendSms"
    assert headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["authorization"].startswith(
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/"
    )
    assert body == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400006666",
        "SignName": "网上党校",
        "TemplateId": "449739",
        "TemplateParamSet": ["123456", "10"],
    }


def test_a_wrong_secret_is_logged_and_not_retried(tencent, settings, caplog):
    settings.TENCENT_SMS_SECRET_KEY = "not-the-key"

    with caplog.at_level(logging.WARNING, logger="school.sms"):
        assert send_code() is False

    assert len(tencent.requests) == 1
    assert "AuthFailure.SignatureFailure" in caplog.text
    assert "13800138000" not in caplog.text  # the number is masked in logs
    assert "+86138****8000" in caplog.text


@pytest.mark.parametrize(
    "answer",
    [
        status_error("+8613800138000", "InvalidParameterValue.IncorrectPhoneNumber"),
        status_error("+8613800138000", "FailedOperation.PhoneNumberInBlacklist"),
        api_error("FailedOperation.TemplateIncorrectOrUnapproved"),
        api_error("UnauthorizedOperation.SmsSdkAppIdVerifyFail"),
    ],
)
def test_a_permanent_error_is_logged_once(tencent, caplog, answer):
    tencent.answers = [answer]

    with caplog.at_level(logging.WARNING, logger="school.sms"):
        assert send_code() is False

    assert len(tencent.requests) == 1
    assert "failed (attempt 1)" in caplog.text


@pytest.mark.parametrize(
    "answer",
    [
        api_error("InternalError.Timeout"),
        api_error("RequestLimitExceeded"),
        status_error("+8613800138000", "LimitExceeded.DeliveryFrequencyLimit"),
        500,
    ],
)
def test_a_temporary_error_is_retried(tencent, caplog, answer):
    tencent.answers = [answer]

    with caplog.at_level(logging.WARNING, logger="school.sms"):
        send_code()

    assert len(tencent.requests) == 2  # the retry went through
    assert "will retry" in caplog.text


def test_retries_stop_after_three_attempts(tencent, caplog):
    tencent.answers = [api_error("InternalError.Timeout")] * 5

    with caplog.at_level(logging.WARNING, logger="school.sms"):
        send_code()

    assert len(tencent.requests) == sms.MAX_ATTEMPTS == 3


def test_a_provider_that_does_not_answer_is_retried(settings, caplog):
    settings.SMS_BACKEND = "school.sms.TencentBackend"
    settings.TENCENT_SMS_ENDPOINT = "http://127.0.0.1:9"  # nothing listens
    settings.TENCENT_SMS_TEMPLATES = {"phone_code": "1"}

    with caplog.at_level(logging.WARNING, logger="school.sms"):
        assert send_code() is False

    assert "Network" in caplog.text


def test_a_kind_without_a_template_is_logged(tencent, caplog):
    with caplog.at_level(logging.WARNING, logger="school.sms"):
        assert sms.deliver.call("+8613800138000", "x", "branch_message", ["x"]) is False

    assert not tencent.requests
    assert "NoTemplate" in caplog.text


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "school.sms.ConsoleBackend"

    send_code()

    assert (
        "SMS to +8613800138000: 【网上党校】您的验证码是123456"
        in capsys.readouterr().out
    )


@pytest.mark.django_db
def test_sms_leaves_only_after_commit_and_never_on_rollback(
    django_capture_on_commit_callbacks,
):
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sms.send("+8613800138000", "文本", kind="phone_code", params=["1", "2"])
        assert not sms.outbox

    assert [m.text for m in sms.outbox] == ["文本"]
    sms.outbox.clear()
