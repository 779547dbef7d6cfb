"""An organiser in the Wagtail admin sees and changes only their own branch's
salons: another branch's salon is not in the list and its delete address is a
404; their own salon with sign-ups cannot be deleted, and they are told to
unpublish it instead."""

import pytest
from playwright.sync_api import expect

from salon.models import SalonPage
from tests.browser.pages import logged_in_page
from tests.members import factories as members
from tests.salon import factories as f


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_organiser_cannot_touch_another_branchs_salon_nor_delete_a_full_one(
    live_server, browser, screenshot
):
    own = f.salon(the_branch=f.branch("甲党支部"), title="甲支部春季沙龙")
    other = f.salon(the_branch=f.branch("乙党支部"), title="乙支部春季沙龙")
    f.services_sign_up(own, f.member("王芳", own.branch))
    organiser = members.organiser(own.branch)

    page = logged_in_page(browser, live_server, organiser)
    page.goto(f"{live_server.url}/admin/pages/{own.get_parent().pk}/")
    expect(page.get_by_role("link", name="甲支部春季沙龙").first).to_be_visible()
    expect(page.get_by_text("乙支部春季沙龙")).to_have_count(0)

    for action in ("delete", "edit", "unpublish"):
        response = page.goto(f"{live_server.url}/admin/pages/{other.pk}/{action}/")
        assert response.status == 404
        expect(page.get_by_text("乙支部春季沙龙")).to_have_count(0)

    # Asking to delete their own salon with a sign-up: told at once, and why.
    page.goto(f"{live_server.url}/admin/pages/{own.pk}/delete/")
    expect(page.get_by_role("button", name="是，删除此页面")).to_have_count(0)
    expect(page.get_by_text("不能删除")).to_be_visible()
    expect(page.get_by_text("撤销发布")).to_be_visible()
    screenshot(page, "branch-scope-salon-delete-refused")

    assert SalonPage.objects.filter(pk=own.pk, live=True).exists()
    assert SalonPage.objects.filter(pk=other.pk, live=True).exists()
