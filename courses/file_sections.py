"""The study app's sections of the member file (一人一档): the latest thinking
report (one of the three knowns), the study summary and the pairing."""

import datetime

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from school.members.member_file import KNOWNS_SLOT, FileSection

from . import selectors as study
from .models import ContactLog, LessonProgress, MonthlyReport, Pairing, StudyRecord
from .pairing.selectors import plan_status


def thinking_context(member, *, user, today):
    """The newest word on the member's thinking: a monthly report's note or a
    thinking report logged by the contact, whichever is later (two queries)."""
    if not user.has_perm("courses.view_monthlyreport"):
        return None
    report = (
        MonthlyReport.objects.filter(pairing__member=member)
        .select_related("pairing__contact")
        .order_by("-month", "-pk")
        .first()
    )
    log = (
        ContactLog.objects.filter(pairing__member=member, kind=ContactLog.Kind.REPORT)
        .select_related("pairing__contact")
        .order_by("-date", "-pk")
        .first()
    )
    latest = None
    if report is not None:
        latest = {
            "date": report.month,
            "month": True,
            "text": report.note,
            "by": report.pairing.contact.real_name,
        }
    if log is not None and (latest is None or log.date >= latest["date"]):
        latest = {
            "date": log.date,
            "month": False,
            "text": log.note,
            "by": log.pairing.contact.real_name,
        }
    return {"latest": latest}


def study_context(member, *, user, today):
    """This year's counted study, the last day studied and the current plans'
    progress (at most six queries)."""
    if not user.has_perm("courses.view_studyrecord"):
        return None
    year_start = datetime.date(today.year, 1, 1)
    sums = (
        StudyRecord.objects.counted()
        .filter(member=member)
        .aggregate(
            year=Sum("seconds", filter=Q(date__gte=year_start)),
            online=Sum(
                "seconds",
                filter=Q(date__gte=year_start, source=StudyRecord.Source.ONLINE),
            ),
            offline=Sum(
                "seconds",
                filter=Q(date__gte=year_start, source=StudyRecord.Source.OFFLINE),
            ),
            last=Max("date"),
        )
    )
    lessons = LessonProgress.objects.filter(
        member=member, completed_at__isnull=False, completed_at__year=today.year
    ).count()
    plan = plan_status([member], today)[member.pk]
    return {
        "year": today.year,
        "hours": study.hours_label(sums["year"] or 0),
        "online_hours": study.hours_label(sums["online"] or 0),
        "offline_hours": study.hours_label(sums["offline"] or 0),
        "last_study": sums["last"],
        "lessons": lessons,
        "plan": plan,
    }


def pairing_context(member, *, user, today):
    """The member's study contacts, current first (one query)."""
    if not user.has_perm("courses.view_pairing"):
        return None
    pairings = list(
        Pairing.objects.filter(member=member)
        .select_related("contact")
        .order_by("ended_on", "-started_on", "-pk")[:10]
    )
    return {
        "active": next((p for p in pairings if p.is_active), None),
        "past": [p for p in pairings if not p.is_active],
    }


SECTIONS = [
    FileSection(
        key="thinking",
        slot=KNOWNS_SLOT,
        title=_("Latest thinking report"),
        template_name="courses/admin/file_thinking.html",
        get_context=thinking_context,
    ),
    FileSection(
        key="study",
        title=_("Study summary"),
        template_name="courses/admin/file_study.html",
        get_context=study_context,
        order=20,
    ),
    FileSection(
        key="pairing",
        title=_("Study contact (1+1)"),
        template_name="courses/admin/file_pairing.html",
        get_context=pairing_context,
        order=30,
    ),
]
