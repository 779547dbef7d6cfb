import pytest

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_home_page_shows_in_chinese(live_server, phone_page, screenshot):
    factories.news_page(factories.news_index(show_in_menus=True), title="支部动态一则")

    phone_page.goto(live_server.url)

    assert phone_page.locator("header").get_by_text("流动党员网上党校").is_visible()
    phone_page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="党建动态"
    ).click()
    phone_page.get_by_role("link", name="支部动态一则").click()
    assert phone_page.get_by_role("heading", level=1).inner_text() == "支部动态一则"
    screenshot(phone_page, "smoke-news")
