from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.translation import gettext

from .roles import can_access_admin


class AccountAdapter(DefaultAccountAdapter):
    """allauth tuned for the school: where people land, how mails are titled."""

    def get_login_redirect_url(self, request):
        # Staff come to work in the admin; members to their own page.
        if can_access_admin(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return reverse("members:profile_complete")

    def format_email_subject(self, subject):
        site = gettext("Online Party School for Mobile Members")
        return f"[{site}] {subject}"


def user_display(user) -> str:
    """How allauth names a person in messages: their name, else their e-mail
    (usernames are generated and mean nothing to members)."""
    profile = getattr(user, "profile", None) if user.pk else None
    return (profile and profile.real_name) or user.get_full_name() or user.email
