"""A member's account pages fit a 360 px phone, long e-mail address included."""

import pytest

from tests.browser.pages import assert_no_horizontal_scroll, logged_in_page
from tests.members import factories

ACCOUNT_PAGES = [
    "/me/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/me/consent/",
    "/me/delete/",
]


@pytest.mark.django_db(transaction=True)
def test_account_pages_fit_a_phone_with_a_long_email_address(browser, live_server):
    user = factories.user(email="zhangweiguo.shenzhen1985@example.com")
    factories.member(user_=user)
    page = logged_in_page(browser, live_server, user, phone=True)

    for path in ACCOUNT_PAGES:
        page.goto(live_server.url + path)
        assert_no_horizontal_scroll(page)
