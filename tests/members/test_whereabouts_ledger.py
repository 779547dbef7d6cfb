"""流向台账: the branch ledger of where its mobile members are now, grouped by
city, with its xlsx export; an organiser sees their branches only."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from school.members import services
from school.members.models import ProfileAccess, WhereaboutsEntry

from . import factories

pytestmark = pytest.mark.django_db

URL = "/admin/members/whereabouts/"
FILE_LINK = r'/admin/members/profiles/file/\d+/"[^>]*>\s*([^<]+?)\s*<'


def moved(branch, name, city, **facts):
    """A confirmed member with the six facts filled in and a whereabouts entry."""
    facts.setdefault("moved_out_on", datetime.date(2025, 3, 1))
    facts.setdefault("move_reason", "work")
    facts.setdefault("current_address", f"{city}某区某路1号")
    facts.setdefault("employer", f"{city}某公司")
    member = factories.member(branch, real_name=name, current_city=city, **facts)
    services.whereabouts_record_change(
        member=member, previous={}, by=member.user, source="member"
    )
    return member


@pytest.fixture
def world():
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name="乙党支部", code="B")
    moved(a, "张深圳", "深圳", mobile="13800000001")
    moved(a, "李深圳", "深圳", mobile="13800000002")
    moved(a, "王东莞", "东莞", mobile="13800000003", move_reason="business")
    factories.member(a, real_name="赵未填")
    factories.member(a, real_name="钱待确认", status="pending", current_city="深圳")
    moved(b, "乙党员", "深圳", mobile="13900000009")
    return {
        "a": a,
        "b": b,
        "organiser_a": factories.organiser(a),
        "organiser_b": factories.organiser(b),
    }


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(book.active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def groups(html):
    """(city heading, [member names]) in the order the page shows them."""
    found = []
    for part in html.split('data-city-group="')[1:]:
        city, _, body = part.partition('"')
        body = body.split("</section>")[0]
        names = re.findall(FILE_LINK, body)
        found.append((city, names))
    return found


def test_the_ledger_groups_the_branchs_confirmed_members_by_city(client, world):
    client.force_login(world["organiser_a"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    cities = groups(html)
    # Members with no city given come last.
    assert [city for city, _names in cities][-1] == "未填写城市"
    assert sorted(city for city, _names in cities[:-1]) == sorted(["深圳", "东莞"])
    by_city = dict(cities)
    assert sorted(by_city["深圳"]) == ["张深圳", "李深圳"]
    assert by_city["东莞"] == ["王东莞"]
    assert by_city["未填写城市"] == ["赵未填"]
    assert "深圳 <span data-city-group-count>（2 名党员）" in html
    assert "已确认党员 4 名，按现居城市分组" in html
    assert "钱待确认" not in html
    assert "乙党员" not in html and "乙党支部" not in html
    assert "东莞某公司" in html and "13800000003" in html and "经商" in html
    member = world["a"].members.get(real_name="王东莞")
    assert f"/admin/members/profiles/file/{member.pk}/" in html


def test_the_xlsx_export_holds_the_rows_of_the_page(client, world):
    client.force_login(world["organiser_a"])
    html = client.get(URL).content.decode()
    heading, rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    assert heading[:3] == ("现居城市", "姓名", "党支部")
    names = [row[1] for row in rows]
    page_names = [name for _city, found in groups(html) for name in found]
    assert names == page_names
    by_name = {row[1]: row for row in rows}
    row = by_name["王东莞"]
    assert row[0] == "东莞" and row[2] == "甲党支部"
    assert row[3:6] == ("东莞某区某路1号", "东莞某公司", "13800000003")
    assert row[6] == datetime.date(2025, 3, 1) or str(row[6]).startswith("2025-03-01")
    assert row[7] == "经商" and row[8] is not None
    assert "乙党员" not in names
    exported = ProfileAccess.objects.filter(
        accessed_by=world["organiser_a"], action=ProfileAccess.Action.EXPORT
    )
    assert exported.count() == 4


def test_organiser_a_sees_neither_branch_bs_members_nor_their_export(client, world):
    client.force_login(world["organiser_a"])
    for params in ({}, {"branch": world["b"].pk}, {"current_city": "深圳"}):
        html = client.get(URL, params).content.decode()
        assert "乙党员" not in html and "13900000009" not in html
        _heading, rows = xlsx_rows(client.get(URL, {**params, "export": "xlsx"}))
        assert all("乙党员" not in row and "13900000009" not in row for row in rows)
        csv = b"".join(client.get(URL, {**params, "export": "csv"}).streaming_content)
        assert "乙党员".encode() not in csv
    client.force_login(world["organiser_b"])
    _heading, rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    assert [row[1] for row in rows] == ["乙党员"]


def test_a_superuser_sees_every_branch(client, world):
    client.force_login(factories.superuser())
    html = client.get(URL).content.decode()
    assert "乙党员" in html and "张深圳" in html


def test_members_and_editors_cannot_open_the_ledger(client, world):
    for user in (factories.member(world["a"]).user, factories.editor()):
        client.force_login(user)
        assert client.get(URL).status_code in (302, 403, 404)
        assert client.get(URL, {"export": "xlsx"}).status_code in (302, 403, 404)


def test_the_ledger_is_in_the_organisers_menu(client, world):
    client.force_login(world["organiser_a"])
    assert URL in client.get("/admin/").content.decode()
    client.force_login(factories.editor())
    assert URL not in client.get("/admin/").content.decode()


def test_the_last_change_is_the_latest_whereabouts_entry(client, world):
    member = world["a"].members.get(real_name="王东莞")
    WhereaboutsEntry.objects.filter(member=member).update(
        recorded_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    )
    member.current_city = "惠州"
    member.save()
    services.whereabouts_record_change(
        member=member,
        previous={"current_city": "东莞"},
        by=world["organiser_a"],
        source="organiser",
    )
    WhereaboutsEntry.objects.filter(member=member, current_city="惠州").update(
        recorded_at=datetime.datetime(2026, 11, 2, 20, tzinfo=datetime.UTC)
    )
    client.force_login(world["organiser_a"])
    _heading, rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    (row,) = [row for row in rows if row[1] == "王东莞"]
    # 20:00 UTC is the next morning in Shanghai.
    assert row[0] == "惠州" and str(row[8]).startswith("2026-11-03")


def test_the_ledger_costs_the_same_queries_for_5_or_30_members(
    client, django_assert_max_num_queries
):
    branch = factories.branch()
    organiser = factories.organiser(branch)
    client.force_login(organiser)
    cities = ["深圳", "东莞", "广州", "苏州", ""]

    def fill(count):
        for n in range(count):
            moved(branch, f"成员{n}", cities[n % len(cities)])

    fill(5)
    client.get(URL)  # warm the menu and the session
    counts = {}
    for params in ({}, {"export": "xlsx"}):
        with CaptureQueriesContext(connection) as small:
            response = client.get(URL, params)
            if params:
                b"".join(response.streaming_content)
        counts[str(params)] = len(small)
    fill(25)
    for params in ({}, {"export": "xlsx"}):
        with django_assert_max_num_queries(counts[str(params)]):
            response = client.get(URL, params)
            if params:
                _heading, rows = xlsx_rows(response)
                assert len(rows) == 30
            else:
                assert response.content.decode().count("data-city-group=") == 5
