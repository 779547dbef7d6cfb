"""The mailbox on a phone: a follow-up sent from an out-of-date tab is not lost,
and a long paste is counted, never cut."""

import pytest
from playwright.sync_api import expect

from home.mailbox import services
from home.mailbox.models import MailboxItem, MailboxMessage
from tests.browser.pages import logged_in_page
from tests.members import factories as people


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_follow_up_from_another_tab_keeps_its_text(live_server, browser):
    branch = people.branch(name="城东党支部")
    member = people.member(branch, real_name="李卫东").user
    organiser = people.organiser(branch)
    item = services.mailbox_item_create(
        member=member, category="dues", text="党费怎么交？"
    )
    services.mailbox_item_answer(item=item, by=organiser, text="请联系支部书记。")
    url = f"{live_server.url}/me/mailbox/{item.pk}/"

    first = logged_in_page(browser, live_server, member, phone=True)
    second = first.context.new_page()
    first.goto(url)
    second.goto(url)

    first.get_by_label("您的追问").fill("书记的电话是多少？")
    first.get_by_role("button", name="发送追问").click()
    expect(first.get_by_text("追问已发送")).to_be_visible()

    second.get_by_label("您的追问").fill("另外，补交党费要写说明吗？")
    second.get_by_role("button", name="发送追问").click()

    expect(second.get_by_role("alert")).to_contain_text("您已经对这条答复追问过一次")
    box = second.get_by_label("您的追问")
    expect(box).to_have_value("另外，补交党费要写说明吗？")
    assert MailboxMessage.objects.filter(from_member=True).count() == 1

    # The text goes on to a new question, with nothing to type again.
    second.get_by_role("button", name="作为新的留言发送").click()
    expect(second.get_by_label("您的问题或建议")).to_have_value(
        "另外，补交党费要写说明吗？"
    )
    second.get_by_label("类别").select_option(label="党费缴纳")
    second.get_by_role("button", name="发送", exact=True).click()
    expect(second.get_by_text("您的留言已收到")).to_be_visible()
    assert MailboxItem.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_paste_in_the_mailbox_is_counted_and_kept(live_server, browser):
    member = people.member(real_name="李卫东").user
    m = logged_in_page(browser, live_server, member, phone=True)
    m.goto(f"{live_server.url}/mailbox/")
    m.get_by_label("类别").select_option(label="党费缴纳")
    box = m.get_by_label("您的问题或建议")

    pasted = "问" * 2_010
    box.fill(pasted)
    assert len(box.input_value()) == 2_010
    expect(m.locator("#id_text_count")).to_have_text(
        "超出 10 字，请删减后再提交（您的文字一字未删）。"
    )
    m.get_by_role("button", name="发送", exact=True).click()

    expect(m.get_by_text("这段文字有 2010 字，超过了 2000 字的上限")).to_be_visible()
    assert m.get_by_label("您的问题或建议").input_value() == pasted
    assert not MailboxItem.objects.exists()

    box.fill("问" * 1_990)
    expect(m.locator("#id_text_count")).to_have_text("已输入 1990 / 2000 字")
    m.get_by_role("button", name="发送", exact=True).click()
    expect(m.get_by_text("您的留言已收到")).to_be_visible()
