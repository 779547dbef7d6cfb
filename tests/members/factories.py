"""Accounts, branches and profiles for tests, made as the site would make them."""

import itertools

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from school.members.models import Branch, MemberProfile, User
from school.members.roles import EDITORS_GROUP, ORGANISERS_GROUP

PASSWORD = "Dangxiao-2026!"
_counter = itertools.count(1)


def branch(name=None, code=None, parent=None, organisers=()):
    n = next(_counter)
    obj = Branch.objects.create(
        name=name or f"第{n}党支部", code=code or f"B{n:03d}", parent=parent
    )
    obj.organisers.add(*organisers)
    return obj


def user(email=None, password=PASSWORD, verified=True, **kwargs):
    """An account whose e-mail address allauth knows (verified by default)."""
    n = next(_counter)
    email = email or f"user{n}@example.com"
    obj = User.objects.create_user(
        username=kwargs.pop("username", f"user{n}"),
        email=email,
        password=password,
        **kwargs,
    )
    EmailAddress.objects.create(user=obj, email=email, primary=True, verified=verified)
    return obj


def member(branch_=None, status=MemberProfile.Status.CONFIRMED, user_=None, **kwargs):
    """A member with a profile (confirmed unless told otherwise)."""
    n = next(_counter)
    kwargs.setdefault("real_name", f"党员{n}")
    kwargs.setdefault("mobile", f"138{n:08d}"[:11])
    kwargs.setdefault("consent_version", settings.SCHOOL_CONSENT_VERSION)
    kwargs.setdefault("consented_at", timezone.now())
    profile = MemberProfile.objects.create(
        user=user_ or user(), branch=branch_ or branch(), status=status, **kwargs
    )
    return profile


def organiser(*branches, **kwargs):
    obj = user(**kwargs)
    obj.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    for b in branches:
        b.organisers.add(obj)
    return obj


def editor(**kwargs):
    obj = user(**kwargs)
    obj.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return obj


def superuser(**kwargs):
    return user(is_superuser=True, is_staff=True, **kwargs)
