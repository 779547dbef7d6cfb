"""Demo care visits (三个必访) in the Shenzhen Bao'an branch: a call to 刘秀英
when she was ill (closed), a visit to 赵磊 whose wages were withheld (still
open), a New Year visit to 赵磊 and 张伟 marked as not going home for the
coming Spring Festival and not visited yet. Recorded through the services
by the demo study contact and organiser; nothing is added twice."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from school.members.models import Branch, MemberProfile

from . import services
from .models import CareVisit, NewYearStay, Reason
from .spring_festival import coming_festival_year, visits_count_from

BRANCH_CODE = "SZBA-LD01"
CONTACT_EMAIL = "contact@example.com"


def seed(*, stdout):
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    User = get_user_model()
    contact = User.objects.filter(email=CONTACT_EMAIL).first()
    if branch is None or contact is None:
        return []
    organiser = (
        branch.organisers.order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    members = {
        m.real_name: m for m in MemberProfile.objects.confirmed().filter(branch=branch)
    }
    today = timezone.localdate()
    year = coming_festival_year(today)
    # The New Year visit counts for the coming festival when its window has
    # begun; before that it is dated today and the list shows both members.
    new_year_day = max(
        min(visits_count_from(year), today), today - datetime.timedelta(days=20)
    )
    plans = [
        # member, by, days ago, way, reason, done, still open, closed
        (
            "刘秀英",
            contact,
            today - datetime.timedelta(days=40),
            CareVisit.Way.CALL,
            Reason.ILLNESS,
            "电话询问住院后的恢复情况，转达支部的问候，提醒按时复查。",
            "",
            True,
        ),
        (
            "赵磊",
            organiser,
            today - datetime.timedelta(days=12),
            CareVisit.Way.VISIT,
            Reason.RIGHTS,
            "到站点了解被拖欠两个月工资的情况，陪同到劳动监察大队反映。",
            "跟进劳动仲裁进度，下月再联系一次。",
            False,
        ),
        (
            "赵磊",
            contact,
            new_year_day,
            CareVisit.Way.VISIT,
            Reason.NEW_YEAR,
            "春节留在深圳跑单，送去春联和慰问品，约好除夕一起吃年夜饭。",
            "",
            True,
        ),
    ]
    added = 0
    for name, by, day, way, reason, done, still_open, closed in plans:
        member = members.get(name)
        if member is None or by is None:
            continue
        if CareVisit.objects.filter(member=member, reason=reason).exists():
            continue
        services.care_visit_record(
            member=member,
            visited_on=day,
            way=way,
            reason=reason,
            done=done,
            still_open=still_open,
            closed=closed,
            by=by,
        )
        added += 1
    marked = 0
    for name in ("张伟", "赵磊"):
        member = members.get(name)
        if member is None or NewYearStay.objects.filter(member=member).exists():
            continue
        services.new_year_stay_mark(member=member, festival_year=year, by=contact)
        marked += 1
    stdout.write(
        f"care: {added} visit(s) added, {marked} member(s) marked as not going "
        f"home for the Spring Festival {year}"
    )
    return []
