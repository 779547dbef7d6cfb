"""Reads of study data for pages and reports, each in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from school.members.models import MemberProfile

from .models import (
    LessonPage,
    LessonProgress,
    StudyPlan,
    StudyPlanItem,
    StudyRecord,
)

# Page fields enough to show a title and link to it ({% pageurl %}).
PAGE_LINK = ("title", "url_path", "path", "depth", "live")

BEAT_SIGNING_SALT = "courses.study-beat"
BEAT_TOKEN_MAX_AGE = 12 * 60 * 60


def beat_token(member_id: int, lesson_id: int) -> str:
    """Signed proof that this page was rendered for this member and lesson."""
    return signing.TimestampSigner(salt=BEAT_SIGNING_SALT).sign_object(
        [member_id, lesson_id]
    )


def beat_token_valid(token: str, member_id: int, lesson_id: int) -> bool:
    try:
        value = signing.TimestampSigner(salt=BEAT_SIGNING_SALT).unsign_object(
            token or "", max_age=BEAT_TOKEN_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return value == [member_id, lesson_id]


def beat_token_issued_at(token: str, member_id: int, lesson_id: int, *, max_age):
    """When a valid beat token for this member and lesson was signed, else None."""
    signer = signing.TimestampSigner(salt=BEAT_SIGNING_SALT)
    try:
        value = signer.unsign_object(token or "", max_age=max_age)
        stamp = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    except (signing.BadSignature, ValueError, TypeError, IndexError):
        return None
    if value != [member_id, lesson_id]:
        return None
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def member_of(user):
    """The user's confirmed member profile, or None."""
    if user is None or not user.is_authenticated:
        return None
    return user.confirmed_profile


# --- Lesson and course pages ----------


def lesson_study_context(user, lesson: LessonPage) -> dict:
    """What the study box on a lesson page needs (one query for a member)."""
    member = member_of(user)
    context = {
        "member": member,
        "authenticated": bool(user and user.is_authenticated),
        "required_seconds": lesson.required_seconds,
        "required_minutes": minutes_label(lesson.required_seconds),
        "has_media": lesson.has_media,
        "choices": lesson.choices if lesson.has_check_question else [],
        "beat_seconds": settings.SCHOOL_STUDY_BEAT_SECONDS,
        "beat_most_seconds": settings.SCHOOL_STUDY_BEAT_SECONDS
        + settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS,
        "idle_seconds": settings.SCHOOL_STUDY_IDLE_SECONDS,
        "login_url": resolve_url(settings.LOGIN_URL),
    }
    if member is None:
        return context
    progress = LessonProgress.objects.filter(member=member, lesson=lesson).first()
    if progress is None:
        progress = LessonProgress(member=member, lesson=lesson)
    context.update(
        progress=progress,
        credited_minutes=minutes_label(progress.credited_seconds),
        percent=percent_of(progress.credited_seconds, lesson.required_seconds),
        token=beat_token(member.pk, lesson.pk),
    )
    return context


def course_progress(user, lessons) -> dict:
    """Per-lesson progress of the user on a course's lessons, in one query."""
    member = member_of(user)
    if member is None or not lessons:
        return {}
    rows = LessonProgress.objects.filter(
        member=member, lesson__in=[lesson.pk for lesson in lessons]
    ).only("lesson_id", "credited_seconds", "completed_at")
    by_lesson = {row.lesson_id: row for row in rows}
    done = sum(1 for row in by_lesson.values() if row.completed_at)
    return {
        "by_lesson": by_lesson,
        "done": done,
        "total": len(lessons),
        "percent": percent_of(done, len(lessons)),
    }


def minutes_label(seconds: int) -> str:
    """Minutes with at most one decimal, for display."""
    return f"{seconds / 60:.1f}".rstrip("0").rstrip(".")


def hours_label(seconds: int) -> str:
    """Study hours with at most one decimal, for display."""
    return f"{seconds / 3600:.1f}".rstrip("0").rstrip(".")


def percent_of(part, whole) -> int:
    if not whole:
        return 100
    return min(100, int(part * 100 / whole))


# --- Periods ----------


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter or year
    year: int
    number: int | None
    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, kind: str, day: datetime.date) -> "Period":
        if kind == StudyPlan.Period.YEAR:
            number = None
        elif kind == StudyPlan.Period.QUARTER:
            number = (day.month - 1) // 3 + 1
        else:
            number = day.month
        start, end = StudyPlan.period_bounds(kind, day.year, number)
        return cls(kind, day.year, number, start, end)

    @classmethod
    def parse(cls, value: str | None, today: datetime.date) -> "Period":
        """'2026', '2026-Q2' or '2026-05'; anything else is this month."""
        value = (value or "").strip().upper()
        try:
            if len(value) == 4:
                return cls.of(StudyPlan.Period.YEAR, datetime.date(int(value), 1, 1))
            year, rest = value.split("-")
            if rest.startswith("Q") and 1 <= int(rest[1:]) <= 4:
                month = 3 * (int(rest[1:]) - 1) + 1
                return cls.of(
                    StudyPlan.Period.QUARTER, datetime.date(int(year), month, 1)
                )
            return cls.of(
                StudyPlan.Period.MONTH, datetime.date(int(year), int(rest), 1)
            )
        except (ValueError, TypeError):
            return cls.of(StudyPlan.Period.MONTH, today)

    @property
    def key(self) -> str:
        if self.kind == StudyPlan.Period.YEAR:
            return str(self.year)
        if self.kind == StudyPlan.Period.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"


# --- Study plans ----------


@dataclass
class PlanProgress:
    plan: StudyPlan
    items: list = field(default_factory=list)  # (item, done, percent)
    done: int = 0
    required: int = 0

    @property
    def percent(self) -> int:
        return percent_of(self.done, self.required)

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.done >= self.required


def plan_items(plans, with_plan=False):
    """Items of `plans` (a list or a queryset), with what a link needs."""
    related = ["lesson", "course"]
    fields = [f"{page}__{name}" for page in related for name in PAGE_LINK]
    if with_plan:
        related.append("plan")
        fields += [f"plan__{field.name}" for field in StudyPlan._meta.concrete_fields]
    return (
        StudyPlanItem.objects.filter(plan__in=plans)
        .select_related(*related)
        .only("plan_id", "sort_order", *fields)
        .order_by("plan_id", "sort_order", "pk")
    )


def plan_lessons(plans, items=None) -> tuple[dict, dict]:
    """Items of `plans` and the live lessons each course item requires.

    Returns ({plan_id: [items]}, {course_id: [lesson ids]}) in two queries
    (one if the items are given, none for the lessons without course items).
    """
    if items is None:
        items = list(plan_items(plans))
    by_plan = defaultdict(list)
    for item in items:
        by_plan[item.plan_id].append(item)
    courses = {item.course for item in items if item.course_id}
    course_lessons = defaultdict(list)
    if courses:
        condition = Q()
        for course in courses:
            condition |= Q(path__startswith=course.path, depth=course.depth + 1)
        for pk, path in (
            LessonPage.objects.live().filter(condition).values_list("pk", "path")
        ):
            for course in courses:
                if path.startswith(course.path):
                    course_lessons[course.pk].append(pk)
    return by_plan, course_lessons


def plans_progress(plans, member_ids, items=None) -> tuple:
    """The plans' items, the lessons of their courses and, per member, the
    completed lessons that matter to the member's own branch's plans.

    A lesson item is done when the lesson is complete (online or recorded
    offline); a course item when every published lesson of it is. Four queries
    whatever the number of plans and members.
    """
    plans = list(plans)
    by_plan, course_lessons = plan_lessons(plans, items)
    wanted_by_branch = defaultdict(set)
    for plan in plans:
        for item in by_plan.get(plan.pk, ()):
            if item.lesson_id:
                wanted_by_branch[plan.branch_id].add(item.lesson_id)
            else:
                wanted_by_branch[plan.branch_id].update(
                    course_lessons.get(item.course_id, ())
                )
    done_by_member = defaultdict(set)
    wanted = set().union(*wanted_by_branch.values())
    if not wanted:
        return by_plan, course_lessons, done_by_member
    # One plain indexed query, then each completion is kept only if the
    # member's own branch requires the lesson. (Expressing "required by the
    # member's branch" in SQL was several times slower on one database or
    # the other: correlated EXISTS on SQLite, per-branch UNION on PostgreSQL.)
    completed = LessonProgress.objects.filter(
        completed_at__isnull=False,
        lesson_id__in=wanted,
        member__branch_id__in=list(wanted_by_branch),
    )
    # None: every member of the plans' branches (a whole ledger or export).
    if member_ids is not None:
        completed = completed.filter(member_id__in=member_ids)
    rows = completed.values_list("member_id", "member__branch_id", "lesson_id")
    for member_id, branch_id, lesson_id in rows.order_by():
        if lesson_id in wanted_by_branch[branch_id]:
            done_by_member[member_id].add(lesson_id)
    return by_plan, course_lessons, done_by_member


def progress_for(plan, member_id, by_plan, course_lessons, done_by_member):
    done_lessons = done_by_member.get(member_id, set())
    result = PlanProgress(plan=plan)
    for item in by_plan.get(plan.pk, []):
        if item.lesson_id:
            needed = [item.lesson_id]
        else:
            needed = course_lessons.get(item.course_id, [])
        finished = sum(1 for pk in needed if pk in done_lessons)
        item_done = bool(needed) and finished == len(needed)
        result.items.append((item, item_done, percent_of(finished, len(needed))))
        result.required += 1
        result.done += int(item_done)
    return result


def current_plans(member, today):
    """Plans of the member's branch whose period includes today or that are
    not yet due, soonest due first."""
    return StudyPlan.objects.filter(branch_id=member.branch_id).filter(
        Q(starts_on__lte=today, ends_on__gte=today) | Q(due_date__gte=today),
        starts_on__lte=today,
    )


# --- The member's own figures ----------


def monthly_seconds(member, today, months=12) -> dict:
    """{first day of month: counted seconds} for the last `months` months."""
    first = today.replace(day=1)
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        StudyRecord.objects.counted()
        .filter(member=member, date__gte=first, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(seconds=Sum("seconds"))
        .order_by()
    )
    by_month = dict.fromkeys(month_starts(first, months), 0)
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        by_month[month.replace(day=1)] = row["seconds"]
    return by_month


def month_starts(first, months):
    month = first
    for _step in range(months):
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def member_totals(by_month: dict, today) -> dict:
    """Counted minutes this month, quarter and year, from the monthly sums
    (the last 12 months always include this year's)."""
    quarter = Period.of(StudyPlan.Period.QUARTER, today)
    sums = {"month": 0, "quarter": 0, "year": 0}
    for month, seconds in by_month.items():
        if month.year == today.year:
            sums["year"] += seconds
            if quarter.start <= month <= quarter.end:
                sums["quarter"] += seconds
            if month.month == today.month:
                sums["month"] += seconds
    # One decimal: a few minutes of online study must not show as zero.
    totals = {key: round(value / 60, 1) for key, value in sums.items()}
    # The same in study hours (学时), the unit of plans, salons and ledgers.
    totals["hours"] = {key: hours_label(value) for key, value in sums.items()}
    return totals


def monthly_minutes(by_month: dict) -> list[tuple[datetime.date, float]]:
    """Counted minutes per month, oldest first."""
    return [(month, round(seconds / 60, 1)) for month, seconds in by_month.items()]


def chart_svg_data(series, width=360, height=160) -> dict:
    """Bar geometry for a server-rendered SVG of monthly minutes."""
    top = max((value for _month, value in series), default=0) or 1
    pad_left, pad_bottom, pad_top = 4, 22, 16
    slot = (width - pad_left) / len(series)
    bars = []
    for index, (month, value) in enumerate(series):
        bar_height = (height - pad_bottom - pad_top) * value / top
        x = pad_left + index * slot
        bars.append(
            {
                "month": month,
                "value": value,
                "value_label": f"{value:.0f}",
                "title": f"{month:%Y-%m}: "
                + _("%(minutes)s minutes") % {"minutes": f"{value:g}"},
                "label": _("Month %(month)s") % {"month": month.month},
                "x": round(x + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(height - pad_bottom - bar_height, 1),
                "height": round(bar_height, 1),
                "label_x": round(x + slot / 2, 1),
                "label_y": height - 8,
                "value_y": round(height - pad_bottom - bar_height - 4, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "baseline": height - pad_bottom,
        "bars": bars,
    }


HISTORY_PAGE_SIZE = 20


def history_page(member, *, viewer, number):
    """One page of a member's study records, newest first, each row decorated
    for the history table as ``viewer`` sees it."""
    page = Paginator(
        StudyRecord.objects.filter(member=member)
        .select_related("recorded_by__profile__branch", "confirmed_by__profile__branch")
        .annotate(lesson_title=F("lesson__title"))
        .order_by("-date", "-pk"),
        HISTORY_PAGE_SIZE,
    ).get_page(number)
    decorate_history(page.object_list, viewer)
    return page


def decorate_history(records, user) -> None:
    """Everything a history row shows, worked out once in Python: the page
    renders 20 rows, and template lookups and filters per cell add up."""
    records = list(records)
    offline = [r.pk for r in records if r.source == StudyRecord.Source.OFFLINE]
    titles = defaultdict(list)
    if offline:
        through = StudyRecord.lessons.through.objects.filter(studyrecord_id__in=offline)
        for record_id, title in through.values_list(
            "studyrecord_id", "lessonpage__title"
        ).order_by("pk"):
            titles[record_id].append(title)
    for record in records:
        record.lesson_titles = titles.get(record.pk, [])
        record.what = record_what(record)
        record.date_label = record.date.isoformat()
        record.mode_label = record.get_mode_display()
        record.source_label = record.get_source_display()
        record.status_label = record.get_status_display()
        record.by_lines = []
        if record.recorded_by_id and record.recorded_by_id != user.pk:
            record.by_lines.append(
                _("recorded by %(name)s") % {"name": person(record.recorded_by)}
            )
        if record.confirmed_by_id and record.confirmed_by_id != record.recorded_by_id:
            record.by_lines.append(
                _("decided by %(name)s") % {"name": person(record.confirmed_by)}
            )
        record.reason_line = (
            _("Reason: %(reason)s") % {"reason": record.rejection_reason}
            if record.rejection_reason
            else ""
        )


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def record_what(record) -> str:
    """What a ledger line was about: its lesson, or its topic and lessons."""
    if record.lesson_id:
        title = getattr(record, "lesson_title", None)
        return title if title is not None else record.lesson.title
    if hasattr(record, "lesson_titles"):
        titles = "、".join(record.lesson_titles)
    else:
        titles = "、".join(lesson.title for lesson in record.lessons.all())
    if record.topic and titles:
        return f"{record.topic}：{titles}"
    return record.topic or titles


def continue_lesson(member):
    """The lesson the member last worked on and has not completed."""
    progress = (
        LessonProgress.objects.filter(member=member, completed_at__isnull=True)
        .filter(lesson__live=True)
        .select_related("lesson")
        .only("lesson_id", *(f"lesson__{name}" for name in PAGE_LINK))
        .order_by("-updated_at")
        .first()
    )
    return progress


def my_study_context(member, today) -> dict:
    """Everything on the member's study page except the history's page."""
    # Plans come with their items in one query (every plan has items).
    items = list(plan_items(current_plans(member, today), with_plan=True))
    plans = sorted(
        {item.plan_id: item.plan for item in items}.values(),
        key=lambda plan: (plan.due_date, plan.pk),
    )
    by_plan, course_lessons, done = plans_progress(plans, [member.pk], items)
    plan_rows = [
        progress_for(plan, member.pk, by_plan, course_lessons, done) for plan in plans
    ]
    by_month = monthly_seconds(member, today)
    series = monthly_minutes(by_month)
    return {
        "plans": plan_rows,
        "totals": member_totals(by_month, today),
        "chart": chart_svg_data(series),
        "chart_total": sum(value for _month, value in series),
        "resume": continue_lesson(member),
        "today": today,
    }


# --- The branch's coverage ledger ----------


def ledger_members(branch_ids):
    """Confirmed members of the given branches, in ledger order."""
    return (
        MemberProfile.objects.confirmed()
        .filter(branch_id__in=branch_ids)
        .select_related("branch")
        .order_by("branch__code", "real_name", "pk")
    )


def studied_in(period: Period):
    """An Exists() for members with counted study in the period."""
    return Exists(
        StudyRecord.objects.counted().filter(
            member=OuterRef("pk"), date__gte=period.start, date__lte=period.end
        )
    )


def ledger_figures(period: Period, *, member_ids=None, branch_ids=None) -> dict:
    """{member_id: (online seconds, offline seconds, last study date)}.

    Two grouped queries: for a page of rows by member id (index range scans),
    for a whole export by branch. The last study date is the latest counted
    study up to the end of the period. Members without study are absent.
    """
    counted = StudyRecord.objects.counted()
    if member_ids is not None:
        counted = counted.filter(member_id__in=member_ids)
    else:
        counted = counted.filter(
            member__branch_id__in=branch_ids,
            member__status=MemberProfile.Status.CONFIRMED,
        )
    sums = (
        counted.filter(date__gte=period.start, date__lte=period.end)
        .values("member_id")
        .annotate(
            online=Sum("seconds", filter=Q(source=StudyRecord.Source.ONLINE)),
            offline=Sum("seconds", filter=Q(source=StudyRecord.Source.OFFLINE)),
        )
        .order_by()
    )
    figures = {
        row["member_id"]: (row["online"] or 0, row["offline"] or 0, None)
        for row in sums
    }
    lasts = (
        counted.filter(date__lte=period.end)
        .values("member_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    for row in lasts:
        online, offline, _none = figures.get(row["member_id"], (0, 0, None))
        figures[row["member_id"]] = (online, offline, row["last"])
    return figures


def plans_in(branch_ids, period: Period):
    """Plans of the branches whose period overlaps the chosen one."""
    return list(
        StudyPlan.objects.filter(
            branch_id__in=branch_ids,
            starts_on__lte=period.end,
            ends_on__gte=period.start,
        )
    )


def plan_totals(pairs, period: Period) -> dict:
    """{member_id: (items done, items required)} over the plans of each
    member's branch for the period; `pairs` are (member_id, branch_id)."""
    pairs = list(pairs)
    plans = plans_in({branch_id for _member, branch_id in pairs}, period)
    if not plans:
        return {member_id: (0, 0) for member_id, _branch in pairs}
    # A page of rows asks by id; a whole ledger by branch (no huge IN list).
    ids = [m for m, _b in pairs] if len(pairs) <= 500 else None
    by_plan, course_lessons, done = plans_progress(plans, ids)
    # Each branch's requirements as sets of lessons, one set per plan item.
    needs_by_branch = defaultdict(list)
    for plan in plans:
        for item in by_plan.get(plan.pk, ()):
            if item.lesson_id:
                need = frozenset([item.lesson_id])
            else:
                need = frozenset(course_lessons.get(item.course_id, ()))
            needs_by_branch[plan.branch_id].append(need)
    totals = {}
    for member_id, branch_id in pairs:
        needs = needs_by_branch.get(branch_id, ())
        finished = done.get(member_id)
        items_done = (
            sum(1 for need in needs if need and need <= finished) if finished else 0
        )
        totals[member_id] = (items_done, len(needs))
    return totals


def ledger_plan_progress(rows, period: Period) -> dict:
    return plan_totals([(row.pk, row.branch_id) for row in rows], period)


def members_with_plan_complete(members, period: Period) -> list[int]:
    totals = plan_totals(members.values_list("pk", "branch_id"), period)
    return [
        pk for pk, (done, required) in totals.items() if required and done >= required
    ]


def ledger_coverage(members, branch, period: Period) -> dict:
    """The figures at the top of the ledger: members, how many completed the
    plan (coverage) and the hours credited, for the chosen branch or all."""
    if branch is not None:
        members = members.filter(branch=branch)
    pairs = list(members.values_list("pk", "branch_id"))
    totals = plan_totals(pairs, period)
    with_plan = sum(1 for _d, required in totals.values() if required)
    complete = sum(1 for d, r in totals.values() if r and d >= r)
    seconds = (
        StudyRecord.objects.counted()
        .filter(member__in=members.values("pk"))
        .filter(date__gte=period.start, date__lte=period.end)
        .aggregate(total=Sum("seconds"))["total"]
        or 0
    )
    return {
        "members": len(pairs),
        "with_plan": with_plan,
        "complete": complete,
        "percent": percent_of(complete, len(pairs)) if with_plan else None,
        "hours": round(seconds / 3600, 1),
    }
