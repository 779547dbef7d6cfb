"""Salon pages by branch in the Wagtail admin: organisers act on their own
branches' salons only, cannot move one to another branch, and cannot delete
one that members signed up for (they unpublish it, which tells them)."""

import pytest

from salon.models import SalonPage
from school.members.models import ScopeRefusal
from school.notices.models import Notice
from tests.members import factories as members
from tests.salon import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_salons():
    own = f.salon(the_branch=f.branch("甲党支部"), title="甲支部沙龙")
    other = f.salon(the_branch=f.branch("乙党支部"), title="乙支部沙龙")
    return own, other, members.organiser(own.branch)


def test_another_branchs_salon_cannot_be_deleted_unpublished_or_edited(
    client, two_salons
):
    own, other, organiser = two_salons
    client.force_login(organiser)

    for action in ("delete", "unpublish", "edit", "move", "copy", "history"):
        url = f"/admin/pages/{other.pk}/{action}/"
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url

    other.refresh_from_db()
    assert other.live and other.title == "乙支部沙龙"
    assert (
        ScopeRefusal.objects.filter(
            refused_to=organiser, object_number=str(other.pk)
        ).count()
        == 12
    )


def test_a_salon_with_registrations_is_not_deleted_and_the_organiser_is_told_why(
    client, two_salons
):
    own, other, organiser = two_salons
    f.services_sign_up(own, f.member("王芳", own.branch))
    client.force_login(organiser)

    response = client.post(f"/admin/pages/{own.pk}/delete/", follow=True)

    assert "不能删除" in response.content.decode()
    assert SalonPage.objects.filter(pk=own.pk).exists()


def test_an_organiser_deletes_their_own_salon_without_registrations(client, two_salons):
    own, other, organiser = two_salons
    client.force_login(organiser)

    client.post(f"/admin/pages/{own.pk}/delete/")

    assert not SalonPage.objects.filter(pk=own.pk).exists()


def test_the_branch_field_offers_only_the_organisers_own_branches(two_salons):
    own, other, organiser = two_salons
    form_class = SalonPage.get_edit_handler().get_form_class()

    form = form_class(instance=own, for_user=organiser)

    assert list(form.fields["branch"].queryset) == [own.branch]


def test_editors_cannot_open_any_branchs_salon_in_the_admin(client, two_salons):
    own, other, organiser = two_salons
    client.force_login(members.editor())

    for salon in (own, other):
        assert client.get(f"/admin/pages/{salon.pk}/edit/").status_code == 404


def test_unpublishing_a_salon_tells_everyone_signed_up_that_it_is_off(
    client, two_salons, django_capture_on_commit_callbacks
):
    own, other, organiser = two_salons
    member = f.member("王芳", own.branch)
    f.services_sign_up(own, member)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/pages/{own.pk}/unpublish/")

    own.refresh_from_db()
    assert not own.live
    notice = Notice.objects.get(user=member.user)
    assert notice.kind == "salon_cancelled" and "已由组织者取消" in notice.body
