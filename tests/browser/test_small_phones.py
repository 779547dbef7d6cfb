"""Normal mode on a 320 px phone, and on a 360 px phone with the browser's
text size at 200 %: no page scrolls sideways and every tap target is at least
44 × 44 px, on every page type (issue 16, point 5)."""

import pytest

from tests.browser.pages import logged_in_page
from tests.browser.reach import (
    CONTACT_EMAIL,
    MEMBER_PAGES,
    PUBLIC_PAGES,
    demo_user,
    large_text,
    layout_faults,
    seed_site,
    with_measure,
)

WAYS = {
    "320px": {"width": 320, "text": 100},
    "360px-text-200%": {"width": 360, "text": 200},
}


def walk(page, base, paths):
    faults = {}
    for path in paths:
        page.goto(base + path)
        found = layout_faults(page, 44)
        if found:
            faults[path] = found
    return faults


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.django_db(transaction=True)
def test_no_sideways_scroll_and_no_small_tap_target_on_any_page(
    live_server, browser, way
):
    salon = seed_site()
    width, text = WAYS[way]["width"], WAYS[way]["text"]
    phone = {"viewport": {"width": width, "height": 740}, "is_mobile": True}

    visitor = with_measure(browser.new_context(locale="zh-CN", **phone)).new_page()
    member = logged_in_page(browser, live_server, demo_user(CONTACT_EMAIL), phone=True)
    with_measure(member.context)
    member.set_viewport_size(phone["viewport"])
    for page in (visitor, member):
        if text != 100:
            large_text(page, text)

    faults = walk(visitor, live_server.url, [*PUBLIC_PAGES, salon])
    member_faults = walk(member, live_server.url, MEMBER_PAGES)
    faults.update({f"member {p}": f for p, f in member_faults.items()})
    # The large text is really on: the body's text is twice its usual size.
    if text != 100:
        body = "parseFloat(getComputedStyle(document.body).fontSize)"
        assert visitor.evaluate(body) >= 36
    visitor.context.close()
    member.context.close()

    assert faults == {}
