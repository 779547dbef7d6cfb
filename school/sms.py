"""Outgoing SMS, one way for every app (the sibling of school.mail).

Callers hand `send` a mainland number (E.164, +86…), the text rendered in the
site's language, the kind of message (school.notices.kinds: the provider's
template for it) and the template's variables. The message leaves once the
transaction commits, through a task on the "email" task backend (the queued
one in production, worked by `manage.py db_worker --backend email`), so that
a slow or failing provider never holds up or breaks anyone's request.

The backend (SMS_BACKEND) does the sending:
- ConsoleBackend prints the message (dev: `make run` shows codes in its log);
- LocmemBackend keeps it in `outbox` (tests);
- TencentBackend sends through Tencent Cloud SMS's API (production).

A provider error is logged and, when it is temporary, the message is tried
again later (up to MAX_ATTEMPTS); it never reaches the member as an error.
"""

import datetime
import hashlib
import hmac
import json
import logging
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = datetime.timedelta(minutes=1)


@dataclass
class Message:
    phone: str
    text: str
    kind: str
    params: list[str] = field(default_factory=list)


class SmsError(Exception):
    """The provider refused or failed; `temporary` ones are worth a retry."""

    def __init__(self, code: str, message: str = "", *, temporary: bool = False):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.temporary = temporary


def masked(phone: str) -> str:
    """+8613800138000 -> +86138****8000: enough to tell numbers apart in logs."""
    return phone[:-8] + "****" + phone[-4:] if len(phone) > 8 else "****"


def signed_text(text: str) -> str:
    """The text as the member's phone shows it: the signature comes first."""
    return f"【{settings.SMS_SIGN_NAME}】{text}"


class ConsoleBackend:
    def send(self, message: Message) -> None:
        stream = sys.stdout
        stream.write(f"SMS to {message.phone}: {signed_text(message.text)}\n")
        stream.flush()


outbox: list[Message] = []


class LocmemBackend:
    def send(self, message: Message) -> None:
        outbox.append(message)


class TencentBackend:
    """Tencent Cloud SMS, API 3.0 `SendSms` (version 2021-01-11), signed with
    TC3-HMAC-SHA256 as its documentation describes; no SDK needed."""

    service = "sms"
    action = "SendSms"
    version = "2021-01-11"
    # Codes worth another try later; the rest (a bad number, a template not
    # approved, a wrong key) would fail again in the same way.
    temporary_prefixes = (
        "InternalError",
        "RequestLimitExceeded",
        "LimitExceeded.DeliveryFrequencyLimit",
        "FailedOperation.FailResolvePacket",
        "ResourceUnavailable",
    )

    def __init__(self):
        self.secret_id = settings.TENCENT_SMS_SECRET_ID
        self.secret_key = settings.TENCENT_SMS_SECRET_KEY
        self.app_id = settings.TENCENT_SMS_SDK_APP_ID
        self.region = settings.TENCENT_SMS_REGION
        self.endpoint = settings.TENCENT_SMS_ENDPOINT.rstrip("/")
        self.templates = settings.TENCENT_SMS_TEMPLATES
        self.host = self.endpoint.split("://", 1)[-1]

    def payload(self, message: Message) -> dict:
        template = self.templates.get(message.kind)
        if not template:
            raise SmsError("NoTemplate", f"no template id for {message.kind!r}")
        return {
            "PhoneNumberSet": [message.phone],
            "SmsSdkAppId": self.app_id,
            "SignName": settings.SMS_SIGN_NAME,
            "TemplateId": template,
            "TemplateParamSet": [str(param) for param in message.params],
        }

    def authorization(self, body: bytes, timestamp: int) -> str:
        date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
        date = date.strftime("%Y-%m-%d")
        canonical_headers = (
            "content-type:application/json; charset=utf-8\n"
            f"host:{self.host}\n"
            f"x-tc-action:{self.action.lower()}\n"
        )
        signed_headers = "content-type;host;x-tc-action"
        canonical_request = "\n".join(
            [
                "POST",
                "/",
                "",
                canonical_headers,
                signed_headers,
                hashlib.sha256(body).hexdigest(),
            ]
        )
        scope = f"{date}/{self.service}/tc3_request"
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                str(timestamp),
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )

        def sign(key: bytes, text: str) -> bytes:
            return hmac.new(key, text.encode(), hashlib.sha256).digest()

        key = sign(("TC3" + self.secret_key).encode(), date)
        key = sign(sign(key, self.service), "tc3_request")
        signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        return (
            f"TC3-HMAC-SHA256 Credential={self.secret_id}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        )

    def send(self, message: Message) -> None:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode()
        timestamp = int(time.time())
        request = urllib.request.Request(  # noqa: S310 (the endpoint is ours to set)
            self.endpoint + "/",
            data=body,
            method="POST",
            headers={
                "Authorization": self.authorization(body, timestamp),
                "Content-Type": "application/json; charset=utf-8",
                "Host": self.host,
                "X-TC-Action": self.action,
                "X-TC-Timestamp": str(timestamp),
                "X-TC-Version": self.version,
                "X-TC-Region": self.region,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except (OSError, ValueError) as exc:  # network, HTTP 5xx, not JSON
            raise SmsError("Network", str(exc), temporary=True) from exc
        answer = answer.get("Response", {})
        error = answer.get("Error")
        if error is None:
            statuses = answer.get("SendStatusSet") or [{}]
            error = statuses[0]
            if error.get("Code") == "Ok":
                return
        code = error.get("Code", "Unknown")
        raise SmsError(
            code,
            error.get("Message", ""),
            temporary=code.startswith(self.temporary_prefixes),
        )


def get_backend():
    return import_string(settings.SMS_BACKEND)()


@task(backend="email")
def deliver(phone: str, text: str, kind: str, params: list[str], attempt: int = 1):
    """Send one SMS; a temporary provider error is tried again later."""
    message = Message(phone, text, kind, params)
    try:
        get_backend().send(message)
    except SmsError as error:
        again = error.temporary and attempt < MAX_ATTEMPTS
        logger.warning(
            "SMS %s to %s failed (attempt %s): %s%s",
            kind,
            masked(phone),
            attempt,
            error,
            ", will retry" if again else "",
        )
        if again:
            _retry(phone, text, kind, params, attempt + 1)
        return False
    return True


def _retry(phone, text, kind, params, attempt):
    if deliver.get_backend().supports_defer:
        later = deliver.using(run_after=timezone.now() + RETRY_DELAY * attempt)
        later.enqueue(phone, text, kind, params, attempt)
    else:  # the immediate backend (dev, tests): at once
        deliver.enqueue(phone, text, kind, params, attempt)


def send(phone: str, text: str, *, kind: str, params: list[str]) -> None:
    """Send `text` to `phone` once the transaction commits."""
    if not phone:
        return
    params = [str(param) for param in params]
    transaction.on_commit(lambda: deliver.enqueue(phone, str(text), kind, params))
