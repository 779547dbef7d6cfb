"""seed_demo's part for issue 7: submissions in review and returned, mailbox
questions answered in time and overdue, an anonymous FAQ entry."""

import io

import pytest

from home import member_demo
from home.mailbox import services as mailbox
from home.mailbox.models import MailboxItem
from home.models import FaqPage, VoicePage
from home.voice import services as voice
from school.members import demo as members_demo
from tests.home import factories as f

pytestmark = pytest.mark.django_db


def run():
    output = io.StringIO()
    member_demo.seed(stdout=output)
    return output.getvalue()


@pytest.fixture
def seeded():
    members_demo.seed(stdout=io.StringIO())
    f.voice_index()
    f.guide_index()
    run()


def test_the_demo_has_a_submission_in_review_and_one_returned(seeded):
    states = {
        page.title: (voice.submission_state(page), voice.editor_comment(page))
        for page in VoicePage.objects.filter(author__email=member_demo.MEMBER_EMAIL)
    }

    assert states[member_demo.IN_REVIEW["title"]] == ("in_review", "")
    state, comment = states[member_demo.RETURNED["title"]]
    assert state == "changes_requested"
    assert comment == member_demo.RETURNED["comment"]


def test_the_demo_has_questions_answered_in_time_and_overdue(seeded):
    items = {item.text: item for item in MailboxItem.objects.all()}

    on_time = items[member_demo.ON_TIME["text"]]
    assert on_time.answered_on_time is True
    assert on_time.faq_published_at is not None
    overdue = items[member_demo.OVERDUE["text"]]
    assert overdue.is_overdue(mailbox.today())


def test_the_demo_faq_page_sits_under_the_guides_without_the_asker(seeded, client):
    faq = FaqPage.objects.get()

    html = client.get(faq.url).content.decode()
    assert "党费交到哪里" in html
    assert "张伟" not in html
    assert "member@example.com" not in html


def test_a_second_run_changes_nothing(seeded):
    counts = (VoicePage.objects.count(), MailboxItem.objects.count())

    run()

    assert (VoicePage.objects.count(), MailboxItem.objects.count()) == counts


def test_without_the_members_demo_accounts_it_says_so():
    f.voice_index()

    assert "missing" in run()
    assert not VoicePage.objects.filter(author__isnull=False).exists()
