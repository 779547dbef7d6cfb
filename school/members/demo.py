"""Demo accounts, one per role, with fixed passwords documented in the README.

The passwords are public: these accounts exist for trying the site out only.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    username: str
    password: str
    first_name: str = ""
    last_name: str = ""
    is_staff: bool = False
    is_superuser: bool = False


ADMIN = DemoAccount(
    role="管理员",
    email="admin@example.com",
    username="admin",
    password="demo-admin-2026",  # noqa: S106
    first_name="管理员",
    is_staff=True,
    is_superuser=True,
)

ACCOUNTS = [ADMIN]


def email_verified_ensure(user) -> None:
    """Mark the demo address verified: allauth refuses unverified logins."""
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def account_ensure(account: DemoAccount):
    """The account's user, created with its demo password if missing."""
    User = get_user_model()
    user = User.objects.filter(email=account.email).first()
    if user is not None:
        email_verified_ensure(user)
        return user, False
    user = User(
        email=account.email,
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        is_staff=account.is_staff,
        is_superuser=account.is_superuser,
    )
    user.set_password(account.password)
    user.save()
    email_verified_ensure(user)
    return user, True


def seed(*, stdout):
    created = [account for account in ACCOUNTS if account_ensure(account)[1]]
    stdout.write(f"members: {len(created)} demo account(s) created")
    return [
        f"{account.role} login: {account.email} / password: {account.password}"
        for account in ACCOUNTS
    ]
