"""Organisational life: meetings, who took part, the ledgers and the member's page."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orglife import selectors
from orglife.models import Attendance, Frequency, MeetingRequirement
from tests.members import factories

from . import factories as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    return factories.branch(name="甲党支部")


@pytest.fixture
def organiser(branch):
    return factories.organiser(branch)


def test_present_on_leave_and_absent_are_kept_with_how_and_why(branch, organiser):
    a, b, c, d = (factories.member(branch) for _ in range(4))
    meeting = of.meeting(branch)
    of.attend(
        meeting,
        organiser,
        (a, "present"),
        (b, "present", {"way": "online"}),
        (c, "present", {"way": "nearby", "nearby_branch": "深圳南山支部"}),
        (d, "leave", {"leave_reason": "出差"}),
    )
    rows = {r.member_id: r for r in Attendance.objects.all()}
    assert rows[a.pk].way == "in_person"
    assert rows[b.pk].way == "online"
    assert rows[c.pk].nearby_branch == "深圳南山支部"
    assert rows[d.pk].leave_reason == "出差" and rows[d.pk].way == ""


def test_a_future_meeting_cannot_be_marked_attended(branch, organiser):
    member = factories.member(branch)
    later = of.meeting(
        branch, held_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as error:
        of.attend(later, organiser, (member, "present"))
    assert "还未召开" in " ".join(error.value.messages)
    of.attend(later, organiser, (member, "leave", {"leave_reason": "外地务工"}))
    assert Attendance.objects.get().status == "leave"


def test_leave_needs_a_reason_and_nothing_is_saved_without_it(branch, organiser):
    a, b = factories.member(branch), factories.member(branch)
    meeting = of.meeting(branch)
    with pytest.raises(ValidationError):
        of.attend(meeting, organiser, (a, "present"), (b, "leave"))
    assert not Attendance.objects.exists()


def test_a_member_of_another_branch_is_refused(branch, organiser):
    stranger = factories.member(factories.branch())
    with pytest.raises(ValidationError) as error:
        of.attend(of.meeting(branch), organiser, (stranger, "present"))
    assert "甲党支部" in " ".join(error.value.messages)


def test_an_organiser_cannot_record_another_branchs_meeting(branch, organiser):
    other = factories.branch()
    member = factories.member(other)
    with pytest.raises(ValidationError):
        of.attend(of.meeting(other), organiser, (member, "present"))


def test_the_expected_meetings_follow_the_branch_rules(branch, organiser):
    today = datetime.date(2026, 5, 20)
    MeetingRequirement.objects.create(
        branch=branch, kind="lecture", frequency=Frequency.HALF_YEARLY
    )
    of.meeting(branch, kind="theme_day", held_on=datetime.date(2026, 1, 10))
    of.meeting(branch, kind="theme_day", held_on=datetime.date(2026, 2, 10))
    rows = {
        kind: rest
        for kind, *rest in selectors.branch_years([branch.pk], 2026, today)[branch.pk]
    }
    assert rows["theme_day"] == [2, 5, 12]
    assert rows["members"] == [0, 2, 4]
    assert rows["lecture"] == [0, 1, 2]


def sheet_data(meeting, members_statuses):
    data = {
        "sheet-TOTAL_FORMS": str(len(members_statuses)),
        "sheet-INITIAL_FORMS": str(len(members_statuses)),
    }
    for i, (member, status, extra) in enumerate(members_statuses):
        data[f"sheet-{i}-member_id"] = member.pk
        data[f"sheet-{i}-status"] = status
        data[f"sheet-{i}-way"] = extra.get("way", "in_person")
        data[f"sheet-{i}-nearby_branch"] = extra.get("nearby_branch", "")
        data[f"sheet-{i}-leave_reason"] = extra.get("leave_reason", "")
    return data


def test_the_attendance_sheet_refuses_with_a_message_and_keeps_the_input(
    client, branch, organiser
):
    a, b = factories.member(branch, real_name="王出席"), factories.member(branch)
    meeting = of.meeting(branch)
    client.force_login(organiser)
    url = reverse("orglife_meetings:attendance", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, sheet_data(meeting, [(a, "present", {}), (b, "leave", {})])
    )
    assert response.status_code == 400
    assert "请填写请假原因" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(
        url,
        sheet_data(
            meeting, [(a, "present", {}), (b, "leave", {"leave_reason": "病假"})]
        ),
    )
    assert response.status_code == 302
    assert Attendance.objects.count() == 2


def test_the_sheet_shows_only_the_meetings_branch(client, branch, organiser):
    factories.member(branch, real_name="本支部党员")
    factories.member(factories.branch(), real_name="外支部党员")
    client.force_login(organiser)
    meeting = of.meeting(branch)
    text = client.get(
        reverse("orglife_meetings:attendance", args=[meeting.pk])
    ).content.decode()
    assert "本支部党员" in text and "外支部党员" not in text


def test_the_ledgers_and_their_exports(client, branch, organiser):
    a, b = (
        factories.member(branch, real_name="甲一"),
        factories.member(branch, real_name="甲二"),
    )
    meeting = of.meeting(branch)
    of.attend(
        meeting, organiser, (a, "present"), (b, "leave", {"leave_reason": "病假"})
    )
    client.force_login(organiser)
    year = str(meeting.held_on.year)
    text = client.get(
        reverse("orglife_participation:index"), {"year": year}
    ).content.decode()
    assert "100%" in text and "0%" in text
    response = client.get(
        reverse("orglife_participation:index"), {"year": year, "export": "xlsx"}
    )
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(b"".join(response.streaming_content))
        ).active.iter_rows(values_only=True)
    )
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["甲一"][2:4] == (1, 1) and by_name["甲一"][8] == 100
    assert by_name["甲二"][4] == 1 and by_name["甲二"][8] == 0
    response = client.get(
        reverse("orglife_ledger:index"), {"year": year, "export": "xlsx"}
    )
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(b"".join(response.streaming_content))
        ).active.iter_rows(values_only=True)
    )
    header, row = rows[0], rows[1]
    assert row[0] == "甲党支部"
    assert row[header.index("主题党日 已开")] == 1


def test_the_participation_ledger_queries_do_not_grow_with_members(
    client, branch, organiser, django_assert_max_num_queries
):
    meeting = of.meeting(branch)

    def fill(count):
        members = [factories.member(branch) for _ in range(count)]
        of.attend(meeting, organiser, *[(m, "present") for m in members])

    client.force_login(organiser)
    fill(3)
    url = reverse("orglife_participation:index")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(20)
    with django_assert_max_num_queries(len(small)):
        client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("orglife_meetings:attendance", args=[meeting.pk]))
    fill(10)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("orglife_meetings:attendance", args=[meeting.pk]))


def test_members_see_their_own_participation_only(client, branch, organiser):
    me, other = (
        factories.member(branch, real_name="我自己"),
        factories.member(branch, real_name="另一人"),
    )
    meeting = of.meeting(branch, topic="学习新党章")
    of.attend(meeting, organiser, (me, "present", {"way": "online"}), (other, "absent"))
    client.force_login(me.user)
    text = client.get("/me/meetings/").content.decode()
    assert "学习新党章" in text and "线上" in text and "另一人" not in text
    data = client.get("/me/data.json").json()
    assert data["organisational_life"][0]["status"] == "present"
