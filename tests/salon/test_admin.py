import datetime
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from salon import services
from salon.models import SalonPage
from tests.salon import factories as f


def sign_up(salon, member):
    return services.registration_create(salon=salon, user=member.user)


@pytest.fixture
def filled_salon(db, monkeypatch):
    f.the_day_before_it_starts(monkeypatch)
    salon = f.salon(capacity=2, title="春季红色沙龙")
    a = sign_up(salon, f.member("王芳", salon.branch, mobile="13800000001"))
    sign_up(salon, f.member("李强", salon.branch, mobile="13800000002"))
    # From another branch, joining the salon nearest to where they work.
    sign_up(salon, f.member("赵敏", mobile="13800000003"))
    organiser = f.admin_organiser(salon.branch)
    services.registration_check_in(registration=a, by=organiser)
    return salon, organiser


def test_organisers_see_their_salons_registrations_with_status_and_check_in(
    client, filled_salon
):
    salon, organiser = filled_salon
    other = f.salon(title="别的支部沙龙")
    sign_up(other, f.member("外人"))
    client.force_login(organiser)

    response = client.get("/admin/salon_registrations/")

    html = response.content.decode()
    assert response.status_code == 200
    for text in ["王芳", "李强", "赵敏", "已确认名额", "候补中"]:
        assert text in html
    assert "外人" not in html


def test_the_registration_list_does_not_grow_queries_with_rows(
    client, filled_salon, django_assert_max_num_queries
):
    salon, organiser = filled_salon
    client.force_login(organiser)
    client.get("/admin/salon_registrations/")
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/salon_registrations/")
    for i in range(10):
        sign_up(salon, f.member(f"候补{i}"))
    with django_assert_max_num_queries(len(few)):
        response = client.get("/admin/salon_registrations/")
    assert response.status_code == 200
    assert "候补9" in response.content.decode()


def _rows_of_listing(html):
    table = html.split('<table class="listing', 1)[1]
    body = table.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        # The first cell also holds the row's action menu; keep its link text.
        cells = re.findall(r"<td.*?>(.*?)</td>", row, re.S)
        cells[0] = re.search(r"<a [^>]*>(.*?)</a>", cells[0], re.S).group(1)
        rows.append([re.sub(r"<.*?>|\s+", " ", c).strip() for c in cells])
    return rows


def test_the_xlsx_export_opens_with_openpyxl_and_matches_the_page(client, filled_salon):
    salon, organiser = filled_salon
    client.force_login(organiser)
    page_rows = _rows_of_listing(
        client.get(f"/admin/salon_registrations/?salon={salon.pk}").content.decode()
    )

    response = client.get(f"/admin/salon_registrations/?salon={salon.pk}&export=xlsx")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("党员", "党支部", "手机号码", "红色沙龙", "状态")
    data = rows[1:]
    assert len(data) == len(page_rows) == 3
    for exported, shown in zip(data, page_rows, strict=True):
        checked_in = exported[5].strftime("%Y-%m-%d %H:%M") if exported[5] else ""
        assert [*exported[:5], checked_in, exported[6] or ""] == shown
    assert [row[0] for row in data] == ["王芳", "李强", "赵敏"]
    assert data[0][5].date() == timezone.localdate()


def test_the_csv_export_lists_the_same_rows(client, filled_salon):
    salon, organiser = filled_salon
    client.force_login(organiser)
    response = client.get(f"/admin/salon_registrations/?salon={salon.pk}&export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 4
    assert "王芳" in text and "13800000001" in text


def test_a_registrant_from_another_branch_shows_with_a_masked_number(
    client, filled_salon
):
    salon, organiser = filled_salon
    client.force_login(organiser)

    listing = client.get("/admin/salon_registrations/").content.decode()
    export = b"".join(
        client.get("/admin/salon_registrations/?export=csv").streaming_content
    ).decode("utf-8-sig")

    for shown in (listing, export):
        assert "赵敏" in shown and "138****0003" in shown
        assert "13800000003" not in shown
        assert "13800000002" in shown


def test_members_cannot_open_the_organiser_admin_views(client, filled_salon):
    from django.contrib.auth.models import Permission

    # An editor may enter the admin but organises no branch.
    editor = f.user()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "春季红色沙龙" not in client.get("/admin/").content.decode()
    for url in [
        "/admin/salon_registrations/",
        "/admin/salon_attendance/",
        "/admin/salon_email/",
    ]:
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.get("/admin/salon_registrations/?export=csv").status_code != 200


def test_attendance_across_past_salons_per_member(client, db, monkeypatch):
    f.the_day_before_it_starts(monkeypatch)
    now = timezone.now()
    the_branch = f.branch()
    organiser = f.admin_organiser(the_branch)
    came, absent = f.member("到场者", the_branch), f.member("缺席者", the_branch)
    for days in (200, 100):
        salon = f.salon(
            the_branch=the_branch, starts_at=now + datetime.timedelta(days=1)
        )
        for m in (came, absent):
            sign_up(salon, m)
        services.registration_check_in(
            registration=salon.registrations.get(member=came), by=organiser
        )
        # Move the salon into the past.
        start = now - datetime.timedelta(days=days)
        SalonPage.objects.filter(pk=salon.pk).update(
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            year=start.year,
            quarter=(start.month - 1) // 3 + 1,
            signup_opens_at=start - datetime.timedelta(days=3),
            signup_closes_at=start - datetime.timedelta(days=1),
        )
    client.force_login(organiser)

    response = client.get("/admin/salon_attendance/?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {row[0]: row for row in book.active.iter_rows(values_only=True)}
    assert rows["到场者"][3:6] == (2, 2, 0)
    assert rows["缺席者"][3:6] == (2, 0, 2)
    html = client.get("/admin/salon_attendance/").content.decode()
    assert "到场者" in html and "缺席者" in html


def test_group_email_from_the_admin(committing_client, filled_salon):
    client = committing_client
    salon, organiser = filled_salon
    client.force_login(organiser)
    data = {"salon": salon.pk, "group": "no_show", "subject": "会议纪要"}
    data["message"] = "请查收"

    # Before the salon has taken place nobody can have missed it.
    refused = client.post("/admin/salon_email/", {**data, "confirm": "1"})
    assert refused.status_code == 200 and not mail.outbox
    assert "沙龙尚未举行" in refused.content.decode()
    SalonPage.objects.filter(pk=salon.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    # The count of recipients comes first; nothing is sent yet.
    preview = client.post("/admin/salon_email/", data).content.decode()
    assert 'data-recipients="1"' in preview and "将发送给 1 名党员" in preview
    assert not mail.outbox

    response = client.post(
        "/admin/salon_email/",
        {
            "salon": salon.pk,
            "group": "no_show",
            "subject": "会议纪要",
            "message": "请查收",
            "confirm": "1",
        },
    )

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [
        [salon.registrations.get(member__real_name="李强").member.user.email]
    ]
    response = client.post(
        "/admin/salon_email/",
        {"salon": salon.pk, "group": "no_show", "subject": "", "message": "保留的内容"},
    )
    assert response.status_code == 200
    assert "保留的内容" in response.content.decode()


def test_a_mail_server_down_does_not_fail_the_group_message(
    committing_client, filled_salon
):
    import smtplib
    from unittest import mock

    from school.notices.models import Notice

    client = committing_client
    salon, organiser = filled_salon
    client.force_login(organiser)
    broken = mock.Mock()
    broken.send_messages.side_effect = smtplib.SMTPServerDisconnected("down")

    with mock.patch("school.mail.get_connection", return_value=broken):
        response = client.post(
            "/admin/salon_email/",
            {
                "salon": salon.pk,
                "group": "confirmed",
                "subject": "会议纪要",
                "message": "请查收",
                "confirm": "1",
            },
        )

    # The message is kept under each member's notices; the mail task that
    # failed is the worker's to log, not the organiser's page to break.
    assert response.status_code == 302
    assert broken.send_messages.called
    confirmed = salon.registrations.filter(status="confirmed").count()
    assert Notice.objects.filter(kind="salon_message").count() == confirmed
