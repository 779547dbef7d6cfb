import io

import pytest
from django.utils import timezone

from salon import demo
from salon.models import Registration, SalonPage, quarter_of
from school.members import demo as members_demo


@pytest.mark.django_db
def test_seed_creates_this_quarters_salon_with_a_few_registrations_once():
    members_demo.seed(stdout=io.StringIO())
    for _ in range(2):
        demo.seed(stdout=io.StringIO())

    salon = SalonPage.objects.live().get()
    assert salon.url == f"/salons/{salon.slug}/"
    assert (salon.year, salon.quarter) == quarter_of(timezone.now())
    assert salon.signup_state == "open"
    assert Registration.objects.filter(salon=salon, status="confirmed").count() == 3
    assert salon.taken == 3
    assert salon.topic_suggestions.count() == 1


@pytest.mark.django_db
def test_the_demo_member_can_sign_up_for_the_demo_salon(client):
    from school.members.demo import MEMBER

    members_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    salon = SalonPage.objects.get()
    member = Registration._meta.get_field("member").related_model.objects.get(
        user__email=MEMBER.email
    )
    client.force_login(member.user)

    response = client.post(f"/salons/{salon.pk}/sign-up/", follow=True)

    assert "报名成功" in response.content.decode()
