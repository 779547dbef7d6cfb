"""Helpers for the "1+1" pairing tests: pairings, study days, contact logs and
an overdue plan, made through the services where a rule is involved."""

import datetime

from django.utils import timezone

from courses import services as study
from courses.models import ContactLog, Pairing, StudyPlan, StudyPlanItem, StudyRecord
from tests.courses import factories as f


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def pair(contact, member, started_days_ago=60, **kwargs) -> Pairing:
    """An active pairing made directly (the rules are tested on the service)."""
    return Pairing.objects.create(
        contact=contact, member=member, started_on=days_ago(started_days_ago), **kwargs
    )


def studied(member, ago=1, minutes=20, by=None):
    """Counted offline study `ago` days back, recorded by a superuser."""
    by = by or _superuser()
    return study.study_record_add_offline(
        member=member,
        date=days_ago(ago),
        minutes=minutes,
        mode=StudyRecord.Mode.GAP_TIME,
        recorded_by=by,
        topic="自学党章",
    )


def contacted(pairing, ago=1, kind=ContactLog.Kind.GUIDANCE, note="谈了学习安排"):
    return ContactLog.objects.create(
        pairing=pairing, date=days_ago(ago), kind=kind, note=note
    )


def overdue_plan(branch, lesson, due_ago=3) -> StudyPlan:
    """Last month's plan of the branch, due `due_ago` days back, requiring
    one lesson."""
    due = days_ago(due_ago)
    start = days_ago(due_ago + 20)
    plan = StudyPlan(
        branch=branch,
        period="month",
        year=start.year,
        number=start.month,
        title=f"{start.month}月学习计划",
        due_date=max(due, start.replace(day=1)),
        credited_hours=2,
    )
    plan.save()
    StudyPlanItem.objects.create(plan=plan, lesson=lesson)
    return plan


def _superuser():
    from school.members.models import User

    user = User.objects.filter(is_superuser=True, username="pairing-root").first()
    return user or f.user(username="pairing-root", is_superuser=True, is_staff=True)
