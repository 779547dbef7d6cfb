"""The study contact's pages under /contact/: the dashboard's flags and order,
home-delivered study, the monthly report, and who may see what."""

import re

import pytest
from django.utils import timezone

from courses.models import ContactLog, MonthlyReport, Pairing, StudyRecord
from courses.pairing import services
from school.members.models import MemberProfile
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db

DASHBOARD = "/contact/"


@pytest.fixture
def contact_client(client, contact):
    client.force_login(contact.user)
    return client


def card_order(response):
    return [(card.member.real_name, card.flag) for card in response.context["cards"]]


def text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Flags and order ----------


def test_flags_red_for_no_study_or_overdue_amber_for_no_contact_red_first(
    branch, contact, contact_client
):
    _course, (lesson,) = f.course_with_lessons(1)
    pf.overdue_plan(branch, lesson, due_ago=3)
    ok = f.member(branch, name="甲正常")
    idle = f.member(branch, name="乙未学")
    overdue = f.member(branch, name="丙逾期")
    quiet = f.member(branch, name="丁未联系")
    never = f.member(branch, name="戊无记录")
    for member in (ok, idle, overdue, quiet, never):
        pairing = pf.pair(contact, member)
        if member is not quiet:
            pf.contacted(pairing, ago=2)
        else:
            pf.contacted(pairing, ago=31)
    for member in (ok, overdue, quiet):
        pf.studied(member, ago=1)
    pf.studied(idle, ago=15)
    # Only the overdue member is behind on the plan.
    for member in (ok, idle, quiet, never):
        member.lesson_progress.create(lesson=lesson, completed_at=timezone.now())

    response = contact_client.get(DASHBOARD)

    assert response.status_code == 200
    # Red first (never studied, then longest without study), then amber.
    assert card_order(response) == [
        ("戊无记录", "red"),
        ("乙未学", "red"),
        ("丙逾期", "red"),
        ("丁未联系", "amber"),
        ("甲正常", ""),
    ]
    page = text(response)
    assert "红色预警" in page and "黄色提醒" in page and "正常" in page
    assert "已 15 天未学习" in page
    assert "1 项学习计划逾期" in page
    assert "已 31 天未联系" in page
    assert page.index("丙逾期") < page.index("丁未联系") < page.index("甲正常")


def test_red_outranks_amber_on_one_card(branch, contact, contact_client):
    member = f.member(branch, name="两样都缺")
    pf.pair(contact, member)  # no study, no contact
    (card,) = contact_client.get(DASHBOARD).context["cards"]
    assert card.flag == "red"
    assert card.reasons == ["尚无学习记录", "尚未联系"]


def test_first_contact_is_due_thirty_days_after_the_pairing_began(
    branch, contact, contact_client
):
    new = f.member(branch, name="新结对")
    old = f.member(branch, name="老结对")
    pf.pair(contact, new, started_days_ago=0)
    pf.pair(contact, old, started_days_ago=30)
    for member in (new, old):
        pf.studied(member, ago=1)

    response = contact_client.get(DASHBOARD)

    assert card_order(response) == [("老结对", "amber"), ("新结对", "")]
    assert response.context["cards"][0].reasons == ["尚未联系"]


def test_boundaries_fourteen_and_thirty_days(branch, contact, contact_client):
    thirteen = f.member(branch, name="十三天")
    fourteen = f.member(branch, name="十四天")
    for member in (thirteen, fourteen):
        pairing = pf.pair(contact, member)
        pf.contacted(pairing, ago=29)
    pf.studied(thirteen, ago=13)
    pf.studied(fourteen, ago=14)

    flags = dict(card_order(contact_client.get(DASHBOARD)))

    assert flags == {"十四天": "red", "十三天": ""}


def test_card_shows_plan_progress_minutes_and_dates(branch, contact, contact_client):
    member = f.member(branch, name="张党员")
    pairing = pf.pair(contact, member)
    pf.contacted(pairing, ago=3)
    pf.studied(member, ago=0, minutes=40)

    response = contact_client.get(DASHBOARD)

    html = response.content.decode()
    assert re.search(r"data-month-minutes>\s*40\s*<", html)
    assert pf.days_ago(0).isoformat() in html
    assert pf.days_ago(3).isoformat() in html
    assert "暂无学习计划" in html


def test_ended_pairings_leave_the_dashboard(branch, organiser, contact, contact_client):
    member = f.member(branch, name="已结束")
    pairing = pf.pair(contact, member)
    services.pairing_end(pairing=pairing, by=organiser)
    response = contact_client.get(DASHBOARD)
    assert response.context["cards"] == []
    assert "您目前没有结对帮学的党员" in text(response)


def test_dashboard_queries_do_not_grow_with_members(
    branch, contact, contact_client, django_assert_max_num_queries
):
    _course, lessons = f.course_with_lessons(2)
    pf.overdue_plan(branch, lessons[0])

    def add(n):
        for _ in range(n):
            member = f.member(branch)
            pf.contacted(pf.pair(contact, member), ago=5)
            pf.studied(member, ago=2)

    add(5)
    with django_assert_max_num_queries(40) as few:
        assert len(contact_client.get(DASHBOARD).context["cards"]) == 5
    add(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(contact_client.get(DASHBOARD).context["cards"]) == 50


def test_the_header_links_contacts_to_their_dashboard(branch, contact, client):
    member = f.member(branch)
    client.force_login(member.user)
    assert "我的帮学对象" not in client.get("/me/study/").content.decode()
    pf.pair(contact, member)
    client.force_login(contact.user)
    assert "我的帮学对象" in client.get("/me/study/").content.decode()


# --- Home-delivered study and contact logs ----------


def test_home_delivered_study_raises_minutes_on_dashboard_and_member_page(
    branch, contact, contact_client, client
):
    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    url = f"/contact/members/{member.pk}/home-study/"

    form = contact_client.get(url)
    assert form.status_code == 200
    assert "为张党员送学上门" in text(form)
    response = contact_client.post(
        url,
        {
            "kind": "home_delivered",
            "date": timezone.localdate().isoformat(),
            "minutes": "30",
            "topic": "送学上门",
            "note": "",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "已为张党员记入送学上门学习 30 分钟" in text(response)
    (card,) = response.context["cards"]
    assert card.month_minutes == "30"
    record = StudyRecord.objects.get(member=member)
    assert (record.mode, record.seconds) == ("home_delivered", 1800)
    assert ContactLog.objects.get().study_record == record
    client.force_login(member.user)
    study_page = client.get("/me/study/").content.decode()
    assert re.search(r'data-total="month">\s*30\s*<', study_page)


def test_home_study_form_keeps_input_and_says_what_is_wrong(
    branch, contact, contact_client
):
    member = f.member(branch)
    pf.pair(contact, member)
    response = contact_client.post(
        f"/contact/members/{member.pk}/home-study/",
        {"date": timezone.localdate().isoformat(), "minutes": "", "note": "在家学习"},
    )
    assert response.status_code == 400
    assert "请填写一起学习了多少分钟" in text(response)
    assert "在家学习" in response.content.decode()
    assert not StudyRecord.objects.exists()


def test_logging_a_notice_shows_it_on_the_members_study_page(
    branch, contact, contact_client, client
):
    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    response = contact_client.post(
        f"/contact/members/{member.pk}/log/",
        {
            "kind": "notice",
            "date": timezone.localdate().isoformat(),
            "note": "本月学完党章第一章",
        },
        follow=True,
    )
    assert "已记录与张党员的联系：通报学习要求" in text(response)
    client.force_login(member.user)
    page = text(client.get("/me/study/"))
    assert "我的帮学联系人" in page
    assert "您的帮学联系人是王联系" in page
    assert "本月学完党章第一章" in page


def test_a_member_never_sees_thinking_reports_about_themselves(
    branch, contact, contact_client, client
):
    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    contact_client.post(
        f"/contact/members/{member.pk}/log/",
        {
            "kind": "report",
            "date": timezone.localdate().isoformat(),
            "note": "思想有些波动需要关心",
        },
    )
    assert ContactLog.objects.get().kind == "report"
    # The contact who wrote it reads it on the member's page.
    assert "思想有些波动需要关心" in text(
        contact_client.get(f"/contact/members/{member.pk}/")
    )
    client.force_login(member.user)
    assert "思想有些波动需要关心" not in client.get("/me/study/").content.decode()
    assert client.get(f"/contact/members/{member.pk}/").status_code == 404
    export = client.get("/me/data/").content.decode()
    assert "思想有些波动需要关心" not in export


def test_a_new_contact_does_not_read_the_previous_contacts_reports(
    branch, organiser, contact, client
):
    member = f.member(branch)
    first = pf.pair(contact, member)
    pf.contacted(first, kind="report", note="前任的思想汇报")
    services.pairing_end(pairing=first, by=organiser)
    successor = f.member(branch)
    pf.pair(successor, member, started_days_ago=0)
    client.force_login(successor.user)
    response = client.get(f"/contact/members/{member.pk}/")
    assert response.status_code == 200
    assert "前任的思想汇报" not in response.content.decode()


# --- The member's page and monthly report ----------


def test_member_page_shows_history_and_lets_the_contact_confirm(
    branch, contact, contact_client
):
    from courses import services as study_services

    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    pf.studied(member, ago=3, minutes=15)
    record = study_services.study_record_declare(
        member=member,
        date=pf.days_ago(1),
        minutes=20,
        mode="gap_time",
        topic="午休学党史",
        note="午休时间学习党史，很有收获，准备继续坚持。",
    )
    page = contact_client.get(f"/contact/members/{member.pk}/")
    assert page.status_code == 200
    assert "自学党章" in text(page)
    assert "待确认的自报学习" in text(page)

    contact_client.post(
        f"/contact/members/{member.pk}/declarations/{record.pk}/confirm/"
    )

    record.refresh_from_db()
    assert record.status == StudyRecord.Status.CONFIRMED


def test_contact_submits_a_monthly_report(branch, contact, contact_client):
    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    pf.studied(member, ago=0, minutes=45)
    url = f"/contact/members/{member.pk}/report/"
    page = contact_client.get(url)
    assert "学习 45 分钟" in text(page)
    month = timezone.localdate().strftime("%Y-%m")

    response = contact_client.post(
        url, {"month": month, "note": "工作稳定"}, follow=True
    )

    assert "月度报告已提交支部" in text(response)
    report = MonthlyReport.objects.get()
    assert report.minutes == 45 and report.note == "工作稳定"
    bad = contact_client.post(url, {"month": "1999-01", "note": ""})
    assert bad.status_code == 400
    assert "请选择本月或上月" in text(bad)
    assert "请简要填写该党员的思想和工作生活情况" in text(bad)


# --- Forbidden paths ----------


def member_urls(member_id, record_id=1):
    base = f"/contact/members/{member_id}"
    return [
        f"{base}/",
        f"{base}/log/",
        f"{base}/home-study/",
        f"{base}/report/",
    ]


def test_a_contact_gets_404_for_members_they_are_not_paired_with(
    branch, organiser, contact, contact_client
):
    stranger = f.member(branch, name="别人的")
    pf.pair(f.member(branch), stranger)
    ended = f.member(branch, name="已结束")
    services.pairing_end(pairing=pf.pair(contact, ended), by=organiser)
    for member in (stranger, ended):
        for url in member_urls(member.pk):
            assert contact_client.get(url).status_code == 404, url
        response = contact_client.post(
            f"/contact/members/{member.pk}/home-study/",
            {"date": timezone.localdate().isoformat(), "minutes": "30"},
        )
        assert response.status_code == 404
    assert not StudyRecord.objects.exists()


def test_a_member_number_too_big_for_the_database_is_404_not_500(contact_client):
    huge = "9" * 20
    for url in member_urls(huge):
        assert contact_client.get(url).status_code == 404, url
    confirm = f"/contact/members/1/declarations/{huge}/confirm/"
    assert contact_client.post(confirm).status_code == 404


def test_a_lesson_number_too_big_for_the_database_is_a_form_error(
    branch, contact, contact_client
):
    _course, (lesson,) = f.course_with_lessons(1)
    pf.overdue_plan(branch, lesson)
    member = f.member(branch, name="张党员")
    pf.pair(contact, member)
    response = contact_client.post(
        f"/contact/members/{member.pk}/home-study/",
        {
            "date": timezone.localdate().isoformat(),
            "minutes": "30",
            "lessons": [lesson.pk, "9" * 20],
        },
    )
    assert response.status_code == 400
    assert "不在可用的选项中" in text(response)
    assert not StudyRecord.objects.exists()


def test_a_contact_cannot_decide_other_members_declarations(
    branch, contact, contact_client
):
    from courses import services as study_services

    mine = f.member(branch)
    pf.pair(contact, mine)
    other = f.member(branch)
    record = study_services.study_record_declare(
        member=other,
        date=pf.days_ago(1),
        minutes=20,
        mode="gap_time",
        topic="党史",
        note="午休时间学习党史，很有收获，准备继续坚持。",
    )
    # Through a member they do help, but a record that is not that member's.
    response = contact_client.post(
        f"/contact/members/{mine.pk}/declarations/{record.pk}/confirm/"
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == StudyRecord.Status.PENDING


def test_anonymous_is_sent_to_login_and_unconfirmed_get_403(branch, client):
    assert client.get(DASHBOARD).status_code == 302
    pending = f.member(branch, status=MemberProfile.Status.PENDING)
    client.force_login(pending.user)
    assert client.get(DASHBOARD).status_code == 403


def test_an_organiser_is_not_a_contact_on_the_site(branch, organiser, client):
    member = f.member(branch)
    pf.pair(f.member(branch), member)
    client.force_login(organiser)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"/contact/members/{member.pk}/").status_code == 403


def test_a_contact_whose_membership_lapsed_sees_nobody(branch, contact, client):
    member = f.member(branch)
    pf.pair(contact, member)
    MemberProfile.objects.filter(pk=contact.pk).update(status="left")
    client.force_login(contact.user)
    assert client.get(f"/contact/members/{member.pk}/").status_code == 403
    assert Pairing.objects.of_contact_user(contact.user).count() == 0
