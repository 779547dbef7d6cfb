"""allauth's two pages where a member types an SMS code — verifying a number
(/accounts/phone/verify/, at sign-up and on the profile) and logging in by
code (/accounts/login/code/confirm/, also 忘记密码) — with what allauth leaves
out (issue 11):

- the "didn't get the code?" help: how long a code is valid and how long to
  wait before asking for another, both from the settings;
- an expired code is said in Chinese (allauth only starts over, silently);
- "Request new code" for a login code counts against the same per-number limit
  as asking for the first one (allauth only caps the number of resends);
- no change of number at sign-up: allauth allows it for a free number and not
  for a taken one, so the page and the answer would tell them apart.

school/urls.py mounts these in front of allauth's own URLs of the same paths.
"""

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.phone_verification import (
    PHONE_VERIFICATION_SESSION_KEY,
)
from allauth.account.internal.stagekit import get_pending_stage
from allauth.account.views import confirm_login_code as allauth_confirm_login_code
from allauth.account.views import verify_phone as allauth_verify_phone
from allauth.core.internal import ratelimit as ratelimit_impl
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import limits

# allauth's login stage keys (allauth.account.internal.constants.LoginStageKey).
VERIFY_PHONE, LOGIN_BY_CODE = "verify_phone", "login_by_code"


def _timeout(stage_key: str) -> int:
    if stage_key == LOGIN_BY_CODE:
        return account_settings.LOGIN_BY_CODE_TIMEOUT
    return account_settings.PHONE_VERIFICATION_TIMEOUT


def _pending_code(request, stage_key: str) -> dict | None:
    """The state of the code this page is waiting for (when it was sent, to
    which number), as allauth keeps it."""
    if request.user.is_authenticated:
        if stage_key != VERIFY_PHONE:
            return None
        return request.session.get(PHONE_VERIFICATION_SESSION_KEY)
    stage = get_pending_stage(request)
    if stage is None or stage.key != stage_key:
        return None
    return stage.state


def _expired_message(request, stage_key: str, minutes: int) -> str:
    if stage_key == LOGIN_BY_CODE:
        step = _("Please ask for a new code.")
    elif request.user.is_authenticated:
        step = _("Please enter the number again to get a new code.")
    else:
        step = _("Log in with your mobile number and password to get a new code.")
    return _(
        "This code has expired: a code is valid for %(minutes)s minutes. %(step)s"
    ) % {"minutes": minutes, "step": step}


def code_page(view, *, stage_key: str, limit_action: str):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        state, timeout = _pending_code(request, stage_key), _timeout(stage_key)
        phone = (state or {}).get("phone")
        if (
            request.method == "POST"
            and request.POST.get("action") == "change"
            and not request.user.is_authenticated
        ):
            # allauth takes a change of number at sign-up for a free number
            # only: answer both alike (the page offers no change).
            return HttpResponseRedirect(request.get_full_path())
        if request.method == "POST" and state and "at" in state:
            if time.time() - state["at"] > timeout:
                messages.error(
                    request, _expired_message(request, stage_key, timeout // 60)
                )
            elif (
                request.POST.get("action") == "resend"
                and phone
                and stage_key == LOGIN_BY_CODE
            ):
                usage = ratelimit_impl.consume(
                    request, app=limits.APP, action=limit_action, key=phone.lower()
                )
                if usage is None:
                    seconds = limits.wait_seconds(
                        request, action=limit_action, key=phone.lower()
                    )
                    messages.error(request, limits.code_wait_message(seconds))
                    return HttpResponseRedirect(request.get_full_path())
        response = view(request, *args, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            response.context_data["code_help"] = {
                "minutes": timeout // 60,
                "seconds": limits.code_interval(limit_action),
            }
        return response

    return wrapped


verify_phone = code_page(
    allauth_verify_phone,
    stage_key=VERIFY_PHONE,
    limit_action="verify_phone",
)
confirm_login_code = code_page(
    allauth_confirm_login_code,
    stage_key=LOGIN_BY_CODE,
    limit_action="request_login_code",
)
