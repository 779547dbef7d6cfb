"""Issue 17, point 15: members are checked in on the salon's day only; later
an organiser may still correct the attendance (补签), and a mistaken 签到 can
be undone, on the day as afterwards."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses.models import StudyRecord
from salon import services
from salon.models import Registration, SalonPage
from tests.salon import factories as f

pytestmark = pytest.mark.django_db

Status = Registration.Status


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def signed_up(salon, name="王小明"):
    return f.services_sign_up(salon, f.member(name, salon.branch))


def taken(salon) -> int:
    return SalonPage.objects.get(pk=salon.pk).taken


@pytest.fixture
def organiser_client(client):
    def login(salon):
        organiser = f.organiser(salon.branch)
        client.force_login(organiser)
        return organiser

    return login


def test_a_check_in_before_the_salons_day_is_refused_with_the_day(organiser_client):
    salon = f.salon()  # in three days
    registration = signed_up(salon)
    organiser = organiser_client(salon)
    day = timezone.localdate(salon.starts_at)
    said = f"本期沙龙在 {day.year}年{day.month}月{day.day}日 举行，只能在沙龙当天签到。"

    with pytest.raises(ValidationError, match=said):
        services.registration_check_in(registration=registration, by=organiser)
    with pytest.raises(ValidationError, match=said):
        services.registration_walk_in(
            salon=salon, member=f.member(the_branch=salon.branch), by=organiser
        )

    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert not StudyRecord.objects.exists()
    assert Registration.objects.count() == 1 and taken(salon) == 1


def test_the_check_in_pages_say_so_before_the_day_and_offer_no_button(client):
    salon = f.salon()
    registration = signed_up(salon)
    client.force_login(f.organiser(salon.branch))
    link = services.check_in_url(registration)

    scanned = text(client.get(link))
    listing = text(client.get(f"/salons/{salon.pk}/check-in/?q=王"))
    tapped = client.post(link)
    forced = client.post(f"/salons/{salon.pk}/check-in/{registration.pk}/", follow=True)

    for html in (scanned, listing, text(tapped), text(forced)):
        assert "只能在沙龙当天签到" in html
    assert "签到</button>" not in scanned and "签到</button>" not in listing
    assert tapped.status_code == 409
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_on_the_day_the_study_hours_are_credited_on_the_salons_day(organiser_client):
    salon = f.salon()
    registration = signed_up(salon)
    f.doors_open(salon)
    organiser = organiser_client(salon)

    services.registration_check_in(registration=registration, by=organiser)

    registration.refresh_from_db()
    record = StudyRecord.objects.get(member=registration.member)
    assert registration.study_record == record
    assert record.date == timezone.localdate(salon.starts_at)


def test_after_the_day_the_door_is_closed_but_organisers_record_who_came(
    client, organiser_client
):
    salon = f.salon()
    registration = signed_up(salon)
    f.day_over(salon, days=2)
    organiser_client(salon)
    link = services.check_in_url(registration)

    scanned = client.post(link)
    assert scanned.status_code == 409
    assert "现场签到已结束" in text(scanned) and "补签" in text(scanned)
    listing = text(client.get(f"/salons/{salon.pk}/check-in/"))
    assert "您仍可在这里更正到场情况" in listing
    assert "补签</button>" in listing

    response = client.post(
        f"/salons/{salon.pk}/check-in/{registration.pk}/", follow=True
    )

    assert "王小明 签到成功" in text(response)
    assert "补签" in text(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    # Credited on the salon's day, not on the day of the correction.
    assert registration.study_record.date == timezone.localdate(salon.starts_at)


def test_a_mistaken_check_in_is_undone_and_its_study_hours_withdrawn(
    client, organiser_client
):
    salon = f.salon()
    mistaken = signed_up(salon)
    f.doors_open(salon)
    organiser = organiser_client(salon)
    services.registration_check_in(registration=mistaken, by=organiser)

    html = text(client.get(f"/salons/{salon.pk}/check-in/"))
    assert "撤销签到</button>" in html
    response = client.post(
        f"/salons/{salon.pk}/check-in/{mistaken.pk}/undo/", follow=True
    )

    assert "已撤销 王小明 的签到。" in text(response)
    mistaken.refresh_from_db()
    assert mistaken.checked_in_at is None and mistaken.checked_in_by is None
    assert mistaken.status == Status.CONFIRMED
    assert not StudyRecord.objects.exists()
    assert taken(salon) == 1
    # The member can be checked in again when they really arrive.
    services.registration_check_in(registration=mistaken, by=organiser)
    assert StudyRecord.objects.count() == 1


def test_a_check_in_is_undone_after_the_day_too(organiser_client):
    salon = f.salon()
    registration = signed_up(salon)
    f.doors_open(salon)
    organiser = organiser_client(salon)
    services.registration_check_in(registration=registration, by=organiser)
    f.day_over(salon, days=3)

    services.registration_check_in_undo(registration=registration, by=organiser)

    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert not StudyRecord.objects.exists()


def test_undoing_a_walk_in_gives_the_seat_back(organiser_client):
    salon = f.doors_open(f.salon(capacity=1))
    organiser = organiser_client(salon)
    walker = f.member("赵六", salon.branch)
    registration = services.registration_walk_in(
        salon=salon, member=walker, by=organiser
    )
    assert taken(salon) == 1

    services.registration_check_in_undo(registration=registration, by=organiser)

    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert taken(salon) == 0
    assert not StudyRecord.objects.exists()
    # The seat is free for the next one at the door.
    services.registration_walk_in(
        salon=salon, member=f.member(the_branch=salon.branch), by=organiser
    )


def test_undoing_a_check_in_that_was_not_made_says_so(client, organiser_client):
    salon = f.salon()
    registration = signed_up(salon)
    f.doors_open(salon)
    organiser_client(salon)

    response = client.post(
        f"/salons/{salon.pk}/check-in/{registration.pk}/undo/", follow=True
    )

    assert "王小明 尚未签到。" in text(response)


def test_only_the_salons_organisers_undo_a_check_in(client):
    salon = f.salon()
    registration = signed_up(salon)
    f.doors_open(salon)
    services.registration_check_in(
        registration=registration, by=f.organiser(salon.branch)
    )
    stranger = f.organiser(f.branch())

    with pytest.raises(PermissionDenied):
        services.registration_check_in_undo(registration=registration, by=stranger)
    client.force_login(registration.member.user)
    undo = f"/salons/{salon.pk}/check-in/{registration.pk}/undo/"
    assert client.post(undo).status_code == 404
    client.force_login(stranger)
    assert client.post(undo).status_code == 404

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert StudyRecord.objects.count() == 1
