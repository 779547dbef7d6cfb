"""Issue 17, point 11: someone marked as having left the branch (登记为离开
支部, the member profile's admin action). Their active pairings end saying
why; a member who left leaves the contact's dashboard, the weekly digest and
the month's report ledger; a contact who left leaves their members without a
contact (listed in the overview) until they are paired again."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import Pairing
from courses.pairing import selectors
from courses.pairing.reminders import reminders_send
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db


def mark_left(client, profile):
    response = client.post(reverse("member_profiles:left", args=[profile.pk]))
    assert response.status_code == 302


def test_a_member_who_leaves_ends_their_pairing_with_the_reason(
    admin_client, branch, contact, organiser
):
    member = f.member(branch, name="离开甲")
    pairing = pf.pair(contact, member)

    mark_left(admin_client, member)

    pairing.refresh_from_db()
    assert pairing.ended_on == timezone.localdate()
    assert pairing.end_reason == Pairing.EndReason.MEMBER_LEFT
    assert pairing.ended_by == organiser
    inspect = admin_client.get(reverse("pairings:inspect", args=[pairing.pk]))
    assert "党员已离开支部" in inspect.content.decode()


def test_a_member_who_left_leaves_dashboard_digest_and_ledger(
    admin_client, branch, contact, django_capture_on_commit_callbacks
):
    stays = f.member(branch, name="留下乙")
    leaves = f.member(branch, name="离开甲")
    for member in (stays, leaves):
        pf.pair(contact, member)  # never studied: both red
    today = timezone.localdate()

    mark_left(admin_client, leaves)

    names = [card.member.real_name for card in selectors.dashboard(contact.user, today)]
    assert names == ["留下乙"]
    month = selectors.month_start(today)
    ledger = selectors.expected_reports([branch.pk], month)
    assert [p.member.real_name for p in ledger] == ["留下乙"]
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    (digest,) = [m for m in mail.outbox if "本周结对帮学" in m.subject]
    assert "留下乙" in digest.body and "离开甲" not in digest.body


def test_last_months_ledger_still_expects_the_report_of_one_who_left(
    admin_client, branch, contact
):
    leaves = f.member(branch, name="离开甲")
    pf.pair(contact, leaves, started_days_ago=90)
    mark_left(admin_client, leaves)

    last_month = selectors.previous_month(selectors.month_start(timezone.localdate()))
    ledger = selectors.expected_reports([branch.pk], last_month)
    assert [p.member.real_name for p in ledger] == ["离开甲"]


def test_a_contact_who_leaves_leaves_their_members_without_a_contact(
    admin_client, branch, contact
):
    first, second = f.member(branch, name="党员甲"), f.member(branch, name="党员乙")
    pairings = [pf.pair(contact, first), pf.pair(contact, second)]

    mark_left(admin_client, contact)

    for pairing in pairings:
        pairing.refresh_from_db()
        assert pairing.end_reason == Pairing.EndReason.CONTACT_LEFT
    assert set(selectors.unpaired_members([branch.pk])) == {first, second}
    overview = admin_client.get(reverse("pairing_overview:index")).content.decode()
    section = overview[overview.index("尚无帮学联系人的党员") :]
    assert "党员甲" in section and "党员乙" in section

    newcomer = f.member(branch, name="新联系人")
    pf.pair(newcomer, first)
    assert set(selectors.unpaired_members([branch.pk])) == {second, newcomer}
