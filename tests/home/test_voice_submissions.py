"""Members write for the voice column; editors moderate in Wagtail's workflow."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import TaskState, WorkflowState

from home.models import VoicePage
from home.voice import services
from home.voice.services import State
from home.voice.workflow import SUBMISSIONS_COLLECTION, VOICE_WORKFLOW
from school.members.models import MemberProfile
from tests.home import factories as f
from tests.members import factories as people

pytestmark = pytest.mark.django_db

SUBMIT = "/voice/submit/"


@pytest.fixture
def index():
    return f.voice_index()


@pytest.fixture
def member():
    return people.member(real_name="王小梅").user


@pytest.fixture
def editor():
    return people.editor()


def post_article(client, url=SUBMIT, action="submit", images=(), **fields):
    data = {
        "title": "在工地上学党章",
        "category": "study",
        "body": "第一段。\n\n第二段。",
        "action": action,
        **fields,
    }
    if images:
        data["new_images"] = list(images)
    return client.post(url, data)


def submit(member, **kwargs):
    kwargs.setdefault("title", "在外地过党组织生活")
    kwargs.setdefault("text", "第一段\n第二段")
    return services.submission_save(user=member, submit=True, **kwargs)


def reject(page, editor, comment="请补充一个具体的例子。"):
    task_state = page.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "reject", comment=comment)


def approve(page, editor, comment=""):
    task_state = page.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "approve", comment=comment)


# --- Submitting --------------------------------------------------------------


def test_submitting_creates_a_draft_under_the_voice_index_in_review(
    client, index, member
):
    client.force_login(member)

    response = post_article(client, images=[f.image_upload()])

    assert response.status_code == 302
    assert response["Location"] == "/me/submissions/"
    page = VoicePage.objects.get()
    assert page.get_parent().pk == index.pk
    assert not page.live
    assert page.author == member
    assert page.author_name == "王小梅"
    assert page.category == "study"
    assert [b.block_type for b in page.body] == ["paragraph", "paragraph", "image"]
    assert page.revisions.count() == 1
    state = WorkflowState.objects.get()
    assert state.workflow.name == VOICE_WORKFLOW
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == member
    assert services.submission_state(page) == State.IN_REVIEW


def test_the_voice_workflow_is_assigned_to_the_voice_index(index):
    assert index.get_workflow().name == VOICE_WORKFLOW


def test_a_draft_is_saved_without_review_and_can_be_continued(client, index, member):
    client.force_login(member)

    response = post_article(client, action="draft", body="")

    page = VoicePage.objects.get()
    assert response["Location"] == f"/me/submissions/{page.pk}/edit/"
    assert services.submission_state(page) == State.DRAFT
    assert not WorkflowState.objects.exists()
    form = client.get(f"/me/submissions/{page.pk}/edit/")
    assert "在工地上学党章" in form.content.decode()

    post_article(client, url=f"/me/submissions/{page.pk}/edit/", body="写完了。")

    page.refresh_from_db()
    assert services.submission_state(page) == State.IN_REVIEW
    assert VoicePage.objects.count() == 1


def test_submitted_text_is_kept_as_plain_paragraphs(client, index, member):
    client.force_login(member)

    post_article(client, body="<script>alert(1)</script>\n第二段")

    html = str(VoicePage.objects.get().body)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_draft_comes_back_exactly_as_typed_however_often_it_is_saved(
    client, index, member
):
    typed = 'A&B "x" <y>\n第二段 &amp; <b>字</b>'
    client.force_login(member)
    post_article(client, action="draft", body=typed)
    page = VoicePage.objects.get()
    url = f"/me/submissions/{page.pk}/edit/"

    for _ in range(3):
        latest = VoicePage.objects.get().get_latest_revision_as_object()
        assert services.body_text(latest) == typed
        post_article(client, url=url, action="draft", body=services.body_text(latest))

    html = str(VoicePage.objects.get().get_latest_revision_as_object().body)
    assert "A&amp;B &quot;x&quot; &lt;y&gt;" in html
    assert "&amp;amp;" in html  # the member's own "&amp;", escaped once
    assert "&amp;amp;amp;" not in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "文" * 10_001}, "这段文字有 10001 字，超过了 10000 字的上限"),
        ({"title": "题" * 101}, "这段文字有 101 字，超过了 100 字的上限"),
    ],
)
def test_too_long_text_is_refused_in_the_schools_words_and_kept(
    client, index, member, fields, message
):
    client.force_login(member)

    html = post_article(client, action="draft", **fields).content.decode()

    assert message in html
    assert "确保" not in html
    assert next(iter(fields.values())) in html
    assert not VoicePage.objects.exists()


def test_the_article_box_has_a_count_but_no_browser_limit(client, index, member):
    client.force_login(member)

    html = client.get(SUBMIT).content.decode()

    assert 'data-max-length="10000"' in html
    assert "maxlength" not in html
    assert "js/char-count.js" in html


# --- Moderation --------------------------------------------------------------


def test_editors_see_the_submission_in_their_workflow_queue(
    client, index, member, editor
):
    submit(member, title="待审核的一篇")
    client.force_login(editor)

    dashboard = client.get("/admin/")

    assert dashboard.status_code == 200
    assert "待审核的一篇" in dashboard.content.decode()


def test_each_editor_gets_one_mail_per_submission_with_the_preview_link(
    index, member, editor, django_capture_on_commit_callbacks
):
    admin = people.superuser(email="admin@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        page = submit(member, title="一篇新稿")

    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([editor.email, admin.email])
    for message in mail.outbox:
        assert f"/admin/pages/workflow/preview/{page.pk}/" in message.body


def test_requesting_changes_shows_the_comment_to_the_member_and_mails_them(
    client, index, member, editor, django_capture_on_commit_callbacks
):
    page = submit(member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reject(page, editor, comment="请补充一个具体的例子。")

    page.refresh_from_db()
    assert services.submission_state(page) == State.CHANGES_REQUESTED
    assert services.editor_comment(page) == "请补充一个具体的例子。"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "请补充一个具体的例子。" in mail.outbox[0].body
    client.force_login(member)
    listing = client.get("/me/submissions/").content.decode()
    assert "需要修改" in listing or "Changes requested" not in listing
    assert "请补充一个具体的例子。" in listing


def test_a_returned_submission_is_revised_and_resubmitted_in_the_same_workflow(
    client, index, member, editor
):
    page = submit(member)
    reject(page, editor)
    client.force_login(member)

    response = post_article(
        client, url=f"/me/submissions/{page.pk}/edit/", title="修改后的标题"
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "修改后的标题"
    assert services.submission_state(page) == State.IN_REVIEW
    assert WorkflowState.objects.count() == 1
    assert TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).count() == 1


def test_the_member_revises_the_editors_version_of_a_returned_submission(
    client, index, member, editor
):
    page = submit(member, title="初稿标题", text="初稿正文")
    edited = page.get_latest_revision_as_object()
    edited.title = "编辑改过的标题"
    edited.body = [("paragraph", "<p>编辑改过的正文</p>")]
    edited.save_revision(user=editor)
    reject(VoicePage.objects.get(pk=page.pk), editor)
    client.force_login(member)

    form = client.get(f"/me/submissions/{page.pk}/edit/").content.decode()
    detail = client.get(f"/me/submissions/{page.pk}/").content.decode()
    listing = client.get("/me/submissions/").content.decode()

    assert "编辑改过的标题" in form
    assert "编辑改过的正文" in form
    assert "初稿正文" not in form
    assert "编辑改过的正文" in detail
    assert "编辑改过的标题" in listing


def test_approval_publishes_with_the_members_byline_and_mails_them(
    client, index, member, editor, django_capture_on_commit_callbacks
):
    page = submit(member, title="我的第一篇")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve(page, editor)

    page.refresh_from_db()
    assert page.live
    assert services.submission_state(page) == State.PUBLISHED
    assert len(mail.outbox) == 1
    assert "我的第一篇" in mail.outbox[0].subject
    column = client.get("/voice/").content.decode()
    assert "我的第一篇" in column
    assert "王小梅" in column
    article = client.get(page.url).content.decode()
    assert "王小梅" in article
    client.force_login(member)
    listing = client.get("/me/submissions/").content.decode()
    assert "已发表" in listing
    assert f'href="{page.url}"' in listing


def test_a_published_submission_takes_its_address_from_its_final_title(
    client, index, member, editor
):
    page = services.submission_save(user=member, title="初稿标题", text="正文")
    services.submission_save(
        user=member, page=page, title="改好的标题", text="正文", submit=True
    )

    approve(VoicePage.objects.get(pk=page.pk), editor)

    page.refresh_from_db()
    assert page.slug == "改好的标题"
    assert client.get(page.url).status_code == 200


def test_a_retitled_article_moves_and_its_old_address_redirects(
    client, index, member, editor, django_capture_on_commit_callbacks
):
    page = submit(member, title="第一个标题")
    approve(page, editor)
    old_url = VoicePage.objects.get(pk=page.pk).url

    edited = VoicePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edited.title = "编辑改过的标题"
    with django_capture_on_commit_callbacks(execute=True):
        edited.save_revision(user=editor).publish(user=editor)

    page.refresh_from_db()
    assert page.slug == "编辑改过的标题"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(page.url)
    assert client.get(page.url).status_code == 200


def test_the_approving_editors_comment_reaches_the_member(
    index, member, editor, django_capture_on_commit_callbacks
):
    page = submit(member, title="我的第一篇")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve(page, editor, comment="写得很实在，已在栏目发表。")

    assert len(mail.outbox) == 1
    assert "写得很实在，已在栏目发表。" in mail.outbox[0].body


def test_later_corrections_do_not_mail_the_member_again(
    index, member, editor, django_capture_on_commit_callbacks
):
    page = submit(member)
    approve(page, editor)
    mail.outbox.clear()

    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=editor).publish(user=editor)

    assert mail.outbox == []


# --- Bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "请填写文章标题"),
        ({"title": "长" * 101}, "100"),
        ({"body": "  "}, "请先写好文章"),
        ({"body": "字" * 10_001}, "10000"),
    ],
)
def test_bad_text_is_refused_and_the_rest_is_kept(
    client, index, member, fields, message
):
    client.force_login(member)

    response = post_article(
        client, **{"title": "保留的标题", "body": "保留的正文", **fields}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    kept = {"title": "保留的标题", "body": "保留的正文"}
    for field, value in kept.items():
        if field not in fields:
            assert value in html
    assert not VoicePage.objects.exists()


def bad_image_cases():
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1), "image/jpeg"
    )
    text = SimpleUploadedFile("notes.png", b"just some text", "image/png")
    bmp = f.image_upload("old.bmp", fmt="BMP")
    return [
        (big, "大于 5 MB"),
        (text, "不是可用的图片"),
        (bmp, "不是可用的图片"),
    ]


@pytest.mark.parametrize("case", range(3))
def test_bad_images_are_refused_with_a_clear_message(client, index, member, case):
    upload, message = bad_image_cases()[case]
    client.force_login(member)

    response = post_article(client, images=[upload])

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "在工地上学党章" in html
    assert not VoicePage.objects.exists()
    assert not get_image_model().objects.exists()


def test_a_decompression_bomb_is_refused_without_decoding_it(client, index, member):
    # A tiny PNG that claims 20000 × 20000 pixels.
    bomb = f.image_upload("bomb.png", size=(20_000, 20_000))
    assert bomb.size < 2_000_000
    client.force_login(member)

    response = post_article(client, images=[bomb])

    assert "尺寸异常" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_pillow_decompression_bomb_error_is_caught(client, index, member, monkeypatch):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 100)
    client.force_login(member)

    response = post_article(client, images=[f.image_upload(size=(40, 30))])

    assert response.status_code == 200
    assert "尺寸异常" in response.content.decode()


def test_good_images_are_kept_when_the_text_has_a_mistake(client, index, member):
    client.force_login(member)

    response = post_article(client, title="", images=[f.image_upload("a.png")])

    assert response.status_code == 200
    image = get_image_model().objects.get()
    assert image.collection.name == SUBMISSIONS_COLLECTION
    assert image.uploaded_by_user == member
    html = response.content.decode()
    assert f'name="keep_images" value="{image.pk}" checked' in html

    post_article(client, keep_images=[image.pk])

    page = VoicePage.objects.get()
    assert services.body_images(page) == [image]


def test_at_most_six_images(client, index, member):
    client.force_login(member)
    uploads = [f.image_upload(f"{n}.png") for n in range(7)]

    response = post_article(client, images=uploads)

    assert response.status_code == 200
    assert "最多" in response.content.decode()
    assert get_image_model().objects.count() == 6
    assert not VoicePage.objects.exists()


def test_another_members_image_cannot_be_kept(client, index, member):
    other = people.member().user
    theirs = services.submission_image_store(user=other, upload=f.image_upload())
    client.force_login(member)

    response = post_article(client, keep_images=[theirs.pk])

    assert response.status_code == 200
    assert not VoicePage.objects.exists()


# --- Who may do what ---------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, index):
    assert client.get(SUBMIT)["Location"].startswith("/accounts/login/")
    assert client.get("/me/submissions/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "status", [MemberProfile.Status.PENDING, MemberProfile.Status.REJECTED]
)
def test_unconfirmed_members_cannot_submit(client, index, status):
    user = people.member(status=status).user
    client.force_login(user)

    assert client.get(SUBMIT).status_code == 403
    assert post_article(client).status_code == 403
    assert not VoicePage.objects.exists()


def test_the_service_refuses_unconfirmed_members(index):
    user = people.member(status=MemberProfile.Status.PENDING).user

    with pytest.raises(services.ValidationError):
        submit(user)


def test_a_member_sees_only_their_own_submissions(client, index, member):
    mine = submit(member, title="我写的")
    theirs = submit(people.member().user, title="别人写的")
    client.force_login(member)

    listing = client.get("/me/submissions/").content.decode()

    assert "我写的" in listing
    assert "别人写的" not in listing
    assert client.get(f"/me/submissions/{mine.pk}/").status_code == 200
    assert client.get(f"/me/submissions/{theirs.pk}/").status_code == 404
    assert client.get(f"/me/submissions/{theirs.pk}/edit/").status_code == 404
    post_article(client, url=f"/me/submissions/{theirs.pk}/edit/", title="改别人的")
    theirs.refresh_from_db()
    assert theirs.title == "别人写的"


def test_a_submission_in_review_cannot_be_changed_by_the_member(client, index, member):
    page = submit(member, title="审核中")
    client.force_login(member)

    response = post_article(
        client, url=f"/me/submissions/{page.pk}/edit/", title="偷改"
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "审核中"
    with pytest.raises(services.ValidationError):
        services.submission_save(user=member, page=page, title="偷改", text="x")


def test_a_published_submission_cannot_be_changed_by_the_member(index, member, editor):
    page = submit(member)
    approve(page, editor)

    with pytest.raises(services.ValidationError):
        services.submission_save(user=member, page=page, title="偷改", text="x")


def test_members_cannot_enter_the_admin_to_approve(client, index, member):
    page = submit(member)
    client.force_login(member)

    assert client.get("/admin/").status_code == 404
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 404


def test_the_submissions_page_does_not_grow_queries_with_submissions(
    client, index, member, editor, django_assert_max_num_queries
):
    client.force_login(member)
    for n in range(2):
        submit(member, title=f"第{n}篇")
    with django_assert_max_num_queries(40) as few:
        client.get("/me/submissions/")
    for n in range(8):
        page = submit(member, title=f"更多{n}")
        if n % 2:
            reject(page, editor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/me/submissions/")
    assert response.content.decode().count('class="submission ') == 10


def test_only_editors_may_approve_or_request_changes(index, member, editor):
    page = submit(member)
    task_state = page.current_workflow_state.current_task_state.specific
    task = task_state.task.specific
    organiser = people.organiser(member.profile.branch)

    assert {name for name, *_ in task.get_actions(page, editor)} >= {
        "approve",
        "reject",
    }
    for outsider in (member, organiser, people.member().user):
        assert task.get_actions(page, outsider) == []


def test_editors_see_the_member_account_in_the_page_editor(
    client, index, member, editor
):
    page = submit(member)
    client.force_login(editor)

    response = client.get(f"/admin/pages/{page.pk}/edit/")

    assert response.status_code == 200
    assert str(member) in response.content.decode()


def test_editors_see_the_members_name_and_branch_not_the_login_name(
    client, index, editor
):
    branch = people.branch(name="城东党支部")
    writer = people.member(
        branch, real_name="王小梅", user_=people.user(username="voice1796621980")
    ).user
    page = submit(writer, title="待审核的一篇")
    client.force_login(editor)

    dashboard = client.get("/admin/").content.decode()
    editor_page = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()

    for screen in (dashboard, editor_page, history):
        assert "王小梅（城东党支部）" in screen
        assert "voice1796621980" not in screen


# --- Unused pictures ---------------------------------------------------------


def stored(member, name):
    return services.submission_image_store(user=member, upload=f.image_upload(name))


def test_pictures_no_submission_uses_are_pruned_after_a_day(
    client, index, member, editor, django_capture_on_commit_callbacks
):
    Image = get_image_model()
    client.force_login(member)
    # Left behind with a form that had a mistake, never sent again.
    post_article(client, title="", images=[f.image_upload("abandoned.png")])
    # A picture unticked in a later version stays: the earlier revision has it.
    post_article(client, action="draft", images=[f.image_upload("unticked.png")])
    draft = VoicePage.objects.get()
    post_article(client, url=f"/me/submissions/{draft.pk}/edit/", action="draft")
    # In a submission the editors deleted.
    submit(member, images=[stored(member, "deleted.png")]).delete()
    # In a submission under review, and in an editor's draft of another one.
    submit(member, images=[stored(member, "kept.png")])
    edited = draft.get_latest_revision_as_object()
    edited.body = [
        ("image", {"image": stored(member, "chosen.png"), "alt": "", "caption": ""})
    ]
    edited.save_revision(user=editor)
    Image.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    stored(member, "fresh.png")  # the member may still be correcting its form

    with django_capture_on_commit_callbacks(execute=True):
        assert services.submission_images_prune() == 2

    assert sorted(Image.objects.values_list("title", flat=True)) == [
        "chosen.png",
        "fresh.png",
        "kept.png",
        "unticked.png",
    ]


def test_the_prune_command_reports_what_it_deleted(index, member):
    image = stored(member, "old.png")
    get_image_model().objects.filter(pk=image.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()

    call_command("prune_submission_images", stdout=out)

    assert "1" in out.getvalue()
    assert not get_image_model().objects.exists()
