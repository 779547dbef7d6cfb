"""Demo "1+1" pairing (called from courses.demo.seed, after the study demo): a
study contact of the Shenzhen Bao'an branch paired with three members: the demo
member 张伟 red (last month's plan has a lesson he has not done), 刘秀英 amber
(last contact over a month ago) and 赵磊 on track, with a few contact logs and
last month's report. Everything goes through the same services as the site;
nothing is added if the contact is already paired, so a second run changes
nothing."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from school.members import services as members
from school.members.demo import MEMBER, ORGANISER, DemoAccount, account_ensure
from school.members.models import Branch, MemberProfile

from .. import services as study
from ..models import (
    LessonPage,
    LessonProgress,
    Pairing,
    StudyPlan,
    StudyPlanItem,
    StudyRecord,
)
from . import selectors, services

BRANCH_CODE = "SZBA-LD01"

CONTACT = DemoAccount(
    role="帮学联系人（深圳宝安流动党员党支部）",
    email="contact@example.com",
    username="contact",
    password="demo-contact-2026",  # noqa: S106
    first_name="王志强",
)

PROFILES = {
    CONTACT.email: {
        "real_name": "王志强",
        "mobile": "13800138010",
        "current_city": "深圳",
        "employer": "宝安区某物流园 班组长",
    },
    "liuxiuying@example.com": {
        "real_name": "刘秀英",
        "mobile": "13800138011",
        "current_city": "深圳",
        "employer": "退休，随子女居住",
    },
    "zhaolei@example.com": {
        "real_name": "赵磊",
        "mobile": "13800138012",
        "current_city": "深圳",
        "employer": "外卖骑手",
    },
}

NOTICE = "本月请学完《党章党规基础》的前两节，下班后用手机学就行，有问题随时问我。"
GUIDANCE = "和他一起看了学习计划，约定每周二、周四晚上各学二十分钟。"
REPORT = "工作忙但思想稳定，愿意参加支部活动；希望多一些手机办事方面的实用课程。"
MONTH_NOTE = "本月按计划学习，主动在骑手群里转发支部通知，表现积极。"


def _profile_ensure(email: str, data: dict, branch: Branch, organiser):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            username=email.split("@")[0], email=email, password=None
        )
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is None:
        profile = members.profile_create(
            user=user,
            data={
                "real_name": data["real_name"],
                "branch": branch,
                "mobile": data["mobile"],
                "moved_out_on": None,
                "move_reason": "work",
                "current_city": data["current_city"],
                "current_address": "",
                "employer": data["employer"],
                "activity_card_number": "",
                "card_reviewed_on": None,
            },
            consent_version=settings.SCHOOL_CONSENT_VERSION,
        )
    if profile.status == MemberProfile.Status.PENDING:
        members.profile_confirm(profile=profile, by=organiser)
        profile.refresh_from_db()
    return profile


def last_month_plan_ensure(branch, member, organiser):
    """Last month's plan of the branch with one lesson `member` has not
    completed (so it is overdue for them); returns that lesson."""
    first = selectors.previous_month(timezone.localdate())
    plan = StudyPlan.objects.filter(
        branch=branch, period=StudyPlan.Period.MONTH, starts_on=first
    ).first()
    if plan is not None:
        item = StudyPlanItem.objects.filter(plan=plan, lesson__isnull=False).first()
        return item.lesson if item else None
    done = LessonProgress.objects.filter(
        member=member, completed_at__isnull=False
    ).values("lesson_id")
    lesson = LessonPage.objects.live().exclude(pk__in=done).order_by("path").first()
    if lesson is None:
        return None
    plan = StudyPlan.objects.create(
        branch=branch,
        period=StudyPlan.Period.MONTH,
        year=first.year,
        number=first.month,
        title=f"{first.year}年{first.month}月学习计划",
        description="每名党员学完本课，可在手机上学习，也可请帮学联系人送学上门。",
        due_date=selectors.month_end(first),
        credited_hours=1,
        created_by=organiser,
        announced_at=timezone.now(),
    )
    StudyPlanItem.objects.create(plan=plan, lesson=lesson, sort_order=0)
    return lesson


def seed(*, stdout):
    User = get_user_model()
    organiser = User.objects.filter(email=ORGANISER.email).first()
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    zhang = MemberProfile.objects.filter(user__email=MEMBER.email).first()
    if organiser is None or branch is None or zhang is None:
        stdout.write("pairings: demo accounts missing, skipped")
        return []
    account_ensure(CONTACT)
    profiles = {
        email: _profile_ensure(email, data, branch, organiser)
        for email, data in PROFILES.items()
    }
    contact = profiles[CONTACT.email]
    lines = [f"{CONTACT.role} login: {CONTACT.email} / password: {CONTACT.password}"]
    if Pairing.objects.filter(contact=contact).exists():
        stdout.write("pairings: demo pairings already there")
        return lines
    liu = profiles["liuxiuying@example.com"]
    zhao = profiles["zhaolei@example.com"]
    today = timezone.localdate()

    def ago(days):
        return today - datetime.timedelta(days=days)

    services.pairing_create_many(
        contact=contact, members=[zhang, liu, zhao], started_on=ago(60), by=organiser
    )
    user = contact.user
    lesson = last_month_plan_ensure(branch, zhang, organiser)
    # 张伟: told what to study, has not studied yet (red).
    services.contact_log_create(
        member=zhang, by=user, kind="notice", date=ago(10), note=NOTICE
    )
    # 刘秀英: studies at the nearest branch, but her last contact was a
    # home-delivered session over a month ago (amber).
    services.contact_log_create(
        member=liu,
        by=user,
        kind="home_delivered",
        date=ago(40),
        minutes=40,
        lessons=[lesson] if lesson else (),
        topic="送学上门",
        note="在刘阿姨家里一起读了课文，她讲了年轻时入党的经历。",
    )
    study.study_record_add_offline(
        member=liu,
        date=ago(4),
        minutes=30,
        mode=StudyRecord.Mode.NEAREST_BRANCH,
        recorded_by=organiser,
        topic="社区党群服务中心集中学习",
    )
    # 赵磊: studying and in touch (on track), with last month's report.
    study.study_record_add_offline(
        member=zhao,
        date=ago(2),
        minutes=25,
        mode=StudyRecord.Mode.GAP_TIME,
        recorded_by=organiser,
        topic="午休时间学习《党章》",
        lessons=[lesson] if lesson else (),
    )
    services.contact_log_create(
        member=zhao, by=user, kind="guidance", date=ago(5), note=GUIDANCE
    )
    services.contact_log_create(
        member=zhao, by=user, kind="report", date=ago(5), note=REPORT
    )
    services.monthly_report_submit(
        member=zhao, by=user, month=selectors.previous_month(today), note=MONTH_NOTE
    )
    stdout.write("pairings: 3 demo pairings with contact logs created")
    return lines
