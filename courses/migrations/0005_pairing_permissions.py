"""Branch organisers (支部管理员) set up pairings and read contact logs and the
monthly reports of their branches. The admin views scope every queryset to
the organiser's branches; these model permissions only let them in."""

from django.db import migrations

from school.members.permissions import (
    group_grant_permissions,
    group_revoke_permissions,
)

ORGANISERS = "支部管理员"
PERMISSIONS = {
    "pairing": ["view_pairing", "add_pairing", "change_pairing"],
    "contactlog": ["view_contactlog"],
    "monthlyreport": ["view_monthlyreport"],
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
        ("courses", "0004_pairings"),
        ("members", "0004_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
