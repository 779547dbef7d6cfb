"""What a member types in the voice column comes back as typed, on a phone:
through save draft, 继续写作, the editors' return and publishing, never as
markup and never with added escaping."""

import pytest
from playwright.sync_api import expect

from home.models import VoicePage
from tests.browser.pages import admin_approve, admin_request_changes, logged_in_page
from tests.home import factories as f
from tests.members import factories as people

TYPED = 'A&B "x" <y>'


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_typed_text_round_trips_through_drafts_review_and_publishing(
    live_server, browser
):
    f.voice_index(show_in_menus=True)
    member = people.member(real_name="王小梅").user
    editor = people.editor()

    m = logged_in_page(browser, live_server, member, phone=True)
    m.goto(f"{live_server.url}/voice/submit/")
    m.get_by_label("标题").fill("符号测试")
    m.get_by_label("正文").fill(f"{TYPED}\n第二段 & 第三个 <b>字</b>")
    m.get_by_role("button", name="保存草稿").click()
    expect(m.get_by_text("草稿已保存")).to_be_visible()
    expected = f"{TYPED}\n第二段 & 第三个 <b>字</b>"
    expect(m.get_by_label("正文")).to_have_value(expected)

    # Back later from the list, saving twice more: nothing is added.
    for _ in range(2):
        m.goto(f"{live_server.url}/me/submissions/")
        m.get_by_role("link", name="继续写作").click()
        expect(m.get_by_label("正文")).to_have_value(expected)
        m.get_by_role("button", name="保存草稿").click()
        expect(m.get_by_text("草稿已保存")).to_be_visible()
    m.get_by_role("button", name="提交审核").click()
    expect(m.get_by_text("审核中")).to_be_visible()
    page = VoicePage.objects.get()

    # The editor returns it from the admin (the page editor saves the body too).
    e = logged_in_page(browser, live_server, editor)
    admin_request_changes(e, live_server, page.pk, "请再看一遍。")

    m.goto(f"{live_server.url}/me/submissions/")
    m.get_by_role("link", name="修改后重新提交").click()
    expect(m.get_by_label("正文")).to_have_value(expected)
    m.get_by_role("button", name="重新提交审核").click()
    expect(m.get_by_text("审核中")).to_be_visible()

    admin_approve(e, live_server, page.pk)

    m.goto(live_server.url + VoicePage.objects.get().url)
    article = m.locator("article")
    expect(article.get_by_text(TYPED, exact=True)).to_be_visible()
    expect(article.get_by_text("第二段 & 第三个 <b>字</b>", exact=True)).to_be_visible()
    # Shown as text, never made into elements.
    expect(article.locator("y")).to_have_count(0)
    expect(article.locator(".stream b, .rich-text b")).to_have_count(0)
    assert "&amp;" not in article.inner_text()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_paste_is_counted_kept_and_refused_in_words(live_server, browser):
    f.voice_index(show_in_menus=True)
    member = people.member(real_name="王小梅").user
    m = logged_in_page(browser, live_server, member, phone=True)
    m.goto(f"{live_server.url}/voice/submit/")
    m.get_by_label("标题").fill("很长的一篇")
    body = m.get_by_label("正文")

    body.fill("字" * 120)
    expect(m.locator("#id_body_count")).to_have_text("已输入 120 / 10000 字")

    pasted = "长" * 10_050
    body.fill(pasted)
    # Nothing cut by the browser; the count says how much is too much.
    assert len(body.input_value()) == 10_050
    expect(m.locator("#id_body_count")).to_have_text(
        "超出 50 字，请删减后再提交（您的文字一字未删）。"
    )
    m.get_by_role("button", name="保存草稿").click()

    expect(m.get_by_text("这段文字有 10050 字，超过了 10000 字的上限")).to_be_visible()
    assert m.get_by_label("正文").input_value() == pasted
    assert not VoicePage.objects.exists()
