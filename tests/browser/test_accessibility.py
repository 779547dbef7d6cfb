"""No page has an accessibility violation of any impact (axe-core), in the
normal mode and in elderly mode, for visitors and for members (issue 16)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import PHONE, logged_in_page
from tests.browser.reach import (
    CONTACT_EMAIL,
    MEMBER_PAGES,
    PUBLIC_PAGES,
    demo_user,
    seed_site,
)

IS_ELDERLY = "document.documentElement.classList.contains('elderly')"
EXTRA_PUBLIC_PAGES = ["/courses/", "/guides/", "/about/", "/no-such-page/", "/offline/"]


def violations(page, base, paths):
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(base + path)
        results = axe.run(page)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in results.response["violations"]
        ]
        if problems:
            found[path] = problems
    return found


def set_elderly(page, base, on):
    page.goto(base + "/")
    button = page.get_by_role("button", name="长辈模式")
    if (button.get_attribute("aria-pressed") == "true") == on:
        return
    if button.get_attribute("data-account-url"):
        with page.expect_response(lambda r: "elderly-mode" in r.url):
            button.click()
    else:
        button.click()
    expect(button).to_have_attribute("aria-pressed", "true" if on else "false")


@pytest.mark.parametrize("mode", ["normal", "elderly"])
@pytest.mark.django_db(transaction=True)
def test_every_page_type_passes_axe(live_server, browser, mode):
    salon = seed_site()
    elderly = mode == "elderly"
    visitor = browser.new_context(locale="zh-CN", **PHONE).new_page()
    member = logged_in_page(browser, live_server, demo_user(CONTACT_EMAIL), phone=True)
    for page in (visitor, member):
        set_elderly(page, live_server.url, elderly)

    problems = violations(
        visitor, live_server.url, [*PUBLIC_PAGES, salon, *EXTRA_PUBLIC_PAGES]
    )
    member_problems = violations(member, live_server.url, [*MEMBER_PAGES, salon])
    problems.update({f"member {p}": v for p, v in member_problems.items()})
    for page in (visitor, member):
        assert page.evaluate(IS_ELDERLY) is elderly
    visitor.context.close()
    member.context.close()

    assert problems == {}
