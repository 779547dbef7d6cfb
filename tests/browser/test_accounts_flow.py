"""Issue 3's end-to-end walk: a newcomer signs up on a phone, verifies the
e-mail from the link in the sent mail, completes the profile and consents,
sees 待确认; the branch organiser confirms in the Wagtail admin; the member
now sees 已确认."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll
from tests.members import factories


@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_complete_profile_and_get_confirmed(
    live_server, phone_page, page, screenshot, settings
):
    # The live server runs in this process: its mail lands in mail.outbox.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    branch = factories.branch(name="深圳宝安流动党员党支部", code="SZBA")
    factories.branch(name="东莞长安流动党员党支部", code="DGCA")
    organiser = factories.organiser(branch, email="organiser@example.com")
    member = phone_page

    # Sign up from the header.
    member.goto(live_server.url)
    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="注册"
    ).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("注册")
    member.get_by_label("电子邮件", exact=True).fill("newcomer@example.com")
    member.get_by_label("密码", exact=True).fill("Liudong-2026!")
    member.get_by_label("密码（重复）").fill("Liudong-2026!")
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-1-signup")
    member.get_by_role("main").get_by_role("button", name="注册").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("验证")
    screenshot(member, "accounts-2-verification-sent")

    # Verify with the link from the e-mail.
    message = next(m for m in mail.outbox if m.to == ["newcomer@example.com"])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    member.goto(live_server.url + link[link.index("/accounts/") :])
    member.get_by_role("main").get_by_role("button", name="确认").click()

    # Logged in by the verification, sent to complete the profile first.
    expect(member).to_have_url(f"{live_server.url}/me/profile/complete/")
    expect(member.get_by_role("heading", level=1)).to_have_text("完善党员资料")
    member.get_by_label("真实姓名").fill("刘晓东")
    member.get_by_label("党支部").select_option(label="深圳宝安流动党员党支部")
    member.get_by_label("手机号码").fill("138 0013 8000")
    member.get_by_label("外出原因").select_option(label="务工")
    member.get_by_label("现居城市").fill("深圳")
    member.get_by_label("工作单位或职业").fill("电子厂装配工")
    member.get_by_label("流动党员活动证编号").fill("SZBA-2026-007")
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-3-profile")
    member.get_by_role("button", name="下一步").click()

    # Consent: a separate step with its own page.
    expect(member.get_by_role("heading", level=1)).to_have_text("个人信息处理同意书")
    member.get_by_role("button", name="同意并提交").click()
    expect(member.locator(".field--error")).to_contain_text("请勾选表示同意")
    member.get_by_role("checkbox").check()
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-4-consent")
    member.get_by_role("button", name="同意并提交").click()

    expect(member).to_have_url(f"{live_server.url}/me/profile/")
    status = member.locator(".profile-status__label")
    expect(status).to_have_text("待确认")
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-5-pending")

    # The organiser logs in through allauth and confirms in the Wagtail admin.
    admin = page
    admin.goto(live_server.url + "/admin/")
    expect(admin).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    admin.get_by_label("电子邮件").fill(organiser.email)
    admin.get_by_label("密码").fill(factories.PASSWORD)
    admin.get_by_role("main").get_by_role("button", name="登录").click()
    expect(admin).to_have_url(f"{live_server.url}/admin/")
    expect(admin.get_by_text("有 1 名党员等待确认。")).to_be_visible()
    admin.get_by_role("link", name="查看待确认名单").click()
    admin.get_by_role("link", name="刘晓东").click()
    expect(admin.get_by_text("SZBA-2026-007")).to_be_visible()
    screenshot(admin, "accounts-6-admin-inspect")
    admin.get_by_role("button", name="确认", exact=True).click()
    expect(
        admin.get_by_text("已确认 刘晓东 为深圳宝安流动党员党支部党员。")
    ).to_be_visible()
    screenshot(admin, "accounts-7-admin-confirmed")

    # The member is told by e-mail and sees it on their page.
    assert any(
        m.to == ["newcomer@example.com"] and "已确认" in m.subject for m in mail.outbox
    )
    member.reload()
    expect(status).to_have_text("已确认")
    screenshot(member, "accounts-8-confirmed")
