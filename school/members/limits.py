"""allauth's rate limits as messages on the form (issue 11).

allauth enforces some of its limits in ways a member would meet as an error
page: `RateLimited` raised from inside a view (a 500) when a number's code is
sent while logging in, signing up or changing the number; and a bare 429 page
from the view decorators on sign-up, login, changing the number and the
password reset by e-mail. The forms check here first, so that the member sees
on the form, with everything typed still in it, how long to wait:

- before a form goes on to send a code, whether the number may have one now
  (allauth's "verify_phone" limit per number and per address, a dry run: the
  code itself consumes it);
- the view-wide limits (SCHOOL_FORM_RATE_LIMITS) are consumed in the form's
  clean() instead of allauth's decorator, which ACCOUNT_RATE_LIMITS switches
  off for those actions.

allauth still catches `RateLimited` itself when a code is sent again ("Request
new code"); the adapter words that message with the wait (code_wait_message).
"""

import math
import time

from allauth.core.internal import ratelimit as ratelimit_impl
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APP = "allauth.account"


def _rates(action: str, config: dict | None):
    return ratelimit_impl.get_rates(app=APP, action=action, config=config)


def wait_seconds(
    request, *, action: str, key=None, user=None, config: dict | None = None
) -> int:
    """Seconds until the limits for `action` let one more request through from
    this address, for this key (a number) or this user; 0 if they do now."""
    wait, now = 0.0, time.time()
    for rate in _rates(action, config):
        if (rate.per == "key" and key is None) or (rate.per == "user" and user is None):
            continue
        cache_key = ratelimit_impl.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key, user=user
        )
        history = [at for at in cache.get(cache_key, []) if at > now - rate.duration]
        if len(history) >= rate.amount:
            # The history is newest first: the oldest one counted frees a place.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def code_interval(action: str = "verify_phone") -> int:
    """The shortest wait between two codes for one number that the settings
    allow (ACCOUNT_RATE_LIMITS, per key): what the code pages tell members."""
    intervals = [
        rate.duration / rate.amount
        for rate in _rates(action, None)
        if rate.per == "key" and rate.amount
    ]
    return math.ceil(min(intervals)) if intervals else 0


def format_wait(seconds: int) -> str:
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    seconds = max(seconds, 1)
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


def code_wait_message(seconds: int) -> str:
    return _(
        "A code was sent to this number only just now. You can ask for a new "
        "code in %(wait)s."
    ) % {"wait": format_wait(seconds)}


def check_code_allowed(request, phone: str) -> None:
    """ValidationError (code "too_many_codes") if a code may not be sent to
    `phone` now. It says the same for a number with or without an account:
    allauth's limit counts both alike (the owner of a taken number is texted
    "already registered" through the same limit)."""
    seconds = wait_seconds(request, action="verify_phone", key=phone)
    if seconds:
        raise ValidationError(code_wait_message(seconds), code="too_many_codes")


def consume_form_limit(request, *, action: str, key=None, user=None) -> None:
    """Count one request against SCHOOL_FORM_RATE_LIMITS[action]; over the
    limit, a ValidationError saying how long to wait (code "rate_limited")."""
    config = settings.SCHOOL_FORM_RATE_LIMITS
    usage = ratelimit_impl.consume(
        request, app=APP, action=action, config=config, key=key, user=user
    )
    if usage is None:
        seconds = wait_seconds(
            request, action=action, key=key, user=user, config=config
        )
        raise ValidationError(
            _("Too many attempts. Please try again in %(wait)s.")
            % {"wait": format_wait(seconds)},
            code="rate_limited",
        )


def pending_phone(request) -> str | None:
    """The number whose code the current verification or login-by-code page
    is about, if any (allauth keeps it in the login stage or the session)."""
    from allauth.account.internal.flows.phone_verification import (
        PHONE_VERIFICATION_SESSION_KEY,
    )

    stage = getattr(request, "_login_stage", None)
    if stage is not None and stage.state.get("phone"):
        return stage.state["phone"]
    state = request.session.get(PHONE_VERIFICATION_SESSION_KEY) or {}
    return state.get("phone")
