"""Issue 17, points 9, 10 and 12 in a browser: a superuser makes someone a
branch organiser and edits the branch without losing its organisers; an
organiser opens a pairing from its row and ends it; a contact's log form
and the member history fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Pairing
from tests.browser.pages import assert_no_horizontal_scroll, logged_in_page
from tests.courses import factories as f
from tests.courses import pairing_factories as pf
from tests.members import factories as people


@pytest.mark.django_db(transaction=True)
def test_superuser_picks_an_organiser_and_an_unrelated_edit_keeps_them(
    live_server, browser
):
    branch = people.branch(name="东莞长安流动党员党支部", code="DGCA")
    kept = people.organiser(branch, email="kept@example.com")
    newcomer = people.member(
        branch, real_name="周新人", user_=people.user(email="zhou@example.com")
    )
    for n in range(30):
        people.user(email=f"someone{n}@example.com")
    page = logged_in_page(browser, live_server, people.superuser())
    edit_url = f"{live_server.url}/admin/members/branches/edit/{branch.pk}/"

    page.goto(edit_url)
    field = page.locator("#id_organisers")
    expect(
        field.get_by_role("checkbox", name=re.compile("kept@example.com"))
    ).to_be_checked()
    page.get_by_role("searchbox", name="按姓名或电子邮件地址查找账户").fill("周新")
    expect(field.get_by_role("checkbox", name=re.compile("someone1@"))).to_be_hidden()
    field.get_by_role("checkbox", name=re.compile("周新人")).check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages .success")).to_be_visible()

    page.goto(edit_url)
    page.get_by_role("textbox", name="所在地").fill("东莞长安镇")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages .success")).to_be_visible()

    branch.refresh_from_db()
    assert branch.location == "东莞长安镇"
    assert set(branch.organisers.all()) == {kept, newcomer.user}
    assert newcomer.user.groups.filter(name="支部管理员").exists()


@pytest.mark.django_db(transaction=True)
def test_organiser_opens_a_pairing_from_its_row_and_ends_it(live_server, browser):
    branch = f.branch(name="城东党支部")
    organiser = f.organiser(branch)
    contact = f.member(branch, name="王联系")
    pairing = pf.pair(contact, f.member(branch, name="张一"), started_days_ago=20)
    log = pf.contacted(pairing, note="电话联系了张一")
    page = logged_in_page(browser, live_server, organiser)

    page.goto(f"{live_server.url}/admin/pairings/")
    started = pairing.started_on
    expect(
        page.get_by_role(
            "cell", name=f"{started.year}年{started.month}月{started.day}日"
        )
    ).to_be_visible()
    page.get_by_role("link", name="张一").click()
    expect(page).to_have_url(re.compile(rf"/admin/pairings/inspect/{pairing.pk}/$"))
    page.get_by_role("link", name="结束结对").click()
    expect(page).to_have_url(re.compile(rf"/admin/pairings/edit/{pairing.pk}/$"))
    page.get_by_role("button", name="结束结对").click()
    expect(page.get_by_text("张一与王联系的结对已结束")).to_be_visible()
    assert Pairing.objects.get(pk=pairing.pk).ended_on is not None

    page.goto(f"{live_server.url}/admin/pairings/logs/")
    page.get_by_role("link", name=log.get_kind_display()).click()
    expect(page).to_have_url(re.compile(rf"/admin/pairings/logs/inspect/{log.pk}/$"))
    expect(page.get_by_text("电话联系了张一")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_contact_log_form_shows_home_study_fields_only_for_home_delivery(
    live_server, browser
):
    branch = f.branch(name="城东党支部")
    contact = f.member(branch, name="王联系")
    member = f.member(branch, name="张一")
    pf.pair(contact, member)
    pf.studied(member, ago=1)
    page = logged_in_page(browser, live_server, contact.user, phone=True)

    page.goto(f"{live_server.url}/contact/members/{member.pk}/log/")
    minutes = page.get_by_label("学习分钟数")
    kind = page.get_by_label("联系类型")
    kind.select_option("guidance")
    expect(minutes).to_be_hidden()
    kind.select_option("home_delivered")
    expect(minutes).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server.url}/contact/members/{member.pk}/")
    history = page.locator(".study-history")
    for label in ("学习方式", "状态"):
        cell = history.locator(f'td[data-label="{label}"]').first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 360, label
    assert_no_horizontal_scroll(page)
