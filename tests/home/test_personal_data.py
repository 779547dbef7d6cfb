"""A member's submissions and mailbox items in their data download and deletion."""

import datetime
import zoneinfo

import pytest
from wagtail.images import get_image_model

from home.mailbox import services as mailbox
from home.mailbox.models import MailboxItem
from home.models import VoicePage
from home.voice import services as voice
from school.members.registry import anonymise_user_data, export_user_data
from tests.home import factories as f
from tests.members import factories as people

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 6, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def member():
    f.voice_index()
    return people.member(real_name="赵明亮").user


def test_the_download_holds_submissions_and_mailbox_items(member):
    voice.submission_save(user=member, title="草稿一篇", text="正文")
    mailbox.mailbox_item_create(member=member, category="study", text="学什么？", at=AT)

    data = export_user_data(member)

    assert [s["title"] for s in data["voice_submissions"]] == ["草稿一篇"]
    assert data["voice_submissions"][0]["state"] == "draft"
    assert [m["text"] for m in data["mailbox"]] == ["学什么？"]


def test_deleting_the_account_removes_drafts_and_unnames_published_articles(member):
    editor = people.editor()
    draft = voice.submission_save(
        user=member,
        title="草稿",
        text="正文",
        images=[voice.submission_image_store(user=member, upload=f.image_upload())],
    )
    published = voice.submission_save(
        user=member, title="已发表", text="正文", submit=True
    )
    task_state = published.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "approve")

    anonymise_user_data(member)

    assert not VoicePage.objects.filter(pk=draft.pk).exists()
    assert not get_image_model().objects.exists()
    published.refresh_from_db()
    assert published.live
    assert published.author is None
    assert "赵明亮" not in published.author_name
    for revision in published.revisions.all():
        assert "赵明亮" not in str(revision.content)


def test_deleting_the_account_keeps_mailbox_rows_without_words(member):
    item = mailbox.mailbox_item_create(
        member=member,
        category="dues",
        text="我的私事",
        attachment=f.pdf_upload(),
        at=AT,
    )
    mailbox.mailbox_item_answer(
        item=item, by=people.superuser(), text="答复里有私事", at=AT
    )

    anonymise_user_data(member)

    item = MailboxItem.objects.get()
    assert item.member is None
    assert item.answered_on_time is True
    assert "私事" not in item.text
    assert not item.attachment
    assert all("私事" not in m.text for m in item.messages.all())
