"""Branch organisers (支部管理员) keep their branches' care visits (三个必访).

Their instance scope (own branches and sub-branches) is applied by the admin
views and the services; these model permissions only let them in. A New Year
mark is set or removed, never edited.
"""

from django.db import migrations

from school.members.permissions import (
    group_grant_permissions,
    group_revoke_permissions,
)

ORGANISERS = "支部管理员"
PERMISSIONS = {
    "carevisit": [
        "view_carevisit",
        "add_carevisit",
        "change_carevisit",
        "delete_carevisit",
    ],
    "newyearstay": ["view_newyearstay", "add_newyearstay", "delete_newyearstay"],
}


def grant(apps, schema_editor):
    group_grant_permissions(
        apps, group_name=ORGANISERS, app_label="care", permissions=PERMISSIONS
    )


def revoke(apps, schema_editor):
    group_revoke_permissions(
        apps, group_name=ORGANISERS, app_label="care", permissions=PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        ("members", "0004_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
