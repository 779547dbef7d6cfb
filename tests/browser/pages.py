"""Browser pages for the walks."""

from django.conf import settings
from django.test import Client

from courses.models import LessonProgress

PHONE_WIDTH = 360
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 740}, "is_mobile": True}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def logged_in_page(browser, live_server, user, *, phone=False):
    """A browser page with `user`'s session (logging in is tested elsewhere),
    phone-sized if asked."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **(PHONE if phone else {}))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def credited(member, lesson):
    """Seconds the server has credited `member` for `lesson`."""
    progress = LessonProgress.objects.filter(member=member, lesson=lesson).first()
    return progress.credited_seconds if progress else 0


def wait_for_credit(page, seconds, timeout=30_000):
    """Wait until the lesson page's study box shows `seconds` credited."""
    page.wait_for_function(
        "n => Number(document.querySelector('[data-study]')"
        ".getAttribute('data-credited-seconds')) >= n",
        arg=seconds,
        timeout=timeout,
    )


def admin_request_changes(page, live_server, page_id, comment):
    """An editor asks for changes in the Wagtail page editor, with a comment."""
    page.goto(f"{live_server.url}/admin/pages/{page_id}/edit/")
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="请求修改").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("评论").fill(comment)
    with page.expect_navigation():
        dialog.get_by_role("button", name="请求修改").click()


def admin_approve(page, live_server, page_id):
    """An editor approves and publishes in the Wagtail page editor."""
    page.goto(f"{live_server.url}/admin/pages/{page_id}/edit/")
    page.get_by_role("button", name="更多动作").click()
    with page.expect_navigation():
        page.get_by_role("button", name="批准并发布", exact=True).click()
