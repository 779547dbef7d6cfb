"""The organiser's quarterly message to every confirmed member of their
branches, from the Wagtail admin: preview, send, record."""

import re

import pytest
from django.core import mail

from school import sms
from school.members.models import MemberProfile
from school.notices import services
from school.notices.kinds import Topic
from school.notices.models import BranchMessage, Notice
from tests.members import factories as mf

pytestmark = pytest.mark.django_db

NEW = "/admin/branch_messages/new/"


@pytest.fixture
def world():
    branch = mf.branch(name="城东支部")
    sub = mf.branch(name="城东一组", parent=branch)
    other = mf.branch(name="城西支部")
    organiser = mf.organiser(branch)
    by_sms = mf.member(
        branch,
        user_=mf.user(phone="+8613900000001", phone_verified=True),
    )
    by_both = mf.member(
        sub,
        user_=mf.user(
            phone="+8613900000002",
            phone_verified=True,
            notice_channels={Topic.BRANCH: ["sms", "email"]},
        ),
    )
    by_email = mf.member(branch)  # e-mail account without a number
    site_only = mf.member(branch, user_=mf.user(verified=False))
    pending = mf.member(branch, status=MemberProfile.Status.PENDING)
    stranger = mf.member(other)
    return locals()


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_preview_counts_each_channel(client, world):
    client.force_login(world["organiser"])

    response = client.post(
        NEW,
        {
            "branches": [world["branch"].pk, world["sub"].pk],
            "text": "九月二十日主题党日",
        },
    )

    html = response.content.decode()
    assert "4 名党员会在网站上收到；其中 2 名同时收到短信，2 名收到电子邮件" in html
    assert "【网上党校】支部消息：九月二十日主题党日" in html
    assert not Notice.objects.exists()
    assert not sms.outbox


def test_the_message_reaches_exactly_the_confirmed_members_once_on_their_channels(
    committing_client, world
):
    client = committing_client
    client.force_login(world["organiser"])

    response = client.post(
        NEW,
        {
            "branches": [world["branch"].pk, world["sub"].pk],
            "text": "九月二十日主题党日",
            "send": "1",
        },
    )

    message = BranchMessage.objects.get()
    assert response["Location"] == f"/admin/branch_messages/{message.pk}/"
    assert message.recipient_count == 4
    got = dict(Notice.objects.values_list("user_id", "channels"))
    assert got == {
        world["by_sms"].user_id: "sms",
        world["by_both"].user_id: "sms,email",
        world["by_email"].user_id: "email",
        world["site_only"].user_id: "",
    }
    assert sorted(m.phone for m in sms.outbox) == ["+8613900000001", "+8613900000002"]
    # Each SMS carries the member's own short link to the notice on the site.
    links = {
        n.user.phone: f"http://testserver/n/{n.pk}"
        for n in Notice.objects.select_related("user")
    }
    assert sorted(m.text for m in sms.outbox) == sorted(
        f"支部消息：九月二十日主题党日 {links[m.phone]}" for m in sms.outbox
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["by_both"].user.email, world["by_email"].user.email]
    )
    record = client.get(response["Location"]).content.decode()
    for profile in ("by_sms", "by_both", "by_email", "site_only"):
        assert world[profile].real_name in record
    assert world["stranger"].real_name not in record
    assert world["pending"].real_name not in record


def test_an_organiser_cannot_message_another_branch(client, world):
    client.force_login(world["organiser"])

    response = client.post(
        NEW, {"branches": [world["other"].pk], "text": "你好", "send": "1"}
    )

    assert response.status_code == 200
    assert not BranchMessage.objects.exists()
    assert not Notice.objects.exists()


def test_a_message_too_long_for_one_sms_is_refused_keeping_the_text(client, world):
    client.force_login(world["organiser"])
    text = "长" * 80

    response = client.post(
        NEW, {"branches": [world["branch"].pk], "text": text, "send": "1"}
    )

    html = response.content.decode()
    assert "以便用一条短信发出" in html
    assert text in html
    assert not BranchMessage.objects.exists()


def test_members_do_not_reach_the_message_admin(client, world):
    client.force_login(world["by_sms"].user)

    assert client.get(NEW).status_code in (302, 403, 404)


def test_the_short_link_opens_the_members_own_notice(committing_client, world):
    committing_client.force_login(world["organiser"])
    committing_client.post(
        NEW, {"branches": [world["branch"].pk], "text": "周六学习", "send": "1"}
    )
    message = next(m for m in sms.outbox if m.phone == "+8613900000001")
    link = message.text.rsplit(" ", 1)[1].removeprefix("http://testserver")
    assert message.params == ["周六学习", f"http://testserver{link}"]

    committing_client.force_login(world["by_sms"].user)
    notice = committing_client.get(link, follow=True)
    assert "周六学习" in notice.content.decode()
    committing_client.force_login(world["by_email"].user)
    assert committing_client.get(link).status_code == 404


def test_the_longest_allowed_message_fits_one_sms_with_its_link(
    committing_client, world, settings
):
    settings.SITE_URL = "https://dangxiao.example.gov.cn"
    limit = services.branch_message_max_length()
    committing_client.force_login(world["organiser"])

    refused = committing_client.post(
        NEW,
        {"branches": [world["branch"].pk], "text": "长" * (limit + 1), "send": "1"},
    )
    assert f"请控制在 {limit} 个字以内" in refused.content.decode()
    committing_client.post(
        NEW, {"branches": [world["branch"].pk], "text": "长" * limit, "send": "1"}
    )

    assert sms.outbox
    for message in sms.outbox:
        assert "https://dangxiao.example.gov.cn/n/" in message.text
        assert len(sms.signed_text(message.text)) <= 70


def test_the_form_counts_live_against_the_limit_and_cuts_nothing(client, world):
    client.force_login(world["organiser"])

    html = client.get(NEW).content.decode()

    limit = services.branch_message_max_length()
    assert f'data-count-for="id_text" data-max="{limit}"' in html
    assert "char-count.js" in html
    assert "maxlength" not in re.search(r"<textarea[^>]*>", html).group(0)
    assert f"最多 {limit} 个字" in html
