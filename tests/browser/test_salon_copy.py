"""Issue 17, point 14 in a browser: an organiser's superuser presses 复制 on
this quarter's salon and gets next quarter's, with every seat free."""

import re

import pytest
from playwright.sync_api import expect

from salon import services
from salon.models import SalonPage, quarter_label, quarters_after
from tests.browser.pages import logged_in_page
from tests.salon import factories as f


@pytest.mark.django_db(transaction=True)
def test_copy_a_salon_to_the_next_quarter_in_the_admin(live_server, browser):
    salon = f.salon(title="本季度红色沙龙", capacity=5)
    services.registration_create(salon=salon, user=f.member("王芳").user)
    admin = f.user(is_superuser=True, is_staff=True)
    page = logged_in_page(browser, live_server, admin)
    (year, quarter), *_ = quarters_after(salon.year, salon.quarter, 1)

    page.goto(f"{live_server.url}/admin/pages/{salon.get_parent().pk}/")
    row = page.get_by_role("row").filter(has_text="本季度红色沙龙")
    row.get_by_role("button", name=re.compile("更多")).click()
    page.get_by_role("link", name="复制").click()
    expect(page.get_by_label("复制到哪个季度")).to_have_value(f"{year}-{quarter}")
    page.get_by_label("副本标题").fill("下季度红色沙龙")
    page.get_by_role("button", name="复制沙龙").click()

    expect(
        page.get_by_text(f"沙龙已复制到{quarter_label(year, quarter)}")
    ).to_be_visible()
    copy = SalonPage.objects.get(title="下季度红色沙龙")
    expect(page).to_have_url(re.compile(rf"/admin/pages/{copy.pk}/edit/$"))
    assert (copy.year, copy.quarter, copy.taken) == (year, quarter, 0)
    assert not copy.registrations.exists()
