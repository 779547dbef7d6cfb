"""Issue 5's walk on a phone: the study contact logs in, sees the red-flagged
member first, records 30 minutes of home-delivered study, and the member's
minutes rise on the dashboard and on the member's own /me/study/."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll
from tests.courses import factories as f
from tests.courses import pairing_factories as pf
from tests.members import factories as people


def log_in(page, live_server, path, email):
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("手机号码或电子邮件地址").fill(email)
    page.get_by_label("密码").fill(people.PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}{path}")


def serious_axe_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['html'][:80] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.django_db(transaction=True)
def test_contact_records_home_delivered_study_on_a_phone(
    live_server, browser, phone_page, screenshot
):
    branch = f.branch(name="深圳宝安流动党员党支部")
    contact = f.member(
        branch,
        name="王志强",
        user=people.user(email="contact@example.org", username="wzq"),
    )
    red = f.member(
        branch, name="张红", user=people.user(email="zhang@example.org", username="zh")
    )
    amber = f.member(branch, name="李黄")
    fine = f.member(branch, name="赵绿")
    pf.pair(contact, red)  # never studied: red
    pf.contacted(pf.pair(contact, amber), ago=40)
    pf.studied(amber, ago=1)
    pf.contacted(pf.pair(contact, fine), ago=3)
    pf.studied(fine, ago=2)

    page = phone_page
    log_in(page, live_server, "/contact/", "contact@example.org")
    expect(page.get_by_role("heading", name="我的帮学对象", level=1)).to_be_visible()
    cards = page.locator(".contact-card")
    expect(cards).to_have_count(3)
    first = cards.first
    expect(first.get_by_role("heading", name="张红")).to_be_visible()
    expect(first.get_by_text("红色预警")).to_be_visible()
    expect(first).to_have_attribute("data-flag", "red")
    expect(cards.nth(1).get_by_text("黄色提醒")).to_be_visible()
    expect(first.locator("[data-month-minutes]")).to_have_text("0")
    assert_no_horizontal_scroll(page)
    assert serious_axe_violations(page) == []
    screenshot(page, "contact-1-dashboard")

    first.get_by_role("link", name="送学上门").click()
    expect(page.get_by_role("heading", name="为张红送学上门")).to_be_visible()
    page.get_by_label("学习分钟数").fill("30")
    page.get_by_label("备注").fill("在张红家里一起学习了党章总纲。")
    assert_no_horizontal_scroll(page)
    assert serious_axe_violations(page) == []
    screenshot(page, "contact-2-home-study-form")
    page.get_by_role("button", name="记入学习时长").click()

    expect(page).to_have_url(f"{live_server.url}/contact/")
    expect(page.get_by_text("已为张红记入送学上门学习 30 分钟。")).to_be_visible()
    card = page.locator(f'.contact-card[data-member="{red.pk}"]')
    expect(card.locator("[data-month-minutes]")).to_have_text("30")
    expect(card.get_by_text("正常")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "contact-3-dashboard-after")

    member_context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, locale="zh-CN"
    )
    member_page = member_context.new_page()
    member_page.set_default_timeout(10_000)
    log_in(member_page, live_server, "/me/study/", "zhang@example.org")
    expect(member_page.locator("[data-total=month]")).to_have_text("30")
    history = member_page.locator(".study-history")
    expect(history.get_by_text("送学上门").first).to_be_visible()
    expect(member_page.get_by_text("您的帮学联系人是王志强")).to_be_visible()
    assert_no_horizontal_scroll(member_page)
    screenshot(member_page, "contact-4-member-study")
    member_context.close()


@pytest.mark.django_db(transaction=True)
def test_contact_rejects_a_declaration_on_a_phone_without_sideways_scroll(
    live_server, phone_page
):
    from courses import services as study_services

    branch = f.branch(name="深圳宝安流动党员党支部")
    contact = f.member(
        branch,
        name="王志强",
        user=people.user(email="contact@example.org", username="wzq"),
    )
    member = f.member(branch, name="张红")
    pf.pair(contact, member)
    study_services.study_record_declare(
        member=member,
        date=pf.days_ago(1),
        minutes=20,
        mode="gap_time",
        topic="午休学党史",
        note="午休时间学习党史，很有收获，准备继续坚持。",
    )

    page = phone_page
    log_in(page, live_server, f"/contact/members/{member.pk}/", "contact@example.org")
    # The history table scrolls sideways on a phone: reachable by keyboard.
    assert serious_axe_violations(page) == []
    page.get_by_text("退回", exact=True).first.click()
    reason = page.get_by_label("给党员的说明")
    expect(reason).to_be_visible()
    assert_no_horizontal_scroll(page)
    reason.fill("时长与打卡记录不符，请补充说明。")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回 张红 的申报")).to_be_visible()
