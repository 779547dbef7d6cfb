"""Branch organisers (支部管理员) set up pairings and read contact logs and the
monthly reports of their branches. The admin views scope every queryset to
the organiser's branches; these model permissions only let them in."""

from django.db import migrations

ORGANISERS = "支部管理员"
PERMISSIONS = {
    "pairing": ["view_pairing", "add_pairing", "change_pairing"],
    "contactlog": ["view_contactlog"],
    "monthlyreport": ["view_monthlyreport"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    for model, codenames in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="courses", model=model
        )
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            organisers.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name=ORGANISERS).first()
    if group:
        codenames = [c for codes in PERMISSIONS.values() for c in codes]
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="courses", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_pairings"),
        ("members", "0004_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
