"""Demo salon: this quarter's red salon of the organiser's branch, with a few
members already signed up (the demo member account is left free to sign up).
Idempotent like the other apps' demo modules."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo import h, home_page, p, page_ensure
from school.members.models import Branch, MemberProfile

from . import services
from .models import Registration, SalonIndexPage, SalonPage, quarter_of

BRANCH_CODE = "SZBA-LD01"

# Members who have already signed up (no password: they cannot log in).
SIGNED_UP = [
    ("salon-demo-1@example.com", "李明", "13700137001"),
    ("salon-demo-2@example.com", "王芳", "13700137002"),
    ("salon-demo-3@example.com", "刘洋", "13700137003"),
]


def salon_start(now: datetime.datetime) -> datetime.datetime:
    """A week ahead at 14:30, kept inside the current quarter where possible."""
    local = timezone.localtime(now)
    year, quarter = quarter_of(local)
    start = (local + datetime.timedelta(days=7)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    if quarter_of(start) != (year, quarter):
        last_month = quarter * 3
        next_first = datetime.date(year + last_month // 12, last_month % 12 + 1, 1)
        last_day = next_first - datetime.timedelta(days=1)
        start = local.replace(
            year=last_day.year,
            month=last_day.month,
            day=last_day.day,
            hour=19,
            minute=0,
            second=0,
            microsecond=0,
        )
    return max(start, local + datetime.timedelta(hours=2))


def branch_ensure() -> Branch:
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    if branch is None:
        branch = Branch.objects.order_by("pk").first()
    if branch is None:
        branch = Branch.objects.create(
            code=BRANCH_CODE,
            name="深圳宝安流动党员党支部",
            location="广东省深圳市宝安区",
        )
    return branch


def member_ensure(email: str, name: str, mobile: str, branch: Branch) -> MemberProfile:
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, username=email.split("@")[0], first_name=name)
        user.set_unusable_password()
        user.save()
    profile = getattr(user, "profile", None)
    if profile is None:
        profile = MemberProfile.objects.create(
            user=user,
            real_name=name,
            branch=branch,
            mobile=mobile,
            status=MemberProfile.Status.CONFIRMED,
            consent_version="demo",
            consented_at=timezone.now(),
            decided_at=timezone.now(),
        )
    return profile


def salon_ensure(index: SalonIndexPage, branch: Branch) -> tuple[SalonPage, bool]:
    now = timezone.now()
    year, quarter = quarter_of(now)
    existing = SalonPage.objects.filter(
        branch=branch, year=year, quarter=quarter
    ).first()
    if existing is not None:
        return existing, False
    start = salon_start(now)
    year, quarter = quarter_of(start)
    page = SalonPage(
        title=f"{year}年第{quarter}季度红色沙龙",
        slug=f"{year}-q{quarter}",
        branch=branch,
        year=year,
        quarter=quarter,
        theme="在外务工不忘党员身份：流动党员如何发挥先锋作用",
        description=[
            h("沙龙简介"),
            p(
                "本期红色沙龙面向在深圳务工、经商的流动党员，"
                "围绕“岗位建功、就近服务”开展交流研讨，"
                "邀请优秀流动党员分享在企业、社区中发挥作用的经验。",
                "沙龙设集中议事环节，请大家提前在本页提出想讨论的议题或问题。",
            ),
        ],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="宝安区西乡街道党群服务中心三楼会议室",
        capacity=30,
        signup_opens_at=now - datetime.timedelta(days=3),
        signup_closes_at=start - datetime.timedelta(hours=1),
        waiting_list=True,
        study_hours=Decimal("2.0"),
        agenda=[
            ("item", {"time": "14:30", "item": "集体学习：党章中关于党员义务的规定"}),
            ("item", {"time": "15:10", "item": "经验分享：我在流水线上当先锋"}),
            ("item", {"time": "15:40", "item": "集中议事：流动党员就近参加组织生活"}),
            ("item", {"time": "16:20", "item": "小结与下季度安排"}),
        ],
    )
    return page_ensure(index, page)


def seed(*, stdout):
    index, _ = page_ensure(
        home_page(),
        SalonIndexPage(
            title="红色沙龙",
            slug="salons",
            show_in_menus=True,
            intro="<p>每季度一期，集体学习、交流研讨、集中议事。名额有限，先到先得。</p>",
        ),
    )
    index.grant_organisers()
    branch = branch_ensure()
    salon, created = salon_ensure(index, branch)
    signed = 0
    for email, name, mobile in SIGNED_UP:
        member = member_ensure(email, name, mobile, branch)
        if Registration.objects.active().filter(salon=salon, member=member).exists():
            continue
        if salon.signup_state != "open":
            continue
        services.registration_create(salon=salon, user=member.user)
        signed += 1
    first = member_ensure(*SIGNED_UP[0], branch)
    if not salon.topic_suggestions.exists() and not salon.has_started:
        services.topic_suggestion_create(
            salon=salon,
            user=first.user,
            text="在外地务工的党员，怎样就近参加组织生活并把学习记录转回原支部？",
        )
    stdout.write(
        f"salon: {salon.title} {'created' if created else 'ready'}, "
        f"{signed} registration(s) added"
    )
    return []
