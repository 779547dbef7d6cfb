"""Elderly mode (长辈模式) on a 360 px phone: 20 px text with line height of at
least 1.6, tap targets of 48 px, text contrast of at least 7:1 (WCAG AAA), no
sideways scroll; remembered on the device and for the account (issue 16,
point 4). Every figure is measured from the browser's computed styles."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE, logged_in_page
from tests.browser.reach import (
    MEMBER_EMAIL,
    demo_user,
    measure,
    seed_site,
    with_measure,
)

LESSON = "/courses/party-constitution-basics/duties-and-rights/"
IS_ELDERLY = "document.documentElement.classList.contains('elderly')"


def elderly_faults(page):
    found = measure(page, 48)
    faults = {}
    if not found["elderly"]:
        faults["elderly mode"] = "off"
    if found["width"] > found["viewport"]:
        faults["width"] = found["width"]
    if found["base"] < 20 or found["baseLine"] < 1.6:
        faults["base text"] = (found["base"], found["baseLine"])
    small_text = [t["text"] for t in found["texts"] if t["size"] < 20]
    tight = [t["text"] for t in found["texts"] if t["line"] < 1.6 - 0.005]
    low = [
        (t["text"], t["contrast"])
        for t in found["texts"]
        if t["contrast"] < 7 and not t["disabled"]
    ]
    for name, items in (
        ("text under 20 px", small_text),
        ("line height under 1.6", tight),
        ("contrast under 7:1", low),
        ("tap targets under 48 px", found["small"]),
    ):
        if items:
            faults[name] = items
    return faults


def switch(page):
    button = page.get_by_role("button", name="长辈模式")
    pressed = button.get_attribute("aria-pressed") == "true"
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false" if pressed else "true")


def walk(page, base, paths):
    faults = {}
    for path in paths:
        page.goto(base + path)
        found = elderly_faults(page)
        if found:
            faults[path] = found
    return faults


@pytest.mark.django_db(transaction=True)
def test_elderly_mode_meets_its_numbers_and_stays_on_this_phone(live_server, browser):
    seed_site()
    phone = with_measure(browser.new_context(locale="zh-CN", **PHONE)).new_page()
    phone.goto(live_server.url + "/")
    switch(phone)

    assert walk(phone, live_server.url, ["/", LESSON, "/news/", "/salons/"]) == {}
    # Another phone (a fresh browser) is not switched.
    other = with_measure(browser.new_context(locale="zh-CN", **PHONE)).new_page()
    other.goto(live_server.url + "/")
    assert other.evaluate(IS_ELDERLY) is False
    # Off again on this phone, and it stays off.
    switch(phone)
    phone.reload()
    assert phone.evaluate(IS_ELDERLY) is False
    phone.context.close()
    other.context.close()


@pytest.mark.django_db(transaction=True)
def test_elderly_mode_is_kept_for_the_account_on_every_phone(live_server, browser):
    seed_site()
    user = demo_user(MEMBER_EMAIL)
    phone = logged_in_page(browser, live_server, user, phone=True)
    with_measure(phone.context)
    phone.goto(live_server.url + "/")
    with phone.expect_response(lambda r: "elderly-mode" in r.url):
        switch(phone)
    user.refresh_from_db()
    assert user.elderly_mode is True
    # The simpler header: a big 我的学习 button, the search box folded away.
    expect(phone.locator(".site-header .big-button")).to_have_text("我的学习")
    expect(phone.locator(".site-search")).to_be_hidden()

    assert walk(phone, live_server.url, ["/", LESSON, "/me/study/"]) == {}

    # The member's other phone opens in elderly mode from the first page.
    second = logged_in_page(browser, live_server, user, phone=True)
    with_measure(second.context)
    second.goto(live_server.url + LESSON)
    assert elderly_faults(second) == {}
    with second.expect_response(lambda r: "elderly-mode" in r.url):
        switch(second)
    user.refresh_from_db()
    assert user.elderly_mode is False
    phone.reload()
    assert phone.evaluate(IS_ELDERLY) is False
    phone.context.close()
    second.context.close()
