"""Issue 13's care visits (三个必访) in the browser: a study contact marks two
paired members as not going home for the coming Spring Festival, records a
New Year visit to one of them from their phone (after being told that what
was done must be said), and the organiser's "not visited yet" list in the
admin shrinks from two members to one."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from care.models import CareVisit, NewYearStay
from care.spring_festival import coming_festival_year
from tests.browser.pages import assert_no_horizontal_scroll, logged_in_page
from tests.courses import pairing_factories as pf
from tests.members import factories as people


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_contact_records_a_new_year_visit_and_the_not_visited_list_shrinks(
    live_server, browser, screenshot
):
    branch = people.branch(name="深圳宝安流动党员党支部")
    organiser = people.organiser(branch)
    contact = people.member(branch, real_name="王志强", mobile="13800138010")
    zhang = people.member(branch, real_name="张红", current_city="深圳")
    li = people.member(branch, real_name="李明", current_city="东莞")
    pf.pair(contact, zhang)
    pf.pair(contact, li)
    today = timezone.localdate()
    year = coming_festival_year(today)

    phone = logged_in_page(browser, live_server, contact.user, phone=True)
    for member in (zhang, li):
        phone.goto(f"{live_server.url}/contact/members/{member.pk}/")
        phone.get_by_role("link", name="走访慰问").click()
        expect(
            phone.get_by_role("heading", name=f"{member.real_name}的走访慰问")
        ).to_be_visible()
        phone.get_by_role("button", name="登记为春节不返乡").click()
        expect(
            phone.get_by_text(f"已将{member.real_name}登记为{year}年春节不返乡。")
        ).to_be_visible()
    assert NewYearStay.objects.filter(festival_year=year).count() == 2

    admin = logged_in_page(browser, live_server, organiser)
    not_visited = f"{live_server.url}/admin/care/not-visited/?since={today:%Y-%m-%d}"
    admin.goto(not_visited)
    rows = admin.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张红")).to_contain_text("王志强（13800138010）")
    screenshot(admin, "care-1-not-visited-two")

    phone.goto(f"{live_server.url}/contact/members/{zhang.pk}/care/")
    phone.get_by_label("上门走访").check()
    phone.get_by_label("原因").select_option(label="春节不能返乡")
    phone.get_by_label("尚待解决的事").fill("除夕再打一次电话")
    phone.get_by_role("button", name="保存走访记录").click()
    expect(phone.get_by_text("请写明走访或电话中做了什么。")).to_be_visible()
    expect(phone.get_by_label("尚待解决的事")).to_have_value("除夕再打一次电话")
    assert not CareVisit.objects.exists()

    phone.get_by_label("做了什么").fill("送去春联和慰问品，约好除夕一起吃年夜饭。")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "care-2-contact-form")
    phone.get_by_role("button", name="保存走访记录").click()
    expect(
        phone.get_by_text(f"已记录{today:%Y-%m-%d}对张红的上门走访。")
    ).to_be_visible()
    expect(phone.locator("[data-care-visits]")).to_contain_text("送去春联和慰问品")
    screenshot(phone, "care-3-contact-visits")

    admin.goto(not_visited)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李明")
    expect(admin.get_by_text("张红")).to_have_count(0)
    screenshot(admin, "care-4-not-visited-one")
