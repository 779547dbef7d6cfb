"""Demo of what members write in (called from home.demo.seed): a FAQ page under
the guides, a voice submission in review and one returned with a comment, a
mailbox question answered in time and one overdue. Everything goes through the
same services as the site; each piece is looked up first, so a second run
changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import WorkflowState

from .mailbox import services as mailbox
from .mailbox.models import MailboxItem
from .models import FaqPage, GuideIndexPage, VoiceIndexPage, VoicePage
from .voice import services as voice

MEMBER_EMAIL = "member@example.com"
EDITOR_EMAIL = "editor@example.com"
ORGANISER_EMAIL = "organiser@example.com"

IN_REVIEW = {
    "title": "在工业园夜校学党史",
    "category": "study",
    "text": "下班后，园区党群服务中心开了夜校，每周二、周四讲一段党史。\n"
    "我们几个流动党员结伴去听课，回宿舍后还在手机上把课时补全。\n"
    "学习让我在异乡也找到了组织的温暖。",
}
RETURNED = {
    "title": "我的返乡创业路",
    "category": "life",
    "text": "去年我从深圳回到老家，开了一家电商小店。\n"
    "在外学到的本事，正好用在了家乡。",
    "comment": "文章很有意义。请补充一两件创业中遇到的具体困难，"
    "以及支部是怎样帮助你的，再重新提交。",
}
ON_TIME = {
    "category": "dues",
    "text": "我在深圳打工，组织关系还在老家，党费应该交到哪里？可以在手机上交吗？",
    "answer": "您好！组织关系在哪个党支部，党费就交给哪个党支部。流动党员可以按月"
    "通过手机银行或支部指定的方式交纳，也可以在返乡时补交。具体账号请联系支部书记。",
    "days_ago": 6,
}
OVERDUE = {
    "category": "organisation",
    "text": "我准备长期在东莞工作，想把组织关系转过来，需要准备哪些材料？",
    "days_ago": 10,
}
FAQ_INTRO = "<p>这里收集党员经常问到的问题。没有找到答案，请给电子信箱留言。</p>"


def _users():
    User = get_user_model()
    users = {
        email: User.objects.filter(email=email).first()
        for email in (MEMBER_EMAIL, EDITOR_EMAIL, ORGANISER_EMAIL)
    }
    return users if all(users.values()) else None


def _faq_ensure() -> int:
    if FaqPage.objects.exists():
        return 0
    guides = GuideIndexPage.objects.first()
    if guides is None:
        return 0
    page = FaqPage(title="常见问题", slug="faq", intro=FAQ_INTRO)
    guides.add_child(instance=page)
    page.save_revision().publish()
    return 1


def _submission(member, spec) -> VoicePage | None:
    if VoicePage.objects.filter(author=member, title=spec["title"]).exists():
        return None
    return voice.submission_save(
        user=member,
        title=spec["title"],
        text=spec["text"],
        category=spec["category"],
        submit=True,
    )


def _reject(page, editor, comment) -> None:
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, editor, "reject", comment=comment)


def _arrival(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _question(member, spec) -> MailboxItem | None:
    if MailboxItem.objects.filter(member=member, text=spec["text"]).exists():
        return None
    return mailbox.mailbox_item_create(
        member=member,
        category=spec["category"],
        text=spec["text"],
        faq_consent=True,
        at=_arrival(spec["days_ago"]),
    )


def seed(*, stdout):
    users = _users()
    created = _faq_ensure()
    if users is None:
        stdout.write("home: the members' demo accounts are missing; no submissions")
        return
    member, editor, organiser = (
        users[MEMBER_EMAIL],
        users[EDITOR_EMAIL],
        users[ORGANISER_EMAIL],
    )
    if member.confirmed_profile is None or not VoiceIndexPage.objects.exists():
        return
    created += _submission(member, IN_REVIEW) is not None
    returned = _submission(member, RETURNED)
    if returned is not None:
        _reject(returned, editor, RETURNED["comment"])
        created += 1

    answered = _question(member, ON_TIME)
    if answered is not None:
        answered = mailbox.mailbox_item_answer(
            item=answered,
            by=organiser,
            text=ON_TIME["answer"],
            at=answered.arrived_at + datetime.timedelta(days=1),
        )
        created += 1
        if FaqPage.objects.exists():
            mailbox.faq_entry_publish(
                item=answered,
                by=organiser,
                question="在外地打工，组织关系还在老家，党费交到哪里？能在手机上交吗？",
                answer=ON_TIME["answer"],
            )
    created += _question(member, OVERDUE) is not None
    stdout.write(f"home: {created} member submission(s), question(s) and FAQ made")
