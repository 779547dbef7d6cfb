"""Granting model permissions to the school's role groups from data migrations.

Every function takes the migration's historical ``apps`` and imports no model,
so that migrations which have already run keep meaning what they meant. The
permission rows are normally made after all migrations (post_migrate), so the
ones needed are made here; post_migrate skips existing rows.
"""


def permission_ensure(apps, app_label: str, model: str, codename: str):
    """The permission ``app_label.codename`` on ``model``, made if missing."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def group_grant_permissions(
    apps, *, group_name: str, app_label: str, permissions: dict[str, list[str]]
) -> None:
    """Give the group (made if missing) each codename listed per model."""
    Group = apps.get_model("auth.Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    for model, codenames in permissions.items():
        for codename in codenames:
            group.permissions.add(permission_ensure(apps, app_label, model, codename))


def group_revoke_permissions(
    apps, *, group_name: str, app_label: str, permissions: dict[str, list[str]]
) -> None:
    """Take back from the group what ``group_grant_permissions`` gave it."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name=group_name).first()
    if group:
        codenames = [c for codes in permissions.values() for c in codes]
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )
