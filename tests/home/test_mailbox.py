"""The party members' mailbox: deadlines, staff handling, the member's one reply."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from home.mailbox import services
from home.mailbox.models import CalendarDay, MailboxItem, MailboxMessage
from school.members.models import MemberProfile
from tests.home import factories as f
from tests.members import factories as people

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime.datetime(2026, 3, 6, 15, 30, tzinfo=SHANGHAI)


@pytest.fixture
def branch():
    return people.branch(name="城东党支部")


@pytest.fixture
def member(branch):
    return people.member(branch, real_name="李卫东").user


@pytest.fixture
def organiser(branch):
    return people.organiser(branch)


def ask(member, text="党费怎么交？", at=FRIDAY_AFTERNOON, **kwargs):
    kwargs.setdefault("category", "dues")
    return services.mailbox_item_create(member=member, text=text, at=at, **kwargs)


def post_question(client, **fields):
    data = {"category": "dues", "text": "异地怎么交党费？", **fields}
    return client.post("/mailbox/", {k: v for k, v in data.items() if v is not None})


# --- Writing in --------------------------------------------------------------


def test_a_question_on_friday_afternoon_is_due_on_tuesday(member):
    item = ask(member)

    assert item.due_on == datetime.date(2026, 3, 10)
    assert item.status == MailboxItem.Status.OPEN
    assert item.branch.name == "城东党支部"


def test_the_member_sends_a_question_and_sees_its_deadline(client, member, settings):
    settings.SCHOOL_MAILBOX_NOW = FRIDAY_AFTERNOON
    client.force_login(member)

    response = post_question(client, faq_consent="on")

    item = MailboxItem.objects.get()
    assert response["Location"] == f"/me/mailbox/{item.pk}/"
    assert item.faq_consent
    page = client.get(response["Location"]).content.decode()
    assert "2026-03-10 星期二" in page
    assert "异地怎么交党费？" in page


def test_the_mailbox_is_called_by_the_issues_name(client, member):
    """The source documents call it 电子信箱 and its rule 两日办结; the demo
    content says so too."""
    client.force_login(member)

    page = client.get("/").content.decode()
    assert '<a href="/mailbox/">电子信箱</a>' in page
    form = client.get("/mailbox/").content.decode()
    assert "<h1>电子信箱</h1>" in form
    assert "两日办结" in form
    assert "党员信箱" not in form


def test_a_new_question_mails_the_branch_organisers(
    client, member, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(member)

    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert "2026-03-10" in mail.outbox[0].subject


def test_the_holiday_calendar_moves_the_deadline(member):
    CalendarDay.objects.create(date=datetime.date(2026, 3, 9), kind="holiday")

    assert ask(member).due_on == datetime.date(2026, 3, 11)


def test_a_pdf_attachment_is_kept_privately(client, member, settings):
    client.force_login(member)

    post_question(client, attachment=f.pdf_upload("我的材料.pdf"))

    item = MailboxItem.objects.get()
    assert item.attachment_name == "我的材料.pdf"
    assert "我的材料" not in item.attachment.name
    assert str(settings.SCHOOL_PRIVATE_MEDIA_ROOT) in item.attachment.path
    assert str(settings.MEDIA_ROOT) not in item.attachment.path
    download = client.get(f"/me/mailbox/{item.pk}/attachment/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", "application/octet-stream"),
        SimpleUploadedFile("fake.pdf", b"MZ\x90\x00not a pdf", "application/pdf"),
        SimpleUploadedFile("page.html", b"<html></html>", "text/html"),
    ],
    ids=["exe", "renamed", "html"],
)
def test_other_attachments_are_refused_and_the_text_is_kept(client, member, upload):
    client.force_login(member)

    response = post_question(client, text="我保留的问题", attachment=upload)

    assert response.status_code == 200
    html = response.content.decode()
    assert "附件只能是 PDF、图片" in html
    assert "我保留的问题" in html
    assert not MailboxItem.objects.exists()


def test_an_oversized_attachment_is_refused(client, member):
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    client.force_login(member)

    response = post_question(client, attachment=big)

    assert "附件超过 10 MB" in response.content.decode()
    assert not MailboxItem.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "请填写您的问题或建议"),
        ({"text": "字" * 2001}, "2000"),
        ({"category": ""}, "请从列表中选择类别"),
        ({"category": "gossip"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_refused_with_the_rest_kept(client, member, fields, message):
    client.force_login(member)

    response = post_question(client, **{"text": "保留的文字", **fields})

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if "text" not in fields:
        assert "保留的文字" in html
    assert not MailboxItem.objects.exists()


def test_a_valid_attachment_is_held_while_the_text_is_corrected(client, member):
    client.force_login(member)

    first = post_question(client, text="", attachment=f.pdf_upload("证明.pdf"))

    html = first.content.decode()
    assert "已附上：证明.pdf" in html
    token = first.context["kept"]["token"]
    post_question(client, text="补上文字", kept_attachment=token)
    item = MailboxItem.objects.get()
    assert item.attachment_name == "证明.pdf"
    assert item.attachment.read().startswith(b"%PDF-")


def test_a_held_attachment_of_another_user_is_ignored(client, member):
    other = people.member().user
    client.force_login(other)
    token = post_question(client, text="", attachment=f.pdf_upload()).context["kept"][
        "token"
    ]
    client.force_login(member)

    post_question(client, kept_attachment=token)

    assert not MailboxItem.objects.get().attachment


# --- Staff -------------------------------------------------------------------


def test_the_queue_lists_overdue_items_first_and_marks_them(
    client, member, organiser, settings
):
    settings.SCHOOL_MAILBOX_NOW = datetime.datetime(2026, 3, 12, 9, tzinfo=SHANGHAI)
    fresh = ask(
        member, text="新的问题", at=datetime.datetime(2026, 3, 11, 9, tzinfo=SHANGHAI)
    )
    late = ask(member, text="超期的问题")  # due Tuesday 10 March
    answered = ask(member, text="答复过的问题", at=FRIDAY_AFTERNOON)
    services.mailbox_item_answer(item=answered, by=organiser, text="已答复")
    client.force_login(organiser)

    response = client.get("/admin/mailbox_queue/")

    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert [r.pk for r in rows] == [late.pk, fresh.pk, answered.pk]
    assert [r.overdue for r in rows] == [True, False, False]
    assert "已超期" in response.content.decode()


def test_staff_assign_answer_and_close(
    client, member, organiser, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOL_MAILBOX_NOW = FRIDAY_AFTERNOON + datetime.timedelta(hours=1)
    item = ask(member)
    colleague = people.organiser(item.branch)
    client.force_login(organiser)
    url = f"/admin/mailbox_queue/{item.pk}/"

    client.post(url, {"action": "assign", "assigned_to": colleague.pk})
    item.refresh_from_db()
    assert item.assigned_to == colleague

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "answer", "answer": "可以在手机上交。"})
    item.refresh_from_db()
    assert item.status == MailboxItem.Status.ANSWERED
    assert item.answered_on_time is True
    assert mail.outbox[-1].to == [member.email]
    assert "可以在手机上交。" in mail.outbox[-1].body

    client.post(url, {"action": "close"})
    item.refresh_from_db()
    assert item.status == MailboxItem.Status.CLOSED


def test_an_empty_answer_is_refused(client, member, organiser):
    item = ask(member)
    client.force_login(organiser)

    response = client.post(f"/admin/mailbox_queue/{item.pk}/", {"action": "answer"})

    assert response.status_code == 200
    assert "请填写答复" in response.content.decode()
    item.refresh_from_db()
    assert item.status == MailboxItem.Status.OPEN


def test_assigning_to_someone_outside_the_branch_is_refused(member, organiser):
    item = ask(member)
    stranger = people.organiser(people.branch())

    with pytest.raises(services.ValidationError):
        services.mailbox_item_assign(item=item, by=organiser, to=stranger)


def test_a_late_answer_counts_as_late(member, organiser):
    item = ask(member)

    item = services.mailbox_item_answer(
        item=item,
        by=organiser,
        text="晚了",
        at=datetime.datetime(2026, 3, 11, 9, tzinfo=SHANGHAI),
    )

    assert item.answered_on_time is False


# --- The member's one reply --------------------------------------------------


def test_the_member_sees_the_answer_and_may_reply_once_to_reopen(
    client, member, organiser
):
    item = ask(member)
    services.mailbox_item_answer(item=item, by=organiser, text="请联系支部书记。")
    client.force_login(member)
    url = f"/me/mailbox/{item.pk}/"
    assert "请联系支部书记。" in client.get(url).content.decode()

    client.post(url, {"text": "书记的电话是多少？"})

    item.refresh_from_db()
    assert item.status == MailboxItem.Status.OPEN
    assert item.reply_due_on is not None
    page = client.get(url).content.decode()
    assert "书记的电话是多少？" in page
    assert "发送追问" not in page

    services.mailbox_item_answer(item=item, by=organiser, text="电话已发您邮箱。")
    client.post(url, {"text": "再问一次"})
    assert MailboxMessage.objects.filter(from_member=True).count() == 1
    with pytest.raises(services.ValidationError):
        services.mailbox_item_reply(item=item, member=member, text="再问一次")


def test_a_second_follow_up_from_an_old_tab_says_why_and_keeps_the_text(
    client, member, organiser
):
    item = ask(member)
    services.mailbox_item_answer(item=item, by=organiser, text="请联系支部书记。")
    services.mailbox_item_reply(item=item, member=member, text="第一个窗口的追问")
    client.force_login(member)
    url = f"/me/mailbox/{item.pk}/"

    # The second tab still shows the reply box and sends its own text.
    response = client.post(url, {"text": "第二个窗口写的追问"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "您已经对这条答复追问过一次" in html
    assert "第二个窗口写的追问" in html
    assert "作为新的留言发送" in html
    assert MailboxMessage.objects.filter(from_member=True).count() == 1

    # Carried to a new question, the text is in the box, nothing sent yet.
    carried = client.post(
        "/mailbox/", {"carry_text": "1", "text": "第二个窗口写的追问"}
    ).content.decode()
    assert "第二个窗口写的追问" in carried
    assert "errorlist" not in carried
    assert MailboxItem.objects.count() == 1


def test_the_member_reads_the_answer_in_the_list_of_questions(
    client, member, organiser
):
    item = ask(member, text="党费交到哪里？")
    services.mailbox_item_answer(item=item, by=organiser, text="交到组织关系所在支部。")
    ask(member, text="还没有答复的问题")
    client.force_login(member)

    page = client.get("/me/mailbox/").content.decode()

    assert page.count("交到组织关系所在支部。") == 1
    assert "还没有答复的问题" in page


def test_the_database_allows_one_member_reply(member, organiser):
    item = ask(member)
    now = FRIDAY_AFTERNOON
    MailboxMessage.objects.create(
        item=item, from_member=True, text="一", created_at=now
    )

    with pytest.raises(IntegrityError):
        MailboxMessage.objects.create(
            item=item, from_member=True, text="二", created_at=now
        )


def test_a_member_cannot_reply_before_an_answer(member):
    item = ask(member)

    with pytest.raises(services.ValidationError):
        services.mailbox_item_reply(item=item, member=member, text="催一下")


def test_the_first_answer_decides_the_on_time_share(member, organiser):
    item = ask(member)
    services.mailbox_item_answer(
        item=item, by=organiser, text="一", at=FRIDAY_AFTERNOON
    )
    services.mailbox_item_reply(
        item=item,
        member=member,
        text="二",
        at=datetime.datetime(2026, 3, 20, 9, tzinfo=SHANGHAI),
    )
    services.mailbox_item_answer(
        item=item,
        by=organiser,
        text="三",
        at=datetime.datetime(2026, 4, 20, 9, tzinfo=SHANGHAI),
    )

    item.refresh_from_db()
    assert item.answered_on_time is True
    assert item.reply_due_on == datetime.date(2026, 3, 24)


# --- Report ------------------------------------------------------------------


def test_the_report_gives_the_on_time_share_per_month_and_branch(
    client, member, organiser, settings
):
    settings.SCHOOL_MAILBOX_NOW = datetime.datetime(2026, 4, 20, 9, tzinfo=SHANGHAI)
    on_time = ask(member)
    late = ask(member)
    ask(member)  # never answered: overdue
    services.mailbox_item_answer(
        item=on_time, by=organiser, text="好", at=FRIDAY_AFTERNOON
    )
    services.mailbox_item_answer(
        item=late,
        by=organiser,
        text="晚",
        at=datetime.datetime(2026, 3, 20, tzinfo=SHANGHAI),
    )
    other_branch = people.member(people.branch(name="城西党支部")).user
    ask(other_branch, at=datetime.datetime(2026, 4, 1, 9, tzinfo=SHANGHAI))
    client.force_login(people.superuser())

    response = client.get("/admin/mailbox_report/")

    rows = {
        (f"{r['month']:%Y-%m}", r["branch__name"]): r
        for r in response.context["object_list"]
    }
    march = rows[("2026-03", "城东党支部")]
    assert (
        march["received"],
        march["answered"],
        march["on_time"],
        march["overdue"],
    ) == (3, 2, 1, 1)
    html = response.content.decode()
    assert "33%" in html
    assert ("2026-04", "城西党支部") in rows
    export = client.get("/admin/mailbox_report/?export=csv")
    assert export.status_code == 200
    assert "33%" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_the_queue_exports_local_times_and_plain_answers(client, member, organiser):
    item = ask(member)
    services.mailbox_item_answer(
        item=item,
        by=organiser,
        text="好",
        at=datetime.datetime(2026, 3, 9, 10, 5, tzinfo=SHANGHAI),
    )
    client.force_login(organiser)

    export = client.get("/admin/mailbox_queue/?export=csv")
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()

    assert rows[1].split(",")[3:] == [
        "2026-03-06 15:30",
        "2026-03-10",
        "已答复",
        "2026-03-09 10:05",
        "是",
    ]
    xlsx = client.get("/admin/mailbox_queue/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(2, 4).value == datetime.datetime(2026, 3, 6, 15, 30)
    assert sheet.cell(2, 8).value == "是"


def test_an_organiser_reports_only_on_their_branches(client, member, organiser):
    ask(member)
    ask(people.member(people.branch(name="城西党支部")).user)
    client.force_login(organiser)

    response = client.get("/admin/mailbox_report/")

    assert {r["branch__name"] for r in response.context["object_list"]} == {
        "城东党支部"
    }


# --- Who sees what -----------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/mailbox/", "/me/mailbox/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (MemberProfile.Status.CONFIRMED, True),
        (MemberProfile.Status.PENDING, True),
        (MemberProfile.Status.REJECTED, False),
        (MemberProfile.Status.LEFT, False),
    ],
)
def test_who_may_write_in(client, status, allowed):
    user = people.member(status=status).user
    client.force_login(user)

    response = post_question(client)

    assert MailboxItem.objects.exists() is allowed
    if not allowed:
        assert response.status_code == 403


def test_a_member_sees_only_their_own_questions(client, member):
    mine = ask(member, text="我的问题")
    theirs = ask(people.member().user, text="别人的问题", attachment=f.pdf_upload())
    client.force_login(member)

    listing = client.get("/me/mailbox/").content.decode()

    assert "我的问题" in listing
    assert "别人的问题" not in listing
    assert client.get(f"/me/mailbox/{mine.pk}/").status_code == 200
    assert client.get(f"/me/mailbox/{theirs.pk}/").status_code == 404
    assert client.get(f"/me/mailbox/{theirs.pk}/attachment/").status_code == 404
    assert client.post(f"/me/mailbox/{theirs.pk}/", {"text": "x"}).status_code == 404


def test_members_cannot_open_the_staff_queue(client, member):
    item = ask(member)
    client.force_login(member)

    for url in ("/admin/mailbox_queue/", f"/admin/mailbox_queue/{item.pk}/"):
        assert client.get(url).status_code == 404


def test_an_organiser_sees_only_their_branchs_items(client, member, organiser):
    mine = ask(member, text="本支部的问题")
    other = ask(people.member(people.branch()).user, text="外支部的问题")
    client.force_login(organiser)

    queue = client.get("/admin/mailbox_queue/").content.decode()

    assert "本支部的问题" in queue
    assert "外支部的问题" not in queue
    assert client.get(f"/admin/mailbox_queue/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/mailbox_queue/{other.pk}/").status_code == 404
    assert client.get(f"/admin/mailbox_queue/{other.pk}/attachment/").status_code == 404
    client.post(
        f"/admin/mailbox_queue/{other.pk}/", {"action": "answer", "answer": "x"}
    )
    other.refresh_from_db()
    assert other.status == MailboxItem.Status.OPEN
    with pytest.raises(services.ValidationError):
        services.mailbox_item_answer(item=other, by=organiser, text="x")


def test_an_organiser_of_a_parent_branch_sees_sub_branches(client, branch):
    parent_organiser = people.organiser(people.branch())
    sub = people.branch(parent=parent_organiser.organised_branches.get())
    item = ask(people.member(sub).user)
    client.force_login(parent_organiser)

    assert client.get(f"/admin/mailbox_queue/{item.pk}/").status_code == 200


def test_the_mailbox_group_sees_every_branch(client, member):
    staff = f.mailbox_staff()
    items = [ask(member), ask(people.member(people.branch()).user)]
    client.force_login(staff)

    response = client.get("/admin/mailbox_queue/")

    assert {r.pk for r in response.context["object_list"]} == {i.pk for i in items}


def test_editors_without_a_branch_do_not_see_the_mailbox(client, member):
    item = ask(member)
    client.force_login(people.editor())

    # Wagtail answers a refused admin view with a redirect to the dashboard.
    for url in ("/admin/mailbox_queue/", f"/admin/mailbox_queue/{item.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "党费怎么交" not in response.content.decode()


def test_the_mailbox_group_edits_the_holiday_calendar(client):
    client.force_login(f.mailbox_staff())

    response = client.post(
        "/admin/snippets/home/calendarday/add/",
        {"date": "2026-10-10", "kind": "workday", "name": "国庆调休"},
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get().kind == "workday"


def test_too_long_text_is_refused_in_the_schools_words_and_kept(client, member):
    client.force_login(member)
    text = "长" * 2001

    html = post_question(client, text=text).content.decode()

    assert "这段文字有 2001 字，超过了 2000 字的上限" in html
    assert "确保" not in html
    assert text in html
    assert not MailboxItem.objects.exists()


def test_the_box_has_a_count_but_no_browser_limit_that_cuts_a_paste(client, member):
    client.force_login(member)

    html = client.get("/mailbox/").content.decode()

    assert 'data-max-length="2000"' in html
    assert "maxlength" not in html
    assert "js/char-count.js" in html


def test_line_breaks_count_once_as_the_member_sees_them(client, member):
    client.force_login(member)
    text = "\r\n".join(["字" * 99] * 20)  # 1980 characters and 19 line breaks

    post_question(client, text=text)

    assert MailboxItem.objects.get().text == text.replace("\r\n", "\n")


def test_organisers_keep_the_holiday_calendar_too(client, organiser):
    client.force_login(organiser)

    response = client.post(
        "/admin/snippets/home/calendarday/add/",
        {"date": "2027-02-06", "kind": "holiday", "name": "春节"},
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get().name == "春节"


def test_the_queue_warns_when_no_holidays_are_entered_for_60_days(
    client, organiser, settings
):
    settings.SCHOOL_MAILBOX_NOW = FRIDAY_AFTERNOON
    client.force_login(organiser)
    warning = "未来 60 天内没有登记任何节假日或调休日"

    assert warning in client.get("/admin/mailbox_queue/").content.decode()

    CalendarDay.objects.create(date=datetime.date(2026, 5, 20), kind="holiday")
    assert warning in client.get("/admin/mailbox_queue/").content.decode()

    CalendarDay.objects.create(date=datetime.date(2026, 4, 5), kind="holiday")
    assert warning not in client.get("/admin/mailbox_queue/").content.decode()


# --- Query counts ------------------------------------------------------------


def test_lists_do_not_grow_queries_with_items(
    client, member, organiser, django_assert_max_num_queries
):
    for _ in range(2):
        ask(member)
    client.force_login(organiser)
    client.get("/admin/mailbox_queue/")
    with django_assert_max_num_queries(60) as few:
        client.get("/admin/mailbox_queue/")
    client.force_login(member)
    with django_assert_max_num_queries(60) as few_mine:
        client.get("/me/mailbox/")
    for _ in range(10):
        services.mailbox_item_answer(item=ask(member), by=organiser, text="答复")

    client.force_login(organiser)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/mailbox_queue/")
    client.force_login(member)
    with django_assert_max_num_queries(len(few_mine.captured_queries)):
        client.get("/me/mailbox/")


def test_the_report_counts_its_rows_not_mailbox_items(client, member, settings):
    settings.SCHOOL_MAILBOX_NOW = datetime.datetime(2026, 4, 20, 9, tzinfo=SHANGHAI)
    ask(member)
    ask(member)
    client.force_login(people.superuser())

    html = client.get("/admin/mailbox_report/").content.decode()

    footer = html.split('class="pagination__end"', 1)[1].split("</div>", 1)[0]
    assert "1 行" in footer
    assert "信箱事项" not in footer
