"""Issue 6's walk: two members take the last seat in turn, the second waits;
the first cancels, the second is promoted and e-mailed; an organiser checks
the second in on a phone; the member's study page shows the credited hours."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll, logged_in_page
from tests.salon import factories as f


@pytest.mark.django_db(transaction=True)
def test_last_seat_waiting_list_promotion_and_check_in_on_a_phone(
    live_server, browser, screenshot
):
    salon = f.salon(
        title="第三季度红色沙龙",
        capacity=2,
        starts_in=datetime.timedelta(hours=3),
        closes_before_start=datetime.timedelta(hours=1),
    )
    f.services_sign_up(salon, f.member("占座者"))
    first = f.member("王芳")
    second = f.member("李强", salon.branch, mobile="13711112222")
    organiser = f.organiser(salon.branch)
    salon_url = f"{live_server.url}{salon.url}"

    # The first member takes the last seat.
    a = logged_in_page(browser, live_server, first.user)
    a.goto(salon_url)
    expect(a.get_by_text("剩余名额 1 / 2")).to_be_visible()
    a.get_by_role("button", name="报名", exact=True).click()
    expect(a.get_by_text("报名成功，您的名额已确认。")).to_be_visible()
    expect(a.get_by_text("您的状态：已确认名额。")).to_be_visible()
    screenshot(a, "salon-1-first-confirmed")

    # The second lands on the waiting list.
    b = logged_in_page(browser, live_server, second.user, phone=True)
    b.goto(salon_url)
    expect(b.get_by_text("剩余名额 0 / 2")).to_be_visible()
    b.get_by_role("button", name="报名候补").click()
    expect(b.get_by_text("您的状态：候补第 1 位。")).to_be_visible()
    assert_no_horizontal_scroll(b)
    screenshot(b, "salon-2-second-waiting")

    # The first cancels from their salon page.
    a.goto(f"{live_server.url}/me/salons/")
    a.get_by_role("button", name="取消报名").click()
    expect(a.get_by_text("您的报名已取消。")).to_be_visible()

    # The second is confirmed, was told by e-mail, and has a check-in code.
    assert [m.to for m in mail.outbox] == [[second.user.email]]
    assert "候补" in mail.outbox[0].subject
    b.goto(f"{live_server.url}/me/salons/")
    expect(b.get_by_text("已确认名额")).to_be_visible()
    code = b.locator("figure.salon-qr")
    expect(code.locator("svg")).to_be_visible()
    assert_no_horizontal_scroll(b)
    screenshot(b, "salon-3-second-promoted-qr")
    check_in_link = code.get_attribute("data-check-in-url")

    # The salon's day: the organiser, on a phone, opens the scanned link and
    # taps once.
    f.doors_open(salon)
    o = logged_in_page(browser, live_server, organiser, phone=True)
    o.goto(check_in_link)
    expect(o.get_by_text("李强")).to_be_visible()
    assert_no_horizontal_scroll(o)
    screenshot(o, "salon-4-organiser-scanned")
    o.get_by_role("button", name="签到").click()
    expect(o.get_by_text("李强 签到成功。")).to_be_visible()
    # The check-in list finds him by phone, already checked in.
    o.get_by_role("searchbox", name="姓名或手机号").fill("1111")
    o.get_by_role("button", name="查找").click()
    expect(o.locator(".check-in-row").filter(has_text="李强")).to_contain_text("已于")
    assert_no_horizontal_scroll(o)
    screenshot(o, "salon-5-organiser-check-in-list")
    # Using the same link again is refused.
    o.goto(check_in_link)
    expect(o.get_by_role("button", name="签到")).to_have_count(0)

    # The member's study page shows the salon's credited hours.
    b.goto(f"{live_server.url}/me/study/")
    row = b.locator(".study-history__row").filter(has_text="红色沙龙")
    expect(row).to_contain_text(str(salon.study_minutes))
    expect(row).to_contain_text(salon.theme)
    screenshot(b, "salon-6-study-credited")
