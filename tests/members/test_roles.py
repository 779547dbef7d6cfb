"""The header's administration link follows the role, in one query."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from school.members.roles import can_access_admin

from . import factories

ADMIN_LINK = '<a href="/admin/">管理后台</a>'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, shown",
    [
        (lambda: factories.member().user, False),
        (factories.editor, True),
        (lambda: factories.organiser(factories.branch()), True),
        (factories.superuser, True),
    ],
)
def test_admin_link_and_userbar_shown_only_to_staff(client, make, shown):
    client.force_login(make())
    html = client.get("/").content.decode()
    assert (ADMIN_LINK in html) is shown
    assert ("<wagtail-userbar" in html) is shown


@pytest.mark.django_db
def test_permission_granted_to_the_user_directly_counts():
    user = factories.member().user
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    assert can_access_admin(user)


@pytest.mark.django_db
def test_access_is_one_query_and_remembered_for_the_request():
    user = factories.editor()
    with CaptureQueriesContext(connection) as queries:
        assert can_access_admin(user)
        assert can_access_admin(user)
    assert len(queries) == 1
