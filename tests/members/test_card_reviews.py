"""流动党员活动证年度审验: the due rule at its boundaries with a fixed clock, the
organisers' task list (scope, order, filter, export, query count), recording
a review (refusals, nothing else changes, the access log) and the member
file's line."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from school.members import card_review
from school.members.card_review import Status, due_on, last_review_due_by
from school.members.models import (
    MemberProfile,
    ProfileAccess,
    ScopeRefusal,
    WhereaboutsEntry,
)

from . import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
LIST = "/admin/members/card-reviews/"
FILE = "/admin/members/profiles/file/{}/"


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def world(fixed_clock):
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name="乙党支部", code="B")

    def card(branch, name, reviewed_on, **kwargs):
        return factories.member(
            branch,
            real_name=name,
            activity_card_number=f"LD-{name}",
            card_reviewed_on=reviewed_on and day(reviewed_on),
            **kwargs,
        )

    return {
        "a": a,
        "b": b,
        "card": card,
        "organiser": factories.organiser(a),
        "organiser_b": factories.organiser(b),
        "never": card(a, "未审验", None),
        "late": card(a, "逾期久", "2025-10-01"),
        "just_late": card(a, "刚逾期", "2025-12-06"),
        "due_today": card(a, "今天到期", "2025-12-07"),
        "due_in_30": card(a, "三十天", "2026-01-06"),
        "in_31": card(a, "三十一天", "2026-01-07"),
        "no_card": factories.member(a, real_name="无证", card_reviewed_on=None),
        "pending": card(a, "待确认", "2024-01-01", status="pending"),
        "left": card(a, "已离开", "2024-01-01", status="left"),
        "b_late": card(b, "乙逾期", "2024-01-01"),
    }


def tight(html):
    """The page with the blanks around its tags taken out."""
    return re.sub(r"\s*(<|>)\s*", r"\1", html)


def listed_names(html):
    html = tight(html)
    return [
        name
        for name in ("未审验", "逾期久", "刚逾期", "今天到期", "三十天", "三十一天")
        + ("无证", "待确认", "已离开", "乙逾期")
        if f">{name}<" in html
    ]


# --- The rule ----------


@pytest.mark.parametrize(
    ("reviewed_on", "status", "due", "days_overdue"),
    [
        (None, Status.OVERDUE, None, None),
        ("2025-10-01", Status.OVERDUE, "2026-10-01", 67),
        ("2025-12-06", Status.OVERDUE, "2026-12-06", 1),
        ("2025-12-07", Status.DUE_SOON, "2026-12-07", None),
        ("2026-01-06", Status.DUE_SOON, "2027-01-06", None),
        ("2026-01-07", Status.CURRENT, "2027-01-07", None),
        ("2026-12-07", Status.CURRENT, "2027-12-07", None),
    ],
)
def test_a_card_is_overdue_a_year_after_its_review_and_due_soon_30_days_before(
    reviewed_on, status, due, days_overdue
):
    review = card_review.review_state(reviewed_on and day(reviewed_on), TODAY)
    assert review.status == status
    assert review.due_on == (due and day(due))
    assert review.days_overdue == days_overdue


def test_a_review_on_29_february_falls_due_on_28_february():
    assert due_on(day("2024-02-29")) == day("2025-02-28")
    assert due_on(day("2023-02-28")) == day("2024-02-28")
    assert card_review.review_state(day("2024-02-29"), day("2025-03-01")).status == (
        Status.OVERDUE
    )


def test_the_database_boundary_is_the_exact_inverse_of_the_due_date():
    # last_review_due_by(d) is the latest review falling due on or before d,
    # for every day of four years around two 29 Februaries.
    d = day("2023-01-01")
    while d < day("2029-01-01"):
        last = last_review_due_by(d)
        assert due_on(last) <= d < due_on(last + datetime.timedelta(days=1)), d
        d += datetime.timedelta(days=1)


def test_the_list_and_the_rule_agree_on_every_review_date_around_a_leap_day(
    monkeypatch,
):
    branch = factories.branch()
    start = day("2024-12-20")
    for n in range(80):
        factories.member(
            branch,
            activity_card_number=f"LD-{n}",
            card_reviewed_on=start + datetime.timedelta(days=n),
        )
    for today in (day("2025-12-31"), day("2026-01-29"), day("2026-02-28")):
        listed = {
            p.card_reviewed_on: p.card_review_status
            for p in card_review.review_tasks(MemberProfile.objects.all(), today)
        }
        for member in MemberProfile.objects.all():
            review = card_review.review_state(member.card_reviewed_on, today)
            expected = review.status if review.on_task_list else None
            assert listed.get(member.card_reviewed_on) == expected, (today, member)


# --- The task list ----------


def test_the_list_shows_the_branchs_overdue_and_due_soon_cards_most_overdue_first(
    client, world
):
    client.force_login(world["organiser"])
    html = client.get(LIST).content.decode()

    # listed_names keeps the page's order.
    names = ["未审验", "逾期久", "刚逾期", "今天到期", "三十天"]
    assert listed_names(html) == names
    positions = [tight(html).index(f">{name}<") for name in names]
    assert positions == sorted(positions)
    assert "已逾期" in html and "即将到期" in html and "2026-10-01" in html
    # Names open the member file; each row has its own record action.
    assert FILE.format(world["late"].pk) in html
    assert reverse("card_reviews:record", args=[world["late"].pk]) in html
    assert "记录审验" in html


def test_the_list_filters_by_status(client, world):
    client.force_login(world["organiser"])
    overdue = client.get(LIST, {"status": "overdue"}).content.decode()
    soon = client.get(LIST, {"status": "due_soon"}).content.decode()
    assert listed_names(overdue) == ["未审验", "逾期久", "刚逾期"]
    assert listed_names(soon) == ["今天到期", "三十天"]


def test_the_xlsx_export_holds_the_rows_and_is_logged(client, world):
    client.force_login(world["organiser"])
    response = client.get(LIST, {"export": "xlsx"})
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(book.active.iter_rows(values_only=True))

    assert rows[0][:3] == ("姓名", "党支部", "活动证编号")
    assert [row[0] for row in rows[1:]] == [
        "未审验",
        "逾期久",
        "刚逾期",
        "今天到期",
        "三十天",
    ]
    late = rows[2]
    assert late[5] == "已逾期" and late[6] == 67
    assert "2026-10-01" in str(late[4])
    exported = ProfileAccess.objects.filter(action="export")
    assert exported.count() == 5


def test_another_branchs_organiser_sees_only_their_own(client, world):
    client.force_login(world["organiser_b"])
    assert listed_names(client.get(LIST).content.decode()) == ["乙逾期"]


def test_the_list_is_for_organisers_and_in_their_members_menu(client, world):
    editor = factories.editor()
    client.force_login(editor)
    refused = client.get(LIST)
    assert refused.status_code == 302 and refused.url == "/admin/"
    assert LIST not in client.get("/admin/").content.decode()
    client.force_login(world["organiser"])
    assert LIST in client.get("/admin/").content.decode()


def test_the_list_costs_the_same_queries_for_5_or_30_cards(client, fixed_clock):
    branch = factories.branch()
    organiser = factories.organiser(branch)
    client.force_login(organiser)
    made = iter(range(1000))

    def fill(count):
        for _ in range(count):
            n = next(made)
            factories.member(
                branch,
                activity_card_number=f"LD-{n}",
                card_reviewed_on=TODAY - datetime.timedelta(days=340 + n),
            )

    fill(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).content.decode().count("记录审验") == 5
    fill(25)
    with CaptureQueriesContext(connection) as large:
        assert client.get(LIST).content.decode().count("记录审验") == 30
    assert len(large) == len(small)


# --- Recording a review ----------


def record_url(member):
    return reverse("card_reviews:record", args=[member.pk])


def fields_of(member):
    return {
        k: v
        for k, v in MemberProfile.objects.filter(pk=member.pk).values()[0].items()
        if k not in ("card_reviewed_on", "updated_at")
    }


def test_the_form_offers_today_and_recording_takes_the_member_off_the_list(
    client, world
):
    member = world["late"]
    before = fields_of(member)
    client.force_login(world["organiser"])
    form = client.get(record_url(member)).content.decode()
    assert 'value="2026-12-07"' in form and "2025-10-01" in form

    response = client.post(record_url(member), {"reviewed_on": "2026-12-07"})

    assert response.status_code == 302 and response.url == LIST
    member.refresh_from_db()
    assert member.card_reviewed_on == TODAY
    assert fields_of(member) == before
    assert not WhereaboutsEntry.objects.filter(member=member).exists()
    entry = ProfileAccess.objects.get(profile=member)
    assert entry.action == "edit" and entry.accessed_by == world["organiser"]
    assert entry.detail == "activity card review 2026-12-07"
    page = client.get(LIST).content.decode()
    assert "逾期久" not in listed_names(page)
    assert "下次应于 2027-12-07 审验" in page


def test_a_first_review_of_a_card_never_reviewed_is_recorded(client, world):
    client.force_login(world["organiser"])
    client.post(record_url(world["never"]), {"reviewed_on": "2026-12-01"})
    world["never"].refresh_from_db()
    assert world["never"].card_reviewed_on == day("2026-12-01")


@pytest.mark.parametrize(
    ("reviewed_on", "message"),
    [
        ("2026-12-08", "审验日期不能晚于今天。"),
        ("2025-09-30", "上次审验日期为 2025-10-01，新的审验日期必须晚于上次审验日期"),
        ("2025-10-01", "上次审验日期为 2025-10-01"),
        ("", "请填写审验日期。"),
        ("昨天", "请输入日期，例如 2027-01-07。"),
    ],
)
def test_a_future_or_earlier_date_is_refused_with_a_message_and_nothing_changes(
    client, world, reviewed_on, message
):
    member = world["late"]
    client.force_login(world["organiser"])
    response = client.post(record_url(member), {"reviewed_on": reviewed_on})

    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.card_reviewed_on == day("2025-10-01")
    assert not ProfileAccess.objects.filter(action="edit").exists()


def test_a_member_without_a_card_has_nothing_to_review(client, world):
    client.force_login(world["organiser"])
    response = client.post(record_url(world["no_card"]), {"reviewed_on": "2026-12-07"})
    assert "没有登记流动党员活动证" in response.content.decode()
    world["no_card"].refresh_from_db()
    assert world["no_card"].card_reviewed_on is None


def test_organiser_a_cannot_record_a_review_for_branch_bs_member(client, world):
    member = world["b_late"]
    before = MemberProfile.objects.filter(pk=member.pk).values()[0]
    client.force_login(world["organiser"])

    assert client.get(record_url(member)).status_code == 404
    response = client.post(record_url(member), {"reviewed_on": "2026-12-07"})

    assert response.status_code == 404
    assert MemberProfile.objects.filter(pk=member.pk).values()[0] == before
    assert not ProfileAccess.objects.filter(profile=member).exists()
    assert ScopeRefusal.objects.filter(
        refused_to=world["organiser"], object_number=str(member.pk)
    ).exists()


def test_an_editor_cannot_record_a_review(client, world):
    # Outside every branch's scope: the guard answers before the view.
    client.force_login(factories.editor())
    response = client.post(record_url(world["late"]), {"reviewed_on": "2026-12-07"})
    assert response.status_code == 404
    world["late"].refresh_from_db()
    assert world["late"].card_reviewed_on == day("2025-10-01")


# --- The member file ----------


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("late", "已逾期 67 天（应于 2026-10-01 审验）"),
        ("never", "已逾期：没有审验记录"),
        ("due_in_30", "即将到期：下次应于 2027-01-06 审验"),
        ("in_31", "已审验：下次应于 2027-01-07 审验"),
    ],
)
def test_the_member_file_states_the_cards_review(client, world, key, text):
    client.force_login(world["organiser"])
    html = client.get(FILE.format(world[key].pk)).content.decode()
    personal = html.split('data-fact="personal"')[1].split("</tr>")[0]
    assert "活动证审验" in personal and text in personal
