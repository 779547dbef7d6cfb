"""Those who answer the mailbox keep its holiday calendar: the mailbox staff
group and branch organisers may view, add, change and delete holidays and
adjusted working days (deadlines ignore 元旦 and 春节 while the list is empty)."""

from django.db import migrations

from school.members.permissions import group_grant_permissions, group_revoke_permissions

MAILBOX_STAFF_GROUP = "信箱工作人员"
ORGANISERS_GROUP = "支部管理员"
CALENDAR = {
    "calendarday": [
        "view_calendarday",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
    ]
}


def grant(apps, schema_editor):
    for group_name in (MAILBOX_STAFF_GROUP, ORGANISERS_GROUP):
        group_grant_permissions(
            apps, group_name=group_name, app_label="home", permissions=CALENDAR
        )


def revoke(apps, schema_editor):
    group_revoke_permissions(
        apps, group_name=ORGANISERS_GROUP, app_label="home", permissions=CALENDAR
    )
    group_revoke_permissions(
        apps,
        group_name=MAILBOX_STAFF_GROUP,
        app_label="home",
        permissions={"calendarday": ["view_calendarday"]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_moderation_and_mailbox_roles"),
        ("members", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
