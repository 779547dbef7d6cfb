"""Issue 7's second walk: a member writes to the mailbox on a Friday afternoon
and is told the answer is due on Tuesday; the branch organiser answers in the
Wagtail admin; the member reads the answer; the report counts it as on time."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from home.mailbox.models import MailboxItem
from tests.browser.pages import logged_in_page
from tests.members import factories as people

FRIDAY_AFTERNOON = datetime.datetime(
    2026, 3, 6, 15, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_friday_question_due_tuesday_answered_and_counted_on_time(
    live_server, browser, screenshot, settings
):
    # The server's mailbox clock (Playwright's clock only fakes the browser's).
    settings.SCHOOL_MAILBOX_NOW = FRIDAY_AFTERNOON
    branch = people.branch(name="城东党支部")
    member = people.member(branch, real_name="李卫东").user
    organiser = people.organiser(branch)

    m = logged_in_page(browser, live_server, member, phone=True)
    m.goto(live_server.url)
    m.get_by_role("link", name="电子信箱").click()
    m.get_by_label("类别").select_option(label="党费缴纳")
    m.get_by_label("您的问题或建议").fill("我在外地打工，党费可以在手机上交吗？")
    m.get_by_role("button", name="发送").click()
    expect(m.get_by_text("您的留言已收到，我们将在 2026-03-10")).to_be_visible()
    expect(m.locator(".deadline")).to_have_text("2026-03-10 星期二")
    screenshot(m, "mailbox-1-sent")

    # The organiser answers in the Wagtail admin.
    o = logged_in_page(browser, live_server, organiser)
    o.goto(f"{live_server.url}/admin/mailbox_queue/")
    o.get_by_role("link", name="我在外地打工，党费可以在手机上交吗？").click()
    o.get_by_label("答复").fill("可以。请在手机银行的“党费缴纳”中选择城东党支部。")
    o.get_by_role("button", name="发送答复").click()
    expect(o.get_by_text("答复已发送给党员。")).to_be_visible()
    screenshot(o, "mailbox-2-answered")

    # The member reads the answer.
    m.goto(f"{live_server.url}/me/mailbox/")
    expect(m.get_by_text("已答复")).to_be_visible()
    m.get_by_role("link", name="我在外地打工").click()
    expect(
        m.get_by_text("可以。请在手机银行的“党费缴纳”中选择城东党支部。")
    ).to_be_visible()
    screenshot(m, "mailbox-3-answer")
    assert MailboxItem.objects.get().answered_on_time is True

    # The report counts it as answered on time.
    o.goto(f"{live_server.url}/admin/mailbox_report/")
    row = o.get_by_role("row").filter(has_text="城东党支部")
    expect(row).to_contain_text("2026-03")
    expect(row).to_contain_text("100%")
    screenshot(o, "mailbox-4-report")
