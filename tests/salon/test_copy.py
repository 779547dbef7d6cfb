"""Issue 17, point 14: 复制 on a salon page makes next quarter's salon in a
quarter its branch has free, with no seats taken and no registrations; where
it cannot, a clear message, never a server error."""

import datetime

import pytest
from django.utils import timezone

from salon import services
from salon.models import SalonPage, quarter_of, quarters_after
from tests.salon import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return f.user(is_superuser=True, is_staff=True)


@pytest.fixture
def salon():
    salon = f.salon(title="春季红色沙龙", capacity=3)
    for name in ("王芳", "李强"):
        services.registration_create(salon=salon, user=f.member(name).user)
    salon.refresh_from_db()
    assert salon.taken == 2
    return salon


def copy_url(salon):
    return f"/admin/pages/{salon.pk}/copy/"


def test_copy_lands_in_the_next_quarter_with_no_seats_taken(client, superuser, salon):
    client.force_login(superuser)
    (year, quarter), *_rest = quarters_after(salon.year, salon.quarter, 1)
    page = client.get(copy_url(salon)).content.decode()
    assert f'value="{year}-{quarter}" selected' in page

    response = client.post(
        copy_url(salon),
        {
            "quarter": f"{year}-{quarter}",
            "new_title": "下季度红色沙龙",
            "new_slug": "next-salon",
        },
    )

    copy = SalonPage.objects.get(slug="next-salon")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    assert (copy.year, copy.quarter) == (year, quarter)
    assert quarter_of(copy.starts_at) == (year, quarter)
    assert copy.taken == 0 and copy.capacity == 3
    assert copy.registrations.count() == 0
    assert copy.theme == salon.theme and copy.branch == salon.branch
    # The live seat count of the original is untouched.
    salon.refresh_from_db()
    assert salon.taken == 2 and salon.registrations.count() == 2
    # Its latest revision (what the editor opens) is the new quarter too.
    revision = copy.get_latest_revision_as_object()
    assert (revision.year, revision.quarter, revision.taken) == (year, quarter, 0)


def test_a_quarter_already_held_is_skipped(client, superuser, salon):
    first, second = quarters_after(salon.year, salon.quarter, 2)
    held = f.salon(
        the_branch=salon.branch,
        starts_at=salon.starts_at + datetime.timedelta(days=92),
    )
    assert (held.year, held.quarter) == first
    client.force_login(superuser)

    page = client.get(copy_url(salon)).content.decode()
    assert f'value="{second[0]}-{second[1]}" selected' in page

    # A held quarter posted anyway (an old form) is refused on the form.
    response = client.post(
        copy_url(salon),
        {"quarter": f"{first[0]}-{first[1]}", "new_title": "再来", "new_slug": "x"},
    )
    assert response.status_code == 200
    assert not SalonPage.objects.filter(slug="x").exists()


def test_no_free_quarter_gives_a_message_not_an_error(client, superuser, salon):
    for year, quarter in quarters_after(salon.year, salon.quarter, 8):
        start = timezone.make_aware(datetime.datetime(year, 3 * quarter - 1, 10, 9))
        f.salon(
            the_branch=salon.branch,
            starts_at=start,
            signup_opens_at=start - datetime.timedelta(days=10),
        )
    client.force_login(superuser)

    response = client.get(copy_url(salon))

    assert response.status_code == 200
    assert "没有可以复制到的季度" in response.content.decode()


def test_the_service_refuses_a_held_quarter_with_a_message(superuser, salon):
    with pytest.raises(Exception) as error:
        services.salon_copy(
            salon=salon,
            year=salon.year,
            quarter=salon.quarter,
            title="同季度",
            slug="same",
            user=superuser,
        )
    assert "已有" in str(error.value)
