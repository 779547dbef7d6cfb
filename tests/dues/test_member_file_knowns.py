"""The dues and participation knowns (三掌握) on the member file page, and the
member's own data download holding dues, participation and whereabouts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dues.models import add_months
from school.members import services
from tests.members import factories
from tests.orglife import factories as of

from . import factories as df

pytestmark = pytest.mark.django_db

FILE = "/admin/members/profiles/file/{}/"


@pytest.fixture
def branch():
    return factories.branch(name="甲党支部")


@pytest.fixture
def organiser(branch):
    return factories.organiser(branch)


def _known(html, key):
    return html.split(f'data-known="{key}"')[1].split("</dl>")[0]


def test_file_shows_dues_paid_owed_amount_and_last_payment(client, branch, organiser):
    today = timezone.localdate()
    january = datetime.date(today.year, 1, 1)
    member = factories.member(branch)
    df.rate(member, "25.50", applies_from=january, by=organiser)
    df.pay(member, january, 1, "25.50", organiser, paid_on=january)
    df.pay(
        member,
        add_months(january, 1),
        1,
        "25.50",
        organiser,
        paid_on=january + datetime.timedelta(days=40),
        method="on_behalf",
        paid_by="王父",
    )
    client.force_login(organiser)
    dues = _known(client.get(FILE.format(member.pk)).content.decode(), "dues")

    assert "data-dues-paid-months>2<" in dues
    owed = today.month - 2
    assert f"data-dues-owed-months>{owed}" in dues
    if owed:
        assert f"{25.5 * owed:.2f}" in dues
    assert "25.50" in dues.split("data-dues-monthly>")[1]
    last = dues.split("data-dues-last-payment>")[1]
    assert f"{today.year}年2月" in last and "王父" in last


def test_file_shows_meetings_attended_of_expected_rate_and_last(
    client, branch, organiser
):
    today = timezone.localdate()
    member = factories.member(branch)
    first = of.meeting(branch, held_on=today.replace(day=1), topic="学习党章")
    of.attend(first, organiser, (member, "present"))
    if today.day > 1:
        latest = of.meeting(branch, held_on=today, topic="主题党日：重温入党誓词")
        of.attend(latest, organiser, (member, "leave", {"leave_reason": "出差"}))
    client.force_login(organiser)
    known = _known(client.get(FILE.format(member.pk)).content.decode(), "participation")

    if today.day > 1:
        assert 'data-present="1" data-recorded="2"' in known
        assert "data-participation-rate>50%" in known
        assert "重温入党誓词" in known.split("data-participation-last>")[1]
    else:
        assert "data-participation-rate>100%" in known


def test_the_knowns_are_left_to_those_who_may_see_them(client, branch):
    member = factories.member(branch)
    contact_only = factories.user(is_staff=True)
    from django.contrib.auth.models import Permission

    contact_only.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_memberprofile"),
    )
    from school.members.member_file import file_sections

    sections = file_sections(member, user=contact_only, today=timezone.localdate())
    knowns = {k.key: k.template_name for k in sections["knowns"]}
    assert knowns["dues"] is None and knowns["participation"] is None


def test_file_query_count_does_not_grow_with_payments_or_meetings(
    client, branch, organiser, django_assert_max_num_queries
):
    today = timezone.localdate()
    member = factories.member(branch)
    others = [factories.member(branch) for _ in range(3)]
    start = datetime.date(today.year - 2, 1, 1)
    df.rate(member, "20.00", applies_from=start, by=organiser)
    paid = iter(range(36))
    client.force_login(organiser)

    def grow(n):
        for _ in range(n):
            month = add_months(start, next(paid))
            df.pay(member, month, 1, "20.00", organiser, paid_on=min(month, today))
            meeting = of.meeting(branch, held_on=today - datetime.timedelta(days=n))
            of.attend(
                meeting,
                organiser,
                (member, "present"),
                *[(other, "present") for other in others],
            )

    grow(1)
    client.get(FILE.format(member.pk))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(FILE.format(member.pk))
    grow(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(FILE.format(member.pk))
    assert response.status_code == 200


def test_own_data_download_has_dues_participation_and_whereabouts(client, branch):
    today = timezone.localdate()
    january = datetime.date(today.year, 1, 1)
    member = factories.member(branch, current_city="深圳")
    organiser = factories.organiser(branch)
    df.rate(member, "20.00", applies_from=january, by=organiser)
    df.pay(member, january, 12, "240.00", organiser, paid_on=january, whole_year=True)
    meeting = of.meeting(branch, held_on=today, topic="支部党员大会")
    of.attend(meeting, organiser, (member, "leave", {"leave_reason": "外地务工"}))
    data = {name: member.__dict__.get(name) for name in services.PROFILE_FIELDS}
    data["branch"] = member.branch
    data["current_city"] = "东莞"
    services.profile_update(profile=member, data=data)

    client.force_login(member.user)
    export = client.get("/me/data.json").json()

    (payment,) = export["party_dues"]["payments"]
    assert payment["whole_year"] and len(payment["months"]) == 12
    assert export["party_dues"]["monthly_amounts"][0]["monthly_amount"] == "20.00"
    (row,) = export["organisational_life"]
    assert row["status"] == "leave" and row["leave_reason"] == "外地务工"
    assert export["whereabouts"][-1]["current_city"] == "东莞" or any(
        e["current_city"] == "东莞" for e in export["whereabouts"]
    )
