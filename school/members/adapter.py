from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from school import mail

from . import limits
from .fields import MainlandPhoneField
from .models import User
from .roles import can_access_admin


class AccountAdapter(DefaultAccountAdapter):
    """allauth tuned for the school: where people land, how mails are titled,
    where the mobile number lives (User.phone) and how codes and mails leave
    (the school's queues, never inside the request)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "rate_limited": _(
            "Too many requests: a number gets at most one code a minute. "
            "Please wait a minute and try again."
        ),
    }

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        if message is self.error_messages["rate_limited"]:
            # allauth caught RateLimited on "Request new code": say how long
            # until the number may have one.
            phone = limits.pending_phone(request)
            seconds = phone and limits.wait_seconds(
                request, action="verify_phone", key=phone
            )
            if seconds:
                message = limits.code_wait_message(seconds)
        super().add_message(
            request, level, message_template, message_context, extra_tags, message
        )

    def get_login_redirect_url(self, request):
        # Staff come to work in the admin; members to their own page.
        if can_access_admin(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return reverse("members:profile_complete")

    def get_client_ip(self, request):
        # Behind the proxy every request comes from its address: the limits
        # per client address read the header it sets (CLIENT_IP_HEADER,
        # deploy/nginx/school.conf), or the peer's address where there is
        # none (`make serve` without a proxy).
        header = settings.SCHOOL_CLIENT_IP_HEADER
        forwarded = request.headers.get(header, "").strip() if header else ""
        return forwarded or super().get_client_ip(request)

    def format_email_subject(self, subject):
        site = gettext("Online Party School for Mobile Members")
        return f"[{site}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # Through school.mail: after commit, on the queue in production, so a
        # mail server that is down never fails a sign-up or a reset.
        from allauth.core import context as allauth_context

        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        mail.send(message.subject, message.body, message.to)

    # --- The mobile number (allauth's phone support) -----------------------

    def phone_form_field(self, **kwargs):
        return MainlandPhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        user.phone, user.phone_verified = phone, verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone):
        # A changed number (on the profile) takes the old one's place only
        # now, once its code has come back.
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone):
        return User.objects.filter(phone=phone).order_by("-phone_verified").first()

    def send_account_already_exists_sms(self, phone):
        from school.notices.services import send_account_exists

        send_account_exists(phone=phone)

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        from school.notices.services import send_code

        # Login and reauthentication codes say so; a number's verification
        # code does not.
        timeout = (
            account_settings.LOGIN_BY_CODE_TIMEOUT
            if "reauthentication" in kwargs
            else account_settings.PHONE_VERIFICATION_TIMEOUT
        )
        send_code(phone=phone, code=code, minutes=timeout // 60)


def user_display(user) -> str:
    """How allauth names a person in messages: their name, else their e-mail
    or number (usernames are generated and mean nothing to members)."""
    profile = getattr(user, "profile", None) if user.pk else None
    return (
        (profile and profile.real_name)
        or user.get_full_name()
        or user.email
        or user.mobile
    )
