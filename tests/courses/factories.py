"""People and study data for the study tests, made directly with the ORM."""

import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import CourseIndexPage
from school.members.models import Branch, MemberProfile, User
from school.members.roles import ORGANISERS_GROUP
from tests import factories

_n = itertools.count(1)


def branch(name=None, parent=None, **kwargs) -> Branch:
    n = next(_n)
    return Branch.objects.create(
        name=name or f"第{n}党支部", code=f"B{n:04d}", parent=parent, **kwargs
    )


def user(email=None, **kwargs) -> User:
    n = next(_n)
    return User.objects.create_user(
        username=kwargs.pop("username", f"user{n}"),
        email=email or f"user{n}@example.com",
        password=kwargs.pop("password", "pass-word-123"),
        **kwargs,
    )


def member(branch_=None, name=None, status=MemberProfile.Status.CONFIRMED, **kwargs):
    """A member profile (confirmed unless told otherwise) with its account."""
    n = next(_n)
    account = kwargs.pop("user", None) or user()
    return MemberProfile.objects.create(
        user=account,
        real_name=name or f"党员{n}",
        branch=branch_ or branch(),
        mobile=f"138{n:08d}",
        status=status,
        consent_version="1",
        consented_at=timezone.now(),
        **kwargs,
    )


def organiser(*branches, **kwargs) -> User:
    """An account in the organisers group that organises `branches`."""
    account = user(**kwargs)
    account.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    for b in branches:
        b.organisers.add(account)
    return account


def course_with_lessons(n=2, minutes=10, title="党章学习", **lesson_kwargs):
    """A published course with `n` published lessons."""
    index = CourseIndexPage.objects.first() or factories.course_index()
    course = factories.course(index, title=title)
    lessons = [
        factories.lesson(course, title=f"第{i + 1}课", minutes=minutes, **lesson_kwargs)
        for i in range(n)
    ]
    return course, lessons
