"""Branch organisers (支部管理员) keep their branches' study ledger and plans.

Their instance scope (own branches and sub-branches) is applied by the admin
views; these model permissions only let them in.
"""

from django.db import migrations

from school.members.permissions import (
    group_grant_permissions,
    group_revoke_permissions,
)

ORGANISERS = "支部管理员"
PERMISSIONS = {
    "studyrecord": ["view_studyrecord", "add_studyrecord", "delete_studyrecord"],
    "studyplan": [
        "view_studyplan",
        "add_studyplan",
        "change_studyplan",
        "delete_studyplan",
    ],
}


def grant(apps, schema_editor):
    group_grant_permissions(
        apps, group_name=ORGANISERS, app_label="courses", permissions=PERMISSIONS
    )


def revoke(apps, schema_editor):
    group_revoke_permissions(
        apps, group_name=ORGANISERS, app_label="courses", permissions=PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_study"),
        ("members", "0004_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
