"""Study demo data: the demo branch's plan for this quarter and the demo
member's study, made through the same services members and organisers use.

Runs from `courses.demo.seed` once the demo lessons and accounts exist;
idempotent (a member who already has study records is left alone).
"""

import datetime

from django.utils import timezone

from school.members.models import MemberProfile, User

from . import services
from .models import CoursePage, LessonPage, StudyPlan, StudyPlanItem, StudyRecord

MEMBER_EMAIL = "member@example.com"
ORGANISER_EMAIL = "organiser@example.com"
CHECK = {
    "check_question": "党章规定，党员必须履行几项义务？",
    "check_choices": "六项\n八项\n十项",
    "check_answer": 2,
}


def seed(*, stdout):
    member = (
        MemberProfile.objects.confirmed()
        .filter(user__email=MEMBER_EMAIL)
        .select_related("branch", "user")
        .first()
    )
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    # Lessons without audio or video, so that finishing needs no playing.
    lessons = [
        lesson
        for lesson in LessonPage.objects.live().order_by("path")
        if not lesson.has_media
    ]
    if member is None or organiser is None or len(lessons) < 3:
        stdout.write("study: demo accounts or lessons missing, skipped")
        return []
    plan_ensure(member, organiser, lessons)
    if StudyRecord.objects.filter(member=member).exists():
        stdout.write("study: demo study already recorded")
        return []
    check_question_ensure(lessons[0])
    required = lessons[0].required_seconds // 60 + 1
    study_online(member, lessons[0], days_ago=6, minutes=required, answer=2)
    study_online(member, lessons[1], days_ago=2, minutes=4)
    today = timezone.localdate()
    services.study_record_add_offline(
        member=member,
        date=today - datetime.timedelta(days=10),
        minutes=90,
        mode=StudyRecord.Mode.GROUP_SESSION,
        recorded_by=organiser,
        topic="集中学习：新修订的党章",
        lessons=[lessons[2]],
    )
    services.study_record_declare(
        member=member,
        date=today - datetime.timedelta(days=1),
        minutes=30,
        mode=StudyRecord.Mode.GAP_TIME,
        topic="午休时收听党课音频",
        note="午休时在厂区收听了党课音频，对党员的权利和义务有了新的认识。",
    )
    rejected = services.study_record_declare(
        member=member,
        date=today - datetime.timedelta(days=20),
        minutes=240,
        mode=StudyRecord.Mode.NEAREST_BRANCH,
        topic="在就近支部参加组织生活",
        note="到务工地附近的党支部参加了主题党日，学习了基层党建工作经验。",
    )
    services.study_record_reject(
        record=rejected,
        by=organiser,
        reason="时长与就近支部的记录不符，请补充活动签到表后重新申报。",
    )
    stdout.write("study: demo plan and study records created")
    return []


def plan_ensure(member, organiser, lessons):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    starts_on, ends_on = StudyPlan.period_bounds(
        StudyPlan.Period.QUARTER, today.year, quarter
    )
    if StudyPlan.objects.filter(
        branch=member.branch, period=StudyPlan.Period.QUARTER, starts_on=starts_on
    ).exists():
        return
    plan = StudyPlan.objects.create(
        branch=member.branch,
        period=StudyPlan.Period.QUARTER,
        year=today.year,
        number=quarter,
        title=f"{today.year}年第{quarter}季度学习计划",
        description="学习新修订的党章，了解外出务工政策，每月至少学习两次。",
        due_date=ends_on,
        credited_hours=6,
        created_by=organiser,
        announced_at=timezone.now(),
    )
    course = CoursePage.objects.live().order_by("path").first()
    StudyPlanItem.objects.create(plan=plan, course=course, sort_order=0)
    others = [lesson for lesson in lessons if not lesson.path.startswith(course.path)]
    for order, lesson in enumerate(others[:2], start=1):
        StudyPlanItem.objects.create(plan=plan, lesson=lesson, sort_order=order)


def check_question_ensure(lesson):
    """The first demo lesson asks one check question before it completes."""
    if lesson.check_question:
        return
    for field, value in CHECK.items():
        setattr(lesson, field, value)
    lesson.save_revision().publish()


def study_online(member, lesson, *, days_ago, minutes, answer=None):
    """Beats every 20 seconds, as the lesson page sends them, some days ago."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    services.lesson_progress_beat(member=member, lesson=lesson, start=True, now=start)
    for beat in range(1, minutes * 3 + 1):
        services.lesson_progress_beat(
            member=member,
            lesson=lesson,
            now=start + datetime.timedelta(seconds=20 * beat),
        )
    if answer is not None:
        services.lesson_progress_complete(member=member, lesson=lesson, answer=answer)
