from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .roles import can_access_admin

# Paths a signed-in member without a profile may still use: account pages
# (logout, e-mail, password, MFA), their own pages (profile completion,
# consent, data, deletion) and files.
PROFILE_EXEMPT_PREFIXES = ("/accounts/", "/me/", "/favicon.ico", "/robots.txt")


class MemberGateMiddleware:
    """Send signed-in people where their role needs them first.

    - A signed-in member without a profile completes it before anything else
      (anonymous visitors still read every public page).
    - The Wagtail admin is for staff only: anyone else gets a 404, not a
      redirect to a login page they have already passed.
    - With SCHOOL_REQUIRE_MFA_FOR_STAFF, staff set up MFA before the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = PROFILE_EXEMPT_PREFIXES + tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.startswith("/")
        )

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            path = request.path_info
            if path.startswith("/admin/"):
                response = self.admin_gate(request)
            else:
                response = self.profile_gate(request, path)
            if response is not None:
                return response
        return self.get_response(request)

    def admin_gate(self, request):
        if not can_access_admin(request.user):
            raise Http404
        if settings.SCHOOL_REQUIRE_MFA_FOR_STAFF and not is_mfa_enabled(request.user):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication before entering the "
                    "administration."
                ),
            )
            return redirect("mfa_activate_totp")
        return None

    def profile_gate(self, request, path):
        if path.startswith(self.exempt):
            return None
        if hasattr(request.user, "profile") or can_access_admin(request.user):
            return None
        return redirect("members:profile_complete")
