"""Long links and unbroken words in members' text wrap on a 360 px phone:
no page where member text is shown scrolls sideways."""

import pytest

from home.mailbox import services as mailbox
from home.voice import services as voice
from tests.browser.pages import PHONE_WIDTH, logged_in_page
from tests.home import factories as f
from tests.members import factories as people

LINK = (
    "https://www.example.com/dangjian/2026/xuexi/zhuanti/liudong-dangyuan-" + "a" * 20
)
WORD = "Zhonghuarenmingongheguo" * 4
TITLE = "Liudongdangyuanzhijiaxuexibiji" * 2


def approve(page, editor):
    task_state = page.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "approve", comment="")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_with_member_text_is_wider_than_the_phone(live_server, browser):
    assert len(LINK) >= 65
    f.voice_index(show_in_menus=True)
    branch = people.branch(name="城东党支部")
    member = people.member(branch, real_name="王小梅").user
    organiser = people.organiser(branch)
    text = f"学习资料在这里：{LINK}\n{WORD}"
    published = voice.submission_save(user=member, title=TITLE, text=text, submit=True)
    approve(published, people.editor())
    draft = voice.submission_save(user=member, title=f"草稿{TITLE}", text=text)
    item = mailbox.mailbox_item_create(member=member, category="dues", text=text)
    mailbox.mailbox_item_answer(item=item, by=organiser, text=f"请看 {LINK}")
    published.refresh_from_db()

    m = logged_in_page(browser, live_server, member, phone=True)
    widths = {}
    for path in (
        "/",
        "/voice/",
        published.url,
        "/me/submissions/",
        f"/me/submissions/{published.pk}/",
        f"/me/submissions/{draft.pk}/",
        f"/me/submissions/{draft.pk}/edit/",
        "/me/mailbox/",
        f"/me/mailbox/{item.pk}/",
    ):
        m.goto(live_server.url + path)
        widths[path] = m.evaluate("document.documentElement.scrollWidth")

    assert {p: w for p, w in widths.items() if w > PHONE_WIDTH} == {}
