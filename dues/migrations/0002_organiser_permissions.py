"""Branch organisers (支部管理员) keep their branches' dues ledger.

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
    "duesrate": ["view_duesrate", "add_duesrate", "change_duesrate", "delete_duesrate"],
    "duespayment": ["view_duespayment", "add_duespayment", "delete_duespayment"],
}


def grant(apps, schema_editor):
    group_grant_permissions(
        apps, group_name=ORGANISERS, app_label="dues", permissions=PERMISSIONS
    )


def revoke(apps, schema_editor):
    group_revoke_permissions(
        apps, group_name=ORGANISERS, app_label="dues", permissions=PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0001_initial"),
        ("members", "0004_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
