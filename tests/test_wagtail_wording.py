"""Wagtail's screens that our staff use read in Chinese, with the project's
catalogue filling the gaps in Wagtail's own."""

import pytest

from home.voice import services
from tests.home import factories as f
from tests.members import factories as people

pytestmark = pytest.mark.django_db


def test_the_review_panel_and_page_actions_are_in_chinese(client):
    f.voice_index()
    writer = people.member(real_name="王小梅").user
    page = services.submission_save(
        user=writer, title="一篇稿件", text="正文", submit=True
    )
    client.force_login(people.editor())

    dashboard = client.get("/admin/").content.decode()
    editor_page = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert "Privacy and access" not in dashboard
    assert "隐私与访问" in dashboard
    assert "批准并发布" in editor_page
    assert "批准 和发布" not in editor_page


def test_an_empty_holiday_list_says_so_in_chinese(client):
    client.force_login(people.superuser())

    listing = client.get("/admin/snippets/home/calendarday/").content.decode()

    assert "Why not" not in listing
    assert "还没有节假日与调休日" in listing


def test_the_admin_menu_badge_is_in_chinese(client):
    client.force_login(people.editor())

    catalogue = client.get("/admin/jsi18n/").content.decode()

    assert "\\u6b64\\u83dc\\u5355\\u6709" in catalogue or "此菜单有" in catalogue
