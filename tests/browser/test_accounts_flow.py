"""The newcomer's walk on a 360 px phone (issues 3 and 11): sign up with a
mobile number, read the code from the console SMS (as in `make run`'s log),
verify, complete the profile and consent, see 待确认; log out and log in
again by an SMS code; the branch organiser confirms in the Wagtail admin; the
member now sees 已确认 and has the notice under 我的消息."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll
from tests.members import factories


def sms_code(capsys, phone="+8613800138000"):
    """The last code the console SMS backend printed for `phone`."""
    out = capsys.readouterr().out
    codes = re.findall(rf"SMS to {re.escape(phone)}: .*?验证码是(\d{{6}})", out)
    assert codes, out
    return codes[-1]


@pytest.mark.django_db(transaction=True)
def test_sign_up_by_phone_verify_complete_profile_log_in_by_code_get_confirmed(
    live_server, phone_page, page, screenshot, settings, capsys
):
    # The live server runs in this process: its SMS print to this stdout.
    settings.SMS_BACKEND = "school.sms.ConsoleBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    branch = factories.branch(name="深圳宝安流动党员党支部", code="SZBA")
    factories.branch(name="东莞长安流动党员党支部", code="DGCA")
    organiser = factories.organiser(branch, email="organiser@example.com")
    member = phone_page

    # Sign up from the header, with a mobile number and no e-mail.
    member.goto(live_server.url)
    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="注册"
    ).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("注册")
    member.get_by_label("手机号码").fill("0755-2345678")
    member.get_by_label("密码", exact=True).fill("Liudong-2026!")
    member.get_by_label("密码（重复）").fill("Liudong-2026!")
    member.get_by_role("main").get_by_role("button", name="注册").click()
    # A landline: said in Chinese, nothing typed lost.
    expect(member.get_by_text("这像是座机号码")).to_be_visible()
    expect(member.get_by_label("密码", exact=True)).to_have_value("Liudong-2026!")
    member.get_by_label("手机号码").fill("138 0013 8000")
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-1-signup")
    member.get_by_role("main").get_by_role("button", name="注册").click()

    # Verify the number with the code from the SMS.
    expect(member.get_by_role("heading", level=1)).to_contain_text("验证")
    screenshot(member, "accounts-2-verify-phone")
    member.get_by_label("验证码").fill(sms_code(capsys))
    member.get_by_role("main").get_by_role("button", name="确认").click()

    # Logged in by the verification, sent to complete the profile first.
    expect(member).to_have_url(f"{live_server.url}/me/profile/complete/")
    expect(member.get_by_role("heading", level=1)).to_have_text("完善党员资料")
    expect(member.get_by_label("手机号码")).to_have_value("13800138000")
    member.get_by_label("真实姓名").fill("刘晓东")
    member.get_by_label("党支部").select_option(label="深圳宝安流动党员党支部")
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

    # Log out, and back in with a code by SMS instead of the password.
    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="退出"
    ).click()
    member.get_by_role("main").get_by_role("button", name="退出").click()
    member.goto(live_server.url + "/accounts/login/")
    member.get_by_role("link", name="用短信验证码登录").click()
    member.get_by_label("手机号码").fill("13800138000")
    member.get_by_role("button", name="获取验证码").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("登录验证码")
    member.get_by_label("验证码").fill(sms_code(capsys))
    assert_no_horizontal_scroll(member)
    screenshot(member, "accounts-6-login-by-code")
    member.get_by_role("main").get_by_role("button", name="确认").click()
    expect(member).to_have_url(f"{live_server.url}/me/profile/")
    expect(status).to_have_text("待确认")

    # The organiser logs in through allauth and confirms in the Wagtail admin.
    admin = page
    admin.goto(live_server.url + "/admin/")
    expect(admin).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    admin.get_by_label("手机号码或电子邮件地址").fill(organiser.email)
    admin.get_by_label("密码").fill(factories.PASSWORD)
    admin.get_by_role("main").get_by_role("button", name="登录").click()
    expect(admin).to_have_url(f"{live_server.url}/admin/")
    expect(admin.get_by_text("有 1 名党员等待确认。")).to_be_visible()
    admin.get_by_role("link", name="查看待确认名单").click()
    admin.get_by_role("link", name="刘晓东").click()
    expect(admin.get_by_text("SZBA-2026-007")).to_be_visible()
    screenshot(admin, "accounts-7-admin-inspect")
    admin.get_by_role("button", name="确认", exact=True).click()
    expect(
        admin.get_by_text("已确认 刘晓东 为深圳宝安流动党员党支部党员。")
    ).to_be_visible()
    screenshot(admin, "accounts-8-admin-confirmed")

    # The member is told under 我的消息 (and by SMS) and sees it on their page.
    # No e-mail address, no e-mail: the only mail told the organiser.
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert "党支部已确认您的党员身份" in capsys.readouterr().out
    member.reload()
    expect(status).to_have_text("已确认")
    bell = member.get_by_role("link", name=re.compile("1 条未读"))
    bell.click()
    member.get_by_role("link", name=re.compile("党支部已确认您的党员身份")).click()
    expect(member).to_have_url(f"{live_server.url}/me/profile/")
    screenshot(member, "accounts-9-confirmed")
