"""Salon test data: members, organisers and salons made through the ORM."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from salon.models import SalonIndexPage, SalonPage, quarter_of
from school.members.models import Branch, MemberProfile
from tests import factories

_counter = itertools.count(1)


def branch(name="城东支部", parent=None) -> Branch:
    n = next(_counter)
    return Branch.objects.create(name=name, code=f"B{n:05d}", parent=parent)


def user(email=None, **kwargs):
    n = next(_counter)
    return get_user_model().objects.create_user(
        username=f"user{n}",
        email=email or f"user{n}@example.com",
        password="pw-123456-x",  # noqa: S106
        **kwargs,
    )


def member(
    real_name="张三",
    the_branch=None,
    status=MemberProfile.Status.CONFIRMED,
    mobile=None,
) -> MemberProfile:
    n = next(_counter)
    return MemberProfile.objects.create(
        user=user(),
        real_name=real_name,
        branch=the_branch or branch(),
        mobile=mobile or f"139{n:08d}",
        status=status,
        consent_version="1",
        consented_at=timezone.now(),
    )


def organiser(of_branch: Branch):
    """A branch organiser: staff who may enter the Wagtail admin."""
    from django.contrib.auth.models import Permission

    person = user()
    of_branch.organisers.add(person)
    person.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return person


def salon_index(parent=None) -> SalonIndexPage:
    existing = SalonIndexPage.objects.first()
    if existing:
        return existing
    return factories.add_child(
        parent or factories.home_page(),
        SalonIndexPage(title="红色沙龙", slug="salons", show_in_menus=True),
    )


def salon(
    index=None,
    the_branch=None,
    capacity=10,
    starts_in=datetime.timedelta(days=3),
    waiting_list=True,
    opens_ago=datetime.timedelta(days=1),
    closes_before_start=datetime.timedelta(hours=1),
    study_hours=Decimal("2.0"),
    title=None,
    **kwargs,
) -> SalonPage:
    now = timezone.now()
    starts_at = kwargs.pop("starts_at", now + starts_in)
    year, quarter = quarter_of(starts_at)
    n = next(_counter)
    page = SalonPage(
        title=title or f"第{n}期红色沙龙",
        slug=f"salon-{n}",
        branch=the_branch or branch(),
        year=year,
        quarter=quarter,
        theme="学习贯彻党的二十大精神",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="城东社区党群服务中心",
        capacity=capacity,
        signup_opens_at=kwargs.pop("signup_opens_at", now - opens_ago),
        signup_closes_at=kwargs.pop(
            "signup_closes_at", starts_at - closes_before_start
        ),
        waiting_list=waiting_list,
        study_hours=study_hours,
        **kwargs,
    )
    return factories.add_child(index or salon_index(), page)


admin_organiser = organiser


def services_sign_up(salon: SalonPage, profile: MemberProfile):
    from salon import services

    return services.registration_create(salon=salon, user=profile.user)


def doors_open(salon: SalonPage) -> SalonPage:
    """The salon's day has come: it began a minute ago (sign-ups stay), so
    members can be checked in."""
    start = timezone.now() - datetime.timedelta(minutes=1)
    SalonPage.objects.filter(pk=salon.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    salon.refresh_from_db()
    return salon


def day_over(salon: SalonPage, days: int = 1) -> SalonPage:
    """The salon took place `days` days ago."""
    start = timezone.now() - datetime.timedelta(days=days)
    SalonPage.objects.filter(pk=salon.pk).update(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        signup_opens_at=start - datetime.timedelta(days=7),
        signup_closes_at=start - datetime.timedelta(hours=1),
        year=quarter_of(start)[0],
        quarter=quarter_of(start)[1],
    )
    salon.refresh_from_db()
    return salon


def the_day_before_it_starts(monkeypatch) -> None:
    """Today is every salon's day, though none has started yet (members come
    early to the door): check-in is open and cancelling still possible."""
    today = timezone.localdate()
    monkeypatch.setattr(SalonPage, "days", property(lambda salon: (today, today)))
