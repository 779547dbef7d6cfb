"""The contact's care page, the organisers' admin pages and the member file:
who sees what, refusals with a message, the Spring Festival list with a fixed
clock, query counts that do not grow with the rows."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from care.models import CareVisit, NewYearStay
from tests.courses import pairing_factories as pf
from tests.members import factories

from . import factories as cf

pytestmark = pytest.mark.django_db

# A fixed clock: a month before the Spring Festival of 2027 (6 February).
TODAY = datetime.date(2027, 1, 10)
FILE = "/admin/members/profiles/file/{}/"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def world():
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name="乙党支部", code="B")
    member = factories.member(a, real_name="甲党员", current_city="深圳")
    contact = factories.member(a, real_name="甲联系人", mobile="13900001111")
    pf.pair(contact, member)
    return {
        "a": a,
        "b": b,
        "member": member,
        "contact": contact.user,
        "organiser": factories.organiser(a),
        "organiser_b": factories.organiser(b),
        "peer": factories.member(a, real_name="甲同志").user,
    }


def visit_form(**data):
    return {
        "visited_on": "2027-01-09",
        "way": "visit",
        "reason": "new_year",
        "done": "送去春联和慰问品",
        "still_open": "",
        **data,
    }


# --- The contact's page ----------


def test_a_contact_records_a_visit_from_their_members_page(client, world, fixed_clock):
    client.force_login(world["contact"])
    url = reverse("care:contact_care", args=[world["member"].pk])
    assert "走访慰问" in client.get(url).content.decode()
    response = client.post(url, visit_form(still_open="年后再回访"))
    assert response.status_code == 302
    visit = CareVisit.objects.get()
    assert visit.reason == "new_year" and visit.still_open == "年后再回访"
    page = client.get(url).content.decode()
    assert "送去春联和慰问品" in page and "年后再回访" in page
    member_page = client.get(
        reverse("courses:contact_member", args=[world["member"].pk])
    )
    assert url in member_page.content.decode()


def test_a_future_date_or_nothing_done_is_refused_and_the_text_kept(
    client, world, fixed_clock
):
    client.force_login(world["contact"])
    url = reverse("care:contact_care", args=[world["member"].pk])
    response = client.post(
        url, visit_form(visited_on="2027-01-11", still_open="要跟进的事")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "日期不能晚于今天" in text and "要跟进的事" in text
    response = client.post(url, visit_form(done=""))
    assert "请写明走访或电话中做了什么" in response.content.decode()
    assert not CareVisit.objects.exists()


def test_the_contact_marks_the_member_as_not_going_home(client, world, fixed_clock):
    client.force_login(world["contact"])
    url = reverse("care:contact_new_year", args=[world["member"].pk])
    client.post(url, {"staying": "on"})
    assert NewYearStay.objects.get().festival_year == 2027
    client.post(url, {})
    assert not NewYearStay.objects.exists()


@pytest.mark.parametrize("who", ["peer", "organiser_b", "member"])
def test_nobody_but_the_contact_reaches_the_care_page(client, world, who):
    cf.visit(world["member"], world["organiser"], done="仅支部可见的走访记录")
    user = world[who].user if who == "member" else world[who]
    client.force_login(user)
    pk = world["member"].pk
    for url in (
        reverse("care:contact_care", args=[pk]),
        reverse("care:contact_new_year", args=[pk]),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, visit_form() if method == "post" else None
            )
            assert response.status_code in (403, 404, 405), (who, url)
            assert "仅支部可见的走访记录" not in response.content.decode()
    assert CareVisit.objects.count() == 1


def test_the_member_does_not_see_visits_in_their_data_download(client, world):
    cf.visit(world["member"], world["contact"], done="写给支部的走访笔记")
    client.force_login(world["member"].user)
    data = client.get("/me/data.json").json()
    (visit,) = data["care_visits"]["visits"]
    assert visit["reason"] == "hardship" and "甲联系人" in visit["visited_by"]
    assert "写给支部的走访笔记" not in str(data)


# --- The admin ----------


def test_an_organiser_records_and_closes_a_visit_in_the_admin(
    client, world, fixed_clock
):
    client.force_login(world["organiser"])
    response = client.post(
        reverse("care_visits:add"),
        {
            "member": world["member"].pk,
            **visit_form(reason="rights", still_open="仲裁"),
        },
    )
    assert response.status_code == 302
    visit = CareVisit.objects.get()
    assert visit.recorded_as == "organiser"
    response = client.post(
        reverse("care_visits:edit", args=[visit.pk]),
        {"member": world["member"].pk, **visit_form(reason="rights", closed="on")},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.closed
    listing = client.get(reverse("care_visits:index")).content.decode()
    assert "甲党员" in listing


def test_the_admin_refuses_a_future_date_an_empty_note_and_another_branch(
    client, world, fixed_clock
):
    other = factories.member(world["b"], real_name="乙党员")
    client.force_login(world["organiser"])
    url = reverse("care_visits:add")
    text = client.post(
        url,
        {"member": world["member"].pk, **visit_form(visited_on="2027-02-01", done="")},
    ).content.decode()
    assert "日期不能晚于今天" in text and "请写明走访或电话中做了什么" in text
    text = client.post(url, {"member": other.pk, **visit_form()}).content.decode()
    assert "请选择您所管理支部的已确认党员" in text
    assert not CareVisit.objects.exists()


def test_an_organiser_never_sees_another_branchs_visits(client, world, fixed_clock):
    other = factories.member(world["b"], real_name="乙党员")
    visit = cf.visit(other, world["organiser_b"], done="乙支部的走访")
    client.force_login(world["organiser"])
    assert (
        "乙支部的走访" not in client.get(reverse("care_visits:index")).content.decode()
    )
    assert client.get(reverse("care_visits:edit", args=[visit.pk])).status_code == 404


# --- Not visited before the Spring Festival (fixed clock) ----------


def test_the_not_visited_list_before_the_spring_festival(client, world, fixed_clock):
    a, organiser = world["a"], world["organiser"]
    staying = world["member"]
    visited = factories.member(a, real_name="已走访党员")
    late = factories.member(a, real_name="去年走访党员")
    home = factories.member(a, real_name="回家党员")
    other_branch = factories.member(world["b"], real_name="乙留守党员")
    for member in (staying, visited, late):
        cf.stay(member, organiser, 2027)
    cf.stay(other_branch, world["organiser_b"], 2027)
    # Visits count from 30 days before the festival, 2027-01-07.
    cf.visit(
        visited, organiser, reason="new_year", visited_on=datetime.date(2027, 1, 8)
    )
    cf.visit(late, organiser, reason="new_year", visited_on=datetime.date(2027, 1, 6))
    cf.visit(
        staying, organiser, reason="hardship", visited_on=datetime.date(2027, 1, 9)
    )
    cf.visit(home, organiser, reason="new_year", visited_on=datetime.date(2027, 1, 9))

    client.force_login(organiser)
    url = reverse("care_not_visited:index")
    page = client.get(url).content.decode()
    assert "甲党员" in page and "去年走访党员" in page
    assert "甲联系人（13900001111）" in page
    assert "已走访党员" not in page and "回家党员" not in page
    assert "乙留守党员" not in page
    assert "2027-02-06" in page and "2027-01-07" in page

    page = client.get(url, {"since": "2027-01-01"}).content.decode()
    assert "去年走访党员" not in page and "甲党员" in page

    export = client.get(url, {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["去年走访党员", "甲党员"] or sorted(names) == sorted(
        ["去年走访党员", "甲党员"]
    )


def test_the_list_is_for_organisers_only(client, world):
    for who in ("contact", "peer"):
        client.force_login(world[who])
        response = client.get(reverse("care_not_visited:index"))
        assert response.status_code in (302, 403, 404)


def test_listings_cost_the_same_queries_for_more_rows(
    client, world, fixed_clock, django_assert_max_num_queries
):
    a, organiser = world["a"], world["organiser"]

    def fill(count):
        for _ in range(count):
            member = factories.member(a)
            contact = factories.member(a)
            pf.pair(contact, member)
            cf.stay(member, organiser, 2027)
            cf.visit(member, organiser, visited_on=datetime.date(2027, 1, 2))

    client.force_login(organiser)
    fill(2)
    urls = [
        reverse("care_visits:index"),
        reverse("care_new_year:index"),
        reverse("care_not_visited:index"),
        reverse("care:contact_care", args=[world["member"].pk]),
        FILE.format(world["member"].pk),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        counts[url] = len(small)
    fill(15)
    for _ in range(15):
        cf.visit(world["member"], organiser, reason="illness")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


# --- The member file ----------


def test_the_member_file_shows_the_care_visits(client, world, fixed_clock):
    cf.visit(world["member"], world["contact"], done="电话问候病情", reason="illness")
    cf.stay(world["member"], world["organiser"], 2027)
    client.force_login(world["organiser"])
    page = client.get(FILE.format(world["member"].pk)).content.decode()
    assert "电话问候病情" in page and "data-care-visits" in page
    assert "2027年春节不返乡" in page
    client.force_login(world["organiser_b"])
    assert client.get(FILE.format(world["member"].pk)).status_code == 404
