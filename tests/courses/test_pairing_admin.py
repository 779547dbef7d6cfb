"""The organisers' "1+1" back office in the Wagtail admin: pairing, ending,
the overview, contact logs and the monthly report ledger with its export."""

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import MonthlyReport, Pairing
from courses.pairing import selectors, services
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def workbook(response):
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def add(client, contact, members, started_on=None):
    return client.post(
        reverse("pairings:add"),
        {
            "contact": contact.pk,
            "members": [m.pk for m in members],
            "started_on": (started_on or timezone.localdate()).isoformat(),
        },
    )


def test_organiser_pairs_a_contact_with_members_in_the_admin(
    admin_client, branch, contact
):
    members = [f.member(branch, name="张一"), f.member(branch, name="张二")]
    form = admin_client.get(reverse("pairings:add"))
    assert form.status_code == 200
    assert "张一" in form.content.decode()

    response = admin_client.post(
        reverse("pairings:add"),
        {
            "contact": contact.pk,
            "members": [m.pk for m in members],
            "started_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )

    assert "已将张一、张二与帮学联系人王联系结对" in page_text(response)
    assert set(Pairing.objects.values_list("member__real_name", flat=True)) == {
        "张一",
        "张二",
    }


def test_admin_form_refuses_self_pairing_and_already_paired(
    admin_client, branch, contact
):
    member = f.member(branch, name="张一")
    pf.pair(f.member(branch, name="李先到"), member)

    form = admin_client.get(reverse("pairings:add"))
    # Already paired members are not offered ...
    assert f'name="members" value="{member.pk}"' not in form.content.decode()
    # ... and a form loaded before another organiser paired them says why.
    taken = add(admin_client, contact, [member])
    assert taken.status_code == 200
    assert "张一 已有帮学联系人：李先到。" in page_text(taken)

    self_pair = add(admin_client, contact, [contact])
    assert "不能与自己结对" in page_text(self_pair)
    assert Pairing.objects.count() == 1


def test_admin_refuses_members_of_other_branches(admin_client, contact):
    stranger = f.member(f.branch(name="城西党支部"), name="赵外支")
    response = add(admin_client, contact, [stranger])
    assert "只能为您所管理党支部的已确认党员结对" in page_text(response)
    assert "赵外支" not in page_text(response)
    assert not Pairing.objects.exists()


def test_a_member_number_too_big_for_the_database_is_a_form_error(
    admin_client, contact
):
    response = admin_client.post(
        reverse("pairings:add"),
        {
            "contact": contact.pk,
            "members": ["9" * 20],
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "只能为您所管理党支部的已确认党员结对" in page_text(response)
    assert not Pairing.objects.exists()


def test_a_lost_race_in_the_admin_shows_a_message_not_a_500(
    admin_client, branch, contact, monkeypatch
):
    member = f.member(branch, name="张一")
    real_create = services.pairing_create_many

    def other_organiser_first(**kwargs):
        # The other organiser's save lands between our form check and ours.
        Pairing.objects.create(contact=f.member(branch), member=member)
        monkeypatch.setattr(services, "_pairing_errors", lambda **kw: [])
        return real_create(**kwargs)

    monkeypatch.setattr(services, "pairing_create_many", other_organiser_first)
    response = add(admin_client, contact, [member])

    assert response.status_code == 200
    assert "其他管理员刚刚为其中的党员安排了帮学联系人" in page_text(response)
    # (The simulated rival ran inside our request's transaction, so it rolled
    # back with ours; the threaded service test covers two real transactions.)
    assert not Pairing.objects.filter(member=member, contact=contact).exists()


def test_organiser_ends_a_pairing_and_it_stays_as_history(
    admin_client, branch, contact
):
    pairing = pf.pair(contact, f.member(branch, name="张一"), started_days_ago=20)
    url = reverse("pairings:edit", args=[pairing.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url, {"ended_on": pf.days_ago(1).isoformat()}, follow=True
    )

    assert "张一与王联系的结对已结束" in page_text(response)
    pairing.refresh_from_db()
    assert pairing.ended_on == pf.days_ago(1)
    # Still listed, as ended; cannot be ended again or deleted.
    listing = page_text(admin_client.get(reverse("pairings:index")))
    assert "张一" in listing and "已结束" in listing
    assert admin_client.get(url).status_code == 404
    assert admin_client.get(
        reverse("pairings:delete", args=[pairing.pk])
    ).status_code in (
        302,
        403,
    )
    assert Pairing.objects.filter(pk=pairing.pk).exists()


def test_an_active_pairing_and_a_plain_contact_log_show_no_python_none(
    admin_client, branch, contact
):
    pairing = pf.pair(contact, f.member(branch, name="张一"))
    log = pf.contacted(pairing)

    for url in (
        reverse("pairings:inspect", args=[pairing.pk]),
        reverse("contact_logs:inspect", args=[log.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "None" not in page_text(response)


def test_other_branches_pairings_are_404(admin_client):
    other = f.branch()
    pairing = pf.pair(f.member(other), f.member(other))
    for name in ("pairings:inspect", "pairings:edit"):
        response = admin_client.get(reverse(name, args=[pairing.pk]))
        assert response.status_code == 404, name
    assert pairing.member.real_name not in page_text(
        admin_client.get(reverse("pairings:index"))
    )


def test_overview_shows_coverage_loads_and_unpaired_members(
    admin_client, branch, contact
):
    paired = [f.member(branch, name=f"已结对{i}") for i in range(2)]
    for member in paired:
        pf.pair(contact, member)
    f.member(branch, name="未结对甲")
    ended = f.member(branch, name="结对已结束")
    pf.pair(f.member(branch, name="李联系"), ended, ended_on=pf.days_ago(1))
    # 6 confirmed members (2 contacts included), 2 with an active contact.

    response = admin_client.get(reverse("pairing_overview:index"))

    assert response.status_code == 200
    assert response.context["coverage"] == {
        "members": 6,
        "covered": 2,
        "uncovered": 4,
        "percent": 33,
    }
    page = page_text(response)
    assert "33%" in page
    assert "王联系" in page
    loads = {c.real_name: c.load for c in response.context["contacts"]}
    assert loads == {"王联系": 2}
    rows = [row.real_name for row in response.context["object_list"]]
    assert "未结对甲" in rows and "结对已结束" in rows
    assert "已结对0" not in rows
    export = admin_client.get(reverse("pairing_overview:index"), {"export": "xlsx"})
    sheet = workbook(export)
    assert "未结对甲" in [row[0].value for row in sheet.iter_rows()]


def test_contact_logs_including_thinking_reports_are_read_by_organisers(
    admin_client, branch, contact
):
    pairing = pf.pair(contact, f.member(branch, name="张一"))
    pf.contacted(pairing, kind="report", note="思想稳定的汇报")
    elsewhere = pf.pair(f.member(other := f.branch()), f.member(other))
    pf.contacted(elsewhere, kind="report", note="别支部的汇报")

    listing = page_text(admin_client.get(reverse("contact_logs:index")))

    assert "思想稳定的汇报" in listing
    assert "别支部的汇报" not in listing
    log = elsewhere.logs.get()
    assert (
        admin_client.get(reverse("contact_logs:inspect", args=[log.pk])).status_code
        == 404
    )


def test_report_ledger_shows_who_submitted_and_who_is_missing_with_xlsx(
    admin_client, branch, contact
):
    done = f.member(branch, name="已交")
    missing = f.member(branch, name="未交")
    pf.pair(contact, done, started_days_ago=90)
    pf.pair(contact, missing, started_days_ago=90)
    month = selectors.previous_month(timezone.localdate())
    services.monthly_report_submit(
        member=done, by=contact.user, month=month, note="本月表现很好"
    )
    params = {"month": month.strftime("%Y-%m")}

    response = admin_client.get(reverse("pairing_reports:index"), params)

    assert response.status_code == 200
    assert response.context["ledger"]["submitted"] == 1
    assert response.context["ledger"]["missing"] == 1
    page = page_text(response)
    assert "应交 2 份，已交 1 份 · 未交 1 份" in page
    assert "本月表现很好" in page
    only_missing = admin_client.get(
        reverse("pairing_reports:index"), {**params, "status": "missing"}
    )
    assert [r.member.real_name for r in only_missing.context["object_list"]] == ["未交"]
    export = admin_client.get(
        reverse("pairing_reports:index"), {**params, "export": "xlsx"}
    )
    assert export.status_code == 200
    sheet = workbook(export)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["党员", "党支部", "帮学联系人", "已提交"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["已交"][3] == "是"
    assert by_name["已交"][7] == "本月表现很好"
    assert by_name["未交"][3] == "未提交"
    assert MonthlyReport.objects.count() == 1


def test_members_and_contacts_have_no_pairing_back_office(branch):
    member = f.member(branch)
    client = Client()
    client.force_login(member.user)
    pf.pair(member, f.member(branch))  # a contact, too: still no back office
    for name in ("pairings:index", "pairing_overview:index", "pairing_reports:index"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403, 404), name


def test_pairing_overview_query_count_does_not_grow(
    admin_client, branch, django_assert_max_num_queries
):
    def add_members(n):
        for _ in range(n):
            contact = f.member(branch)
            pf.pair(contact, f.member(branch))
            f.member(branch)

    add_members(3)
    url = reverse("pairing_overview:index")
    with django_assert_max_num_queries(60) as few:
        admin_client.get(url)
    add_members(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)
    ledger = reverse("pairing_reports:index")
    with django_assert_max_num_queries(60) as few:
        admin_client.get(ledger)
    add_members(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(ledger)


def test_an_editor_has_no_pairing_back_office():
    from tests.members import factories as people

    client = Client()
    client.force_login(people.editor(username="editor-pairing"))
    for name in ("pairings:index", "pairing_overview:index", "pairing_reports:index"):
        assert client.get(reverse(name)).status_code in (302, 403), name
    assert client.get(reverse("contact_logs:index")).status_code in (302, 403)


def test_pairing_rows_link_to_their_page_and_to_ending(admin_client, branch, contact):
    pairing = pf.pair(contact, f.member(branch, name="张一"))

    html = admin_client.get(reverse("pairings:index")).content.decode()

    assert f'href="{reverse("pairings:inspect", args=[pairing.pk])}"' in html
    assert f'href="{reverse("pairings:edit", args=[pairing.pk])}"' in html


def test_contact_log_rows_link_to_their_page(admin_client, branch, contact):
    log = pf.contacted(pf.pair(contact, f.member(branch, name="张一")))

    html = admin_client.get(reverse("contact_logs:index")).content.decode()

    assert f'href="{reverse("contact_logs:inspect", args=[log.pk])}"' in html


def test_pairing_dates_read_as_dates_not_as_times_ago(admin_client, branch, contact):
    started = pf.days_ago(35)
    pf.pair(contact, f.member(branch, name="张一"), started_days_ago=35)
    pf.pair(contact, f.member(branch, name="张二"), started_days_ago=0)

    text = page_text(admin_client.get(reverse("pairings:index")))

    assert f"{started.year}年{started.month}月{started.day}日" in text
    assert "之前" not in text


def test_admin_wording_is_chinese(admin_client, contact):
    html = admin_client.get(reverse("pairings:add")).content.decode()
    assert "New: " not in html and "Save your changes before leaving" not in html
    assert "新建结对" in html
    html = admin_client.post(reverse("pairings:add"), {}).content.decode()
    assert "Go to the first error" not in html and "转到第一处错误" in html


def test_report_ledger_month_says_yuefen(admin_client):
    text = page_text(admin_client.get(reverse("pairing_reports:index")))
    assert "月份" in text and "月度 " not in text
