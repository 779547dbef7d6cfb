import pytest
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from salon.models import SalonIndexPage, SalonPage
from tests.salon import factories as f


class SalonPageTreeTests(WagtailPageTestCase):
    def test_the_salon_index_goes_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, SalonIndexPage)
        self.assertAllowedSubpageTypes(SalonIndexPage, {SalonPage})
        self.assertCanNotCreateAt(HomePage, SalonPage)

    def test_a_salon_page_renders(self):
        salon = f.salon()
        self.assertPageIsRenderable(salon)
        self.assertPageIsRenderable(f.salon_index())


def _admin_post_data(salon, **overrides):
    local = timezone.localtime
    data = {
        "title": "重复的沙龙",
        "slug": "dup",
        "branch": salon.branch_id,
        "year": salon.year,
        "quarter": salon.quarter,
        "theme": "主题",
        "starts_at": local(salon.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": local(salon.ends_at).strftime("%Y-%m-%d %H:%M"),
        "place": "会议室",
        "online_link": "",
        "capacity": 10,
        "signup_opens_at": local(salon.signup_opens_at).strftime("%Y-%m-%d %H:%M"),
        "signup_closes_at": local(salon.signup_closes_at).strftime("%Y-%m-%d %H:%M"),
        "waiting_list": "on",
        "study_hours": "2.0",
        "description-count": 0,
        "agenda-count": 0,
        "materials-count": 0,
        "action-publish": "publish",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_editor_refuses_a_second_salon_in_a_quarter_for_a_branch(
    admin_client,
):
    salon = f.salon()
    index = f.salon_index()

    response = admin_client.post(
        f"/admin/pages/add/salon/salonpage/{index.pk}/", _admin_post_data(salon)
    )

    assert response.status_code == 200
    assert "该支部在该季度已有一期红色沙龙" in response.content.decode()
    assert SalonPage.objects.count() == 1


@pytest.mark.django_db
def test_the_editor_refuses_fewer_seats_than_taken(admin_client):
    salon = f.salon(capacity=3)
    for _ in range(2):
        f.services_sign_up(salon, f.member())
    data = _admin_post_data(salon, title=salon.title, slug=salon.slug, capacity=1)

    response = admin_client.post(f"/admin/pages/{salon.pk}/edit/", data)

    assert "已有 2 人报名，名额数不能少于此数" in response.content.decode()
    assert SalonPage.objects.get(pk=salon.pk).capacity == 3


@pytest.mark.django_db
def test_the_start_must_lie_in_the_chosen_quarter(admin_client):
    salon = f.salon()
    index = f.salon_index()
    wrong_quarter = salon.quarter % 4 + 1
    data = _admin_post_data(salon, quarter=wrong_quarter, branch=f.branch().pk)
    response = admin_client.post(f"/admin/pages/add/salon/salonpage/{index.pk}/", data)
    assert "开始时间必须在所填年份和季度之内" in response.content.decode()
    assert SalonPage.objects.count() == 1


@pytest.mark.django_db
def test_an_organiser_publishes_a_salon_for_their_own_branch(client):
    from django.contrib.auth.models import Group

    from school.members.roles import ORGANISERS_GROUP

    Group.objects.get_or_create(name=ORGANISERS_GROUP)
    salon = f.salon()  # publishing the index grants the organisers' group
    index = f.salon_index()
    index.save_revision().publish()
    own = f.branch("我的支部")
    organiser = f.organiser(own)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    client.force_login(organiser)

    form = client.get(f"/admin/pages/add/salon/salonpage/{index.pk}/")
    assert form.status_code == 200
    assert "我的支部" in form.content.decode()
    assert salon.branch.name not in form.content.decode()
    data = _admin_post_data(salon, branch=own.pk, slug="mine", title="我的沙龙")
    response = client.post(f"/admin/pages/add/salon/salonpage/{index.pk}/", data)

    assert response.status_code == 302
    assert SalonPage.objects.get(slug="mine").live
