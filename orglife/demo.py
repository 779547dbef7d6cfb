"""Demo organisational life: last month's theme party day and this quarter's
branch members' meeting with who took part (online, 就近参加, on leave), and
a party lecture to come. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from school.members.models import Branch, MemberProfile

from . import services
from .models import Attendance, Kind, Meeting

BRANCH_CODE = "SZBA-LD01"


def seed(*, stdout):
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    if branch is None:
        return []
    by = (
        branch.organisers.order_by("pk").first()
        or get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    if by is None:
        return []
    if Meeting.objects.filter(branch=branch).exists():
        stdout.write("organisational life: ready")
        return []
    today = timezone.localdate()
    members = {
        m.real_name: m for m in MemberProfile.objects.confirmed().filter(branch=branch)
    }
    theme_day = Meeting.objects.create(
        branch=branch,
        kind=Kind.THEME_DAY,
        held_on=today - datetime.timedelta(days=30),
        topic="学习党章 重温入党誓词",
        place="宝安区西乡街道党群服务中心",
        minutes="集体学习党章第一章，全体党员重温入党誓词，交流在外务工中的体会。",
        recorded_by=by,
    )
    meeting = Meeting.objects.create(
        branch=branch,
        kind=Kind.MEMBERS_MEETING,
        held_on=today - datetime.timedelta(days=5),
        topic="本季度支部工作通报与流动党员思想汇报",
        online=True,
        minutes="通报本季度党费交纳和学习情况；三名党员线上作思想汇报。",
        recorded_by=by,
    )
    Meeting.objects.create(
        branch=branch,
        kind=Kind.LECTURE,
        held_on=today + datetime.timedelta(days=10),
        topic="党课：流动党员如何在岗位上发挥先锋作用",
        place="宝安区西乡街道党群服务中心三楼会议室",
        recorded_by=by,
    )
    plan = {
        "张伟": {"status": Attendance.Status.PRESENT, "way": Attendance.Way.ONLINE},
        "李明": {"status": Attendance.Status.PRESENT},
        "王芳": {
            "status": Attendance.Status.PRESENT,
            "way": Attendance.Way.NEARBY,
            "nearby_branch": "东莞长安流动党员党支部",
        },
        "刘洋": {"status": Attendance.Status.LEAVE, "leave_reason": "在外地工地值班"},
    }
    for held in (theme_day, meeting):
        entries = [
            {"member": members[name], **entry}
            for name, entry in plan.items()
            if name in members
        ]
        services.attendance_record(meeting=held, entries=entries, by=by)
    stdout.write("organisational life: 3 meetings added")
    return []
