"""Issue 7's first walk: a member writes an article with a picture; an editor asks
for changes in the Wagtail admin; the member revises and resubmits; the editor
approves; the article is live on /voice/ with the member's name."""

import pytest
from playwright.sync_api import expect

from home.models import VoicePage
from tests.browser.pages import (
    admin_approve,
    admin_request_changes,
    assert_no_horizontal_scroll,
    logged_in_page,
)
from tests.home import factories as f
from tests.members import factories as people


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submit_request_changes_resubmit_approve(
    live_server, browser, screenshot, tmp_path
):
    f.voice_index(show_in_menus=True)
    member = people.member(real_name="王小梅").user
    editor = people.editor()
    picture = tmp_path / "工地.png"
    picture.write_bytes(f.image_bytes(size=(800, 600)))

    # The member writes on a phone.
    m = logged_in_page(browser, live_server, member, phone=True)
    m.goto(f"{live_server.url}/voice/")
    m.get_by_role("link", name="我要投稿").first.click()
    m.get_by_label("标题").fill("工地上的党课")
    m.get_by_label("类别").select_option(label="学习")
    m.get_by_label("正文").fill(
        "午休时间，我们在工棚里学党章。\n大家轮流读，一起讨论。"
    )
    m.get_by_label("添加图片").set_input_files(str(picture))
    m.get_by_role("button", name="提交审核").click()
    expect(m.get_by_text("稿件已提交编辑审核")).to_be_visible()
    expect(m.get_by_text("审核中")).to_be_visible()
    screenshot(m, "voice-1-in-review")
    page = VoicePage.objects.get()

    # The editor asks for changes in the Wagtail admin.
    e = logged_in_page(browser, live_server, editor)
    admin_request_changes(e, live_server, page.pk, "请补充一个你们讨论的具体问题。")
    screenshot(e, "voice-2-request-changes")

    # The member reads the comment, revises and sends the article again.
    m.goto(f"{live_server.url}/me/submissions/")
    expect(m.get_by_text("需要修改")).to_be_visible()
    expect(m.get_by_text("请补充一个你们讨论的具体问题。")).to_be_visible()
    screenshot(m, "voice-3-changes-requested")
    m.get_by_role("link", name="修改后重新提交").click()
    expect(m.get_by_text("编辑请您修改")).to_be_visible()
    expect(m.get_by_label("保留这张图片")).to_be_checked()
    # The form with its picture fits the phone: no sideways scrolling.
    assert_no_horizontal_scroll(m)
    body = m.get_by_label("正文")
    body.fill(body.input_value() + "\n我们讨论了在外地怎样参加组织生活。")
    m.get_by_role("button", name="重新提交审核").click()
    expect(m.get_by_text("审核中")).to_be_visible()

    # The editor approves: the article is published.
    admin_approve(e, live_server, page.pk)
    screenshot(e, "voice-4-approved")

    m.goto(f"{live_server.url}/voice/")
    expect(m.get_by_role("link", name="工地上的党课")).to_be_visible()
    expect(m.get_by_text("王小梅")).to_be_visible()
    m.get_by_role("link", name="工地上的党课").click()
    expect(m.get_by_role("heading", level=1)).to_have_text("工地上的党课")
    expect(m.get_by_text("我们讨论了在外地怎样参加组织生活。")).to_be_visible()
    expect(m.locator("article img")).to_have_count(1)
    screenshot(m, "voice-5-published")
    m.goto(f"{live_server.url}/me/submissions/")
    expect(m.get_by_text("已发表")).to_be_visible()
    expect(m.get_by_role("link", name="在栏目中查看")).to_have_attribute(
        "href", VoicePage.objects.get().url
    )
