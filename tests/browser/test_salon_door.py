"""Issue 17, point 15: at the door on the salon's day an organiser checks a
member in on a phone and undoes a mistaken 签到; a check-in on another day is
refused with a clear message."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import StudyRecord
from salon import services
from tests.browser.pages import assert_no_horizontal_scroll, logged_in_page
from tests.salon import factories as f


@pytest.mark.django_db(transaction=True)
def test_check_in_at_the_door_on_the_day_its_undo_and_another_day_refused(
    live_server, browser, screenshot
):
    today = f.salon(title="今天的红色沙龙")
    member = f.member("王芳", today.branch, mobile="13722223333")
    registration = f.services_sign_up(today, member)
    f.doors_open(today)
    organiser = f.organiser(today.branch)
    later = f.salon(title="三天后的红色沙龙")
    later.branch.organisers.add(organiser)
    early = f.services_sign_up(later, f.member("李强", later.branch))

    o = logged_in_page(browser, live_server, organiser, phone=True)
    o.goto(f"{live_server.url}/salons/{today.pk}/check-in/")
    o.get_by_role("searchbox", name="姓名或手机号").fill("王芳")
    o.get_by_role("button", name="查找").click()
    o.get_by_role("button", name="为 王芳 签到").click()
    expect(o.get_by_text("王芳 签到成功。")).to_be_visible()
    row = o.locator(".check-in-row").filter(has_text="王芳")
    expect(row).to_contain_text("已于")
    assert_no_horizontal_scroll(o)
    screenshot(o, "salon-door-1-checked-in")
    assert StudyRecord.objects.filter(member=member, mode="salon").count() == 1

    # Tapped by mistake: undone, and the study hours go with it.
    row.get_by_role("button", name="撤销 王芳 的签到").click()
    expect(o.get_by_text("已撤销 王芳 的签到。")).to_be_visible()
    expect(row.get_by_role("button", name="为 王芳 签到")).to_be_visible()
    assert_no_horizontal_scroll(o)
    screenshot(o, "salon-door-2-undone")
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert not StudyRecord.objects.filter(member=member).exists()

    # The salon in three days: its code scanned today is refused, saying when.
    o.goto(f"{live_server.url}{services.check_in_url(early)}")
    day = timezone.localdate(later.starts_at)
    refusal = (
        f"本期沙龙在 {day.year}年{day.month}月{day.day}日 举行，只能在沙龙当天签到。"
    )
    expect(o.get_by_role("alert")).to_have_text(refusal)
    expect(o.get_by_role("button", name="签到")).to_have_count(0)
    assert_no_horizontal_scroll(o)
    screenshot(o, "salon-door-3-another-day")
    o.goto(f"{live_server.url}/salons/{later.pk}/check-in/")
    expect(o.get_by_text(refusal)).to_be_visible()
    expect(o.get_by_role("button", name="为 李强 签到")).to_have_count(0)
    early.refresh_from_db()
    assert early.checked_in_at is None
