import pytest

from salon import services
from salon.models import Registration, SalonPage, TopicSuggestion
from school.members.registry import anonymise_user_data, export_user_data
from tests.salon import factories as f


@pytest.mark.django_db
def test_the_members_data_download_lists_their_salon_registrations(salon, member):
    services.registration_create(salon=salon, user=member.user)
    services.topic_suggestion_create(salon=salon, user=member.user, text="我的问题")

    data = export_user_data(member.user)["salon"]

    assert data["registrations"][0]["salon"] == salon.title
    assert data["registrations"][0]["status"] == "confirmed"
    assert data["topic_suggestions"][0]["text"] == "我的问题"


@pytest.mark.django_db
def test_deleting_an_account_frees_its_seat_for_the_next_in_line():
    salon = f.salon(capacity=1)
    leaving = f.member()
    services.registration_create(salon=salon, user=leaving.user)
    services.topic_suggestion_create(salon=salon, user=leaving.user, text="私人问题")
    waiting = services.registration_create(salon=salon, user=f.member().user)

    anonymise_user_data(leaving.user)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert SalonPage.objects.get(pk=salon.pk).taken == 1
    assert not TopicSuggestion.objects.exists()
