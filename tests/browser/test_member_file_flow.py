"""Issue 13's Done-when in the browser: an organiser, in the Wagtail admin,
sets a member's monthly dues, records the whole year paid at once (年初一次交齐)
and a theme party day with three members present and one on leave; the member
logs in and sees the twelve months paid and the meeting on their own pages;
the dues ledger, the participation ledger and their xlsx downloads say the
same as the pages."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dues.models import DuesMonth, DuesPayment
from orglife.models import Attendance, Meeting
from tests.members import factories as people


def log_in(page, live_server, login, next_path):
    page.goto(f"{live_server.url}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("手机号码或电子邮件地址").fill(login)
    page.get_by_label("密码").fill(people.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}{next_path}")


def field_name(label):
    """A label exactly, with Wagtail's required mark if there is one."""
    return re.compile(rf"^{re.escape(label)}\*?$")


def field(scope, label):
    """The form control labelled `label` (Wagtail also labels its panels)."""
    controls = scope.locator("input:not([type=hidden]), select, textarea")
    return controls.and_(scope.get_by_label(field_name(label)))


def open_admin_menu(page, group, item):
    """Open `item` under the sidebar's `group`, as a person clicks through."""
    page.get_by_role("navigation", name="主菜单").get_by_role(
        "button", name=group
    ).click()
    page.get_by_role("navigation", name="主菜单").get_by_role(
        "link", name=item, exact=True
    ).click()


def download_rows(page, link_name):
    # Wagtail keeps the downloads in the header's actions menu.
    page.get_by_role("button", name="动作", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = Path(download.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], {row[0]: row for row in rows[1:]}


def page_rows(page, count):
    """The listing's header texts and each row's cell texts, by first cell."""
    table = page.locator("table.listing")
    expect(table.locator("tbody tr")).to_have_count(count)
    header = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    rows = {}
    for row in table.locator("tbody tr").all():
        cells = [t.strip() for t in row.locator("th, td").all_inner_texts()]
        rows[cells[0]] = cells
    return header, rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_organiser_records_a_years_dues_and_a_meeting_and_all_pages_agree(
    live_server, browser, screenshot
):
    branch = people.branch(name="深圳宝安流动党员党支部")
    other = people.branch(name="东莞长安流动党员党支部")
    organiser = people.organiser(branch, email="organiser@example.org")
    zhang = people.member(
        branch,
        real_name="张伟",
        user_=people.user(email="zhangwei@example.org"),
    )
    present = [people.member(branch, real_name=name) for name in ("李明", "王芳")]
    people.member(branch, real_name="刘洋")
    people.member(other, real_name="外支部党员")
    today = timezone.localdate()
    year = today.year

    admin = browser.new_context(locale="zh-CN").new_page()
    admin.set_default_timeout(15_000)
    log_in(admin, live_server, organiser.email, "/admin/")
    form = admin.get_by_role("main")

    # The monthly amount first: a payment must match the months' dues.
    open_admin_menu(admin, "党费缴纳", "党费标准")
    admin.get_by_role("link", name="添加").first.click()
    field(form, "党员").select_option(label="张伟（深圳宝安流动党员党支部）")
    field(form, "每月党费（元）").fill("25.50")
    field(form, "起始月份").fill(f"{year}-01")
    admin.get_by_role("button", name="创建").click()
    expect(
        admin.get_by_text(f"张伟 自 {year}-01 起每月应交党费 25.50 元。")
    ).to_be_visible()

    # The whole year at once; a wrong total is refused and nothing is lost.
    open_admin_menu(admin, "党费缴纳", "党费交纳记录")
    admin.get_by_role("link", name="添加").first.click()
    expect(admin).to_have_url(f"{live_server.url}/admin/dues/payments/new/")
    member_field = field(form, "党员")
    expect(member_field.locator("option", has_text="外支部党员")).to_have_count(0)
    member_field.select_option(label="张伟（深圳宝安流动党员党支部）")
    field(form, "年初一次交齐").check()
    field(form, "起始月份").fill(f"{year}-01")
    field(form, "金额（元）").fill("300.00")
    field(form, "交纳方式").select_option(label="转账")
    field(form, "记录").fill("微信转账给支部")
    admin.get_by_role("button", name="创建").click()
    expect(
        admin.get_by_text(f"{year}年1—12月应交党费 306.00 元，填写的金额是 300.00 元。")
    ).to_be_visible()
    expect(field(form, "记录")).to_have_value("微信转账给支部")
    expect(field(form, "年初一次交齐")).to_be_checked()
    assert not DuesPayment.objects.exists()
    field(form, "金额（元）").fill("306.00")
    admin.get_by_role("button", name="创建").click()
    expect(
        admin.get_by_text(f"已记录 张伟 交纳的 {year}年1—12月 党费 306.00 元。")
    ).to_be_visible()
    screenshot(admin, "member-file-1-payments")
    assert DuesMonth.objects.filter(member=zhang).count() == 12

    # A theme party day, then who took part on its attendance sheet.
    open_admin_menu(admin, "组织生活", "会议记录")
    admin.get_by_role("link", name="添加").first.click()
    field(form, "党支部").select_option(label="深圳宝安流动党员党支部")
    field(form, "类型").select_option(label="主题党日")
    field(form, "日期").fill(f"{today:%Y-%m-%d}")
    field(form, "会议主题").fill("重温入党誓词")
    field(form, "地点").fill("宝安区西乡街道党群服务中心")
    field(form, "会议记录").fill("集体学习党章，重温入党誓词。")
    admin.get_by_role("button", name="创建").click()
    expect(admin.get_by_text("会议已保存，请登记参加情况。")).to_be_visible()
    meeting = Meeting.objects.get()
    expect(admin).to_have_url(
        f"{live_server.url}/admin/orglife/meetings/{meeting.pk}/attendance/"
    )
    lines = admin.locator("fieldset.attendance-line")
    expect(lines.filter(has_text="外支部党员")).to_have_count(0)
    for member in (zhang, *present):
        lines.filter(has_text=member.real_name).get_by_label("状态").select_option(
            label="出席"
        )
    liu_line = lines.filter(has_text="刘洋")
    liu_line.get_by_label("状态").select_option(label="请假")
    admin.get_by_role("button", name="保存参加情况").click()
    expect(liu_line).to_contain_text("请填写请假原因。")
    expect(lines.filter(has_text="李明").get_by_label("状态")).to_have_value("present")
    assert not Attendance.objects.exists()
    liu_line.get_by_label("请假原因").fill("在外地工地值班")
    admin.get_by_role("button", name="保存参加情况").click()
    expect(admin.get_by_text("参加情况已保存")).to_be_visible()
    expect(admin.get_by_role("row", name=re.compile("重温入党誓词"))).to_contain_text(
        "出席 3 人，请假 1 人"
    )
    screenshot(admin, "member-file-2-meetings")

    # The member logs in and sees both on their own pages.
    member = browser.new_context(locale="zh-CN").new_page()
    member.set_default_timeout(15_000)
    log_in(member, live_server, "zhangwei@example.org", "/me/profile/")
    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="我的党费"
    ).click()
    expect(member).to_have_url(f"{live_server.url}/me/dues/")
    months = member.locator("li.dues-month")
    expect(months).to_have_count(12)
    expect(months.filter(has_text="已交")).to_have_count(12)
    expect(member.locator("[data-dues-paid-months]")).to_have_text("12")
    expect(member.locator("[data-dues-paid]")).to_have_text("306.00")
    expect(member.locator("[data-dues-owed]")).to_have_text("0.00")
    expect(member.locator(".dues-payment")).to_contain_text("年初一次交齐")
    screenshot(member, "member-file-3-my-dues")
    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="组织生活"
    ).click()
    expect(member).to_have_url(f"{live_server.url}/me/meetings/")
    theme_day = member.locator("li.meeting", has_text="重温入党誓词")
    expect(theme_day).to_contain_text("主题党日")
    expect(theme_day).to_contain_text("出席")
    expect(member.locator("[data-meetings-present]")).to_have_text("1")
    expect(member.locator("li.meeting")).to_have_count(1)
    screenshot(member, "member-file-4-my-meetings")

    # The dues ledger and its download say what the member's page says.
    open_admin_menu(admin, "党费缴纳", "党费台账")
    expect(admin).to_have_url(re.compile(r"/admin/dues/ledger/"))
    header, rows = page_rows(admin, 4)
    assert set(rows) == {"张伟", "李明", "王芳", "刘洋"}
    zhang_row = rows["张伟"]
    assert zhang_row[2:14] == ["已交"] * 12
    assert zhang_row[14:17] == ["306.00", "306.00", "0.00"]
    screenshot(admin, "member-file-5-dues-ledger")
    xlsx_header, xlsx_rows = download_rows(admin, "下载XLSX")
    assert list(xlsx_header[:16]) == header[:16]
    cells = xlsx_rows["张伟"]
    assert list(cells[:14]) == zhang_row[:14]
    assert [float(v) for v in cells[14:17]] == [306.0, 306.0, 0.0]
    assert cells[17] == 0

    # The participation ledger and its download agree with the meeting.
    open_admin_menu(admin, "组织生活", "参加情况台账")
    expect(admin).to_have_url(re.compile(r"/admin/orglife/participation/"))
    header, rows = page_rows(admin, 4)
    assert rows["张伟"][2:5] == ["1", "1", "0"] and rows["张伟"][-1] == "100%"
    assert rows["刘洋"][2:5] == ["1", "0", "1"] and rows["刘洋"][-1] == "0%"
    screenshot(admin, "member-file-6-participation-ledger")
    xlsx_header, xlsx_rows = download_rows(admin, "下载XLSX")
    assert list(xlsx_header[:2]) == header[:2]
    for name in ("张伟", "李明", "王芳", "刘洋"):
        page_cells = rows[name]
        cells = xlsx_rows[name]
        assert list(cells[:2]) == page_cells[:2]
        assert [str(v) for v in cells[2:8]] == page_cells[2:8]
        assert f"{cells[8]}%" == page_cells[8]
    assert "外支部党员" not in xlsx_rows
