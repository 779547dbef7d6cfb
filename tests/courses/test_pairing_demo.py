"""The demo "1+1" pairing that `make run` serves: the demo contact logs in and
sees the demo member 张伟 first, flagged red."""

import io

import pytest
from django.core.management import call_command

from courses.models import ContactLog, MonthlyReport, Pairing, StudyRecord
from tests.factories import demo_seeded


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("seed-media")
    with demo_seeded(django_db_blocker, media_root) as seeded:
        yield seeded


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_demo_contact_sees_the_red_demo_member_first(demo, client):
    assert "contact@example.com / password: demo-contact-2026" in demo.output
    assert client.login(email="contact@example.com", password="demo-contact-2026")

    response = client.get("/contact/")

    cards = [(c.member.real_name, c.flag) for c in response.context["cards"]]
    assert cards == [("张伟", "red"), ("刘秀英", "amber"), ("赵磊", "")]
    assert cards[0][0] == "张伟"
    zhang = response.context["cards"][0].member
    assert zhang.user.email == "member@example.com"


def test_demo_member_sees_the_notice_of_their_contact(demo, client):
    assert client.login(email="member@example.com", password="demo-member-2026")
    page = client.get("/me/study/").content.decode()
    assert "您的帮学联系人是王志强" in page
    assert "本月请学完《党章党规基础》的前两节" in page


def test_second_run_changes_nothing(demo):
    counts = [
        model.objects.count()
        for model in (Pairing, ContactLog, MonthlyReport, StudyRecord)
    ]
    call_command("seed_demo", stdout=io.StringIO())
    assert [
        model.objects.count()
        for model in (Pairing, ContactLog, MonthlyReport, StudyRecord)
    ] == counts
    assert counts[0] == 3
