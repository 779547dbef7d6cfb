"""The organisers' dues pages: recording a payment, and the year's ledger."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from dues.admin_views import DuesLedgerView
from dues.models import DuesPayment
from tests.members import factories

from . import factories as df

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def branch():
    return factories.branch(name="甲党支部")


@pytest.fixture
def organiser(branch):
    return factories.organiser(branch)


@pytest.fixture
def member(branch, organiser):
    member = factories.member(branch, real_name="张交费")
    df.rate(member, "20.00", JAN, by=organiser)
    return member


def post_payment(client, member, **data):
    form = {
        "member": member.pk,
        "paid_on": "2026-01-05",
        "first_month": "2026-01",
        "months": "1",
        "amount": "20.00",
        "method": "in_person",
        "paid_by": "",
        "note": "",
        **data,
    }
    return client.post(reverse("dues_payments:add"), form)


def test_an_organiser_records_a_whole_year_at_once(client, organiser, member):
    client.force_login(organiser)
    response = post_payment(client, member, whole_year="on", amount="240.00")
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert payment.whole_year and payment.months == 12


@pytest.mark.parametrize(
    "address", ["/admin/dues/payments/add/", "/admin/dues/amounts/add/"]
)
def test_the_add_address_leads_to_the_form(client, organiser, member, address):
    client.force_login(organiser)
    response = client.get(f"{address}?member={member.pk}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/new/?member={member.pk}")
    assert b'name="member"' in response.content


def test_a_refused_payment_shows_why_and_keeps_what_was_typed(
    client, organiser, member
):
    client.force_login(organiser)
    df.pay(member, JAN, 1, "20.00", organiser)
    response = post_payment(client, member, amount="20.00", note="第二次")
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026年1月已交" in text
    assert "第二次" in text
    response = post_payment(client, member, first_month="2026-02", amount="-5")
    assert "金额必须大于 0 元" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_a_member_of_another_branch_cannot_be_chosen(client, organiser):
    other = factories.member(factories.branch(), real_name="乙党员")
    df.rate(other, "20.00", JAN)
    client.force_login(organiser)
    response = post_payment(client, other)
    assert response.status_code == 200
    assert "请选择您所管理支部的已确认党员" in response.content.decode()
    assert not DuesPayment.objects.exists()


def ledger(client, **params):
    return client.get(reverse("dues_ledger:index"), {"year": "2026", **params})


def test_the_ledger_shows_each_month_totals_and_the_unpaid(client, organiser, member):
    late = factories.member(member.branch, real_name="李欠费")
    df.rate(late, "10.00", JAN, by=organiser)
    df.pay(member, JAN, 12, "240.00", organiser, whole_year=True)
    client.force_login(organiser)
    response = ledger(client)
    text = response.content.decode()
    assert "张交费" in text and "李欠费" in text
    assert "1 名党员欠交" in text
    owing = ledger(client, owing="owing").content.decode()
    assert "李欠费" in owing and "张交费" not in owing


def test_the_ledger_export_has_the_same_figures(client, organiser, member):
    df.pay(member, JAN, 12, "240.00", organiser, whole_year=True)
    client.force_login(organiser)
    response = ledger(client, export="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "党支部", "1月")
    row = rows[1]
    assert row[0] == "张交费"
    assert set(row[2:14]) == {"已交"}
    assert row[15] == 240


def page_grid(response) -> list[list[str]]:
    table = BeautifulSoup(response.content, "html.parser").find(
        "table", attrs={"data-dues-ledger": True}
    )
    return [
        [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in table.find_all("tr")
    ]


def xlsx_grid(response) -> list[list[str]]:
    """The sheet's cells as the page writes them: amounts with two decimals
    (their number format), counts as whole numbers."""
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    grid = []
    for row in book.active.iter_rows():
        texts = []
        for cell in row:
            if cell.value is None:
                texts.append("")
            elif cell.data_type == "n" and cell.number_format == "0.00":
                texts.append(f"{Decimal(str(cell.value)):.2f}")
            else:
                texts.append(str(cell.value))
        grid.append(texts)
    return grid


def test_the_ledger_page_and_its_export_agree_cell_by_cell(
    client, organiser, branch, member, monkeypatch
):
    """Same members, same months, same totals: paid, owed, excused, not yet
    due, an amount changed in the year and a member with no amount."""
    df.pay(member, JAN, 3, "60.00", organiser)
    changed = factories.member(branch, real_name="王调整")
    df.rate(changed, "10.00", JAN, by=organiser)
    df.rate(changed, "35.50", datetime.date(2026, 7, 1), by=organiser)
    df.pay(changed, datetime.date(2026, 6, 1), 2, "45.50", organiser)
    excused = factories.member(branch, real_name="赵免交")
    df.rate(excused, "0.00", JAN, by=organiser)
    factories.member(branch, real_name="钱未定")
    client.force_login(organiser)
    september = datetime.date(2026, 9, 15)
    monkeypatch.setattr(DuesLedgerView, "today", property(lambda view: september))
    page = page_grid(ledger(client))
    sheet = xlsx_grid(ledger(client, export="xlsx"))
    assert page == sheet
    assert len(page) == 5
    by_name = {row[0]: row for row in page[1:]}
    assert by_name["王调整"][2:] == [
        *["欠交"] * 5,
        "已交",
        "已交",
        "欠交",
        "欠交",
        "",
        "",
        "",
        "166.50",
        "45.50",
        "121.00",
        "7",
    ]
    assert by_name["赵免交"][2:11] == ["免交"] * 9
    assert by_name["钱未定"][2:] == [""] * 12 + ["0.00", "0.00", "0.00", "0"]


def test_a_name_typed_as_a_formula_stays_text_in_the_export(client, organiser, branch):
    factories.member(branch, real_name="=1+1")
    client.force_login(organiser)
    response = ledger(client, export="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = book.active["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_the_ledger_costs_the_same_queries_for_5_or_40_members(
    client, organiser, branch, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            m = factories.member(branch)
            df.rate(m, "20.00", JAN, by=organiser)
            df.pay(m, JAN, 3, "60.00", organiser)

    client.force_login(organiser)
    fill(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert ledger(client).status_code == 200
    fill(35)
    with django_assert_max_num_queries(len(small)):
        assert ledger(client).status_code == 200
    with CaptureQueriesContext(connection) as small_export:
        ledger(client, export="xlsx")
    fill(5)
    with django_assert_max_num_queries(len(small_export)):
        ledger(client, export="xlsx")


def test_members_see_only_their_own_dues(client, organiser, member):
    df.pay(member, JAN, 2, "40.00", organiser)
    other = factories.member(member.branch, real_name="别人")
    df.rate(other, "50.00", JAN, by=organiser)
    client.force_login(member.user)
    text = client.get("/me/dues/?year=2026").content.decode()
    assert "张交费" in text and "别人" not in text and "50.00" not in text
    assert client.get(reverse("dues_ledger:index")).status_code in (302, 403, 404)
    assert client.get(reverse("dues_payments:index")).status_code in (302, 403, 404)


def test_the_member_page_shows_months_paid_and_owed(client, organiser, member):
    df.pay(member, JAN, 2, "40.00", organiser)
    client.force_login(member.user)
    response = client.get("/me/dues/?year=2026")
    text = response.content.decode()
    assert 'data-month="1" data-state="paid"' in text
    assert 'data-month="3" data-state="owed"' in text


def test_the_data_export_has_the_members_dues(client, organiser, member):
    df.pay(member, JAN, 2, "40.00", organiser)
    client.force_login(member.user)
    data = client.get("/me/data.json").json()
    dues = data["party_dues"]
    assert dues["payments"][0]["months"] == ["2026-01", "2026-02"]
    assert dues["monthly_amounts"][0]["monthly_amount"] == "20.00"
