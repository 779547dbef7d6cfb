"""Pairings in the data download and on account deletion: thinking reports
and monthly reports are never given to the member they are about."""

import pytest
from django.utils import timezone

from courses.models import ContactLog, MonthlyReport, Pairing
from courses.pairing import services
from school.members.registry import anonymise_user_data, export_user_data
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing():
    branch = f.branch()
    contact = f.member(branch, name="王联系")
    member = f.member(branch, name="张党员")
    pairing = pf.pair(contact, member)
    pf.contacted(pairing, kind="notice", note="通报：本月学党章")
    pf.contacted(pairing, kind="guidance", note="指导时的内部记录")
    pf.contacted(pairing, kind="report", note="思想汇报内容")
    services.monthly_report_submit(
        member=member, by=contact.user, month=timezone.localdate(), note="月报内容"
    )
    return pairing


def test_the_member_gets_notices_but_never_reports(pairing):
    data = export_user_data(pairing.member.user)

    assert data["study_pairings"]["my_study_contacts"][0]["contact"] == "王联系"
    contacts = data["study_contacts"]
    assert [c["kind"] for c in contacts] == ["notice", "guidance"]
    assert contacts[0]["note"] == "通报：本月学党章"
    assert contacts[1]["note"] is None
    flat = str(data)
    assert "思想汇报内容" not in flat
    assert "月报内容" not in flat
    assert "指导时的内部记录" not in flat


def test_the_contact_sees_whom_they_helped(pairing):
    data = export_user_data(pairing.contact.user)
    assert data["study_pairings"]["members_i_helped"][0]["member"] == "张党员"
    assert data["study_contacts"] == []


def test_deleting_the_member_blanks_what_was_written_about_them(pairing):
    anonymise_user_data(pairing.member.user)
    assert set(ContactLog.objects.values_list("note", flat=True)) == {""}
    assert MonthlyReport.objects.get().note == ""
    assert Pairing.objects.filter(pk=pairing.pk).exists()


def test_deleting_the_contact_ends_their_pairings(pairing):
    anonymise_user_data(pairing.contact.user)
    pairing.refresh_from_db()
    assert pairing.ended_on == timezone.localdate()
