"""The school's roles as groups: 编辑 (editors) and 支部管理员 (branch organisers).

Created here rather than by hand so that every installation has the same
roles. Superusers need no group; a study contact is not a role (it follows
from an active pairing).
"""

from django.db import migrations

from school.members.permissions import permission_ensure

EDITORS = "编辑"
ORGANISERS = "支部管理员"

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
    ("wagtailmedia", "media", ["add_media", "change_media"]),
]
ORGANISER_PERMISSIONS = [
    ("members", "memberprofile", ["view_memberprofile", "change_memberprofile"]),
    ("members", "branch", ["view_branch", "change_branch"]),
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    access_admin = permission_ensure(apps, "wagtailadmin", "admin", "access_admin")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(access_admin)
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page if site else Page.objects.filter(depth=2).first()
    if home is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page=home,
                permission=permission_ensure(apps, "wagtailcore", "page", codename),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=editors,
                    collection=root_collection,
                    permission=permission_ensure(apps, app_label, model, codename),
                )

    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    organisers.permissions.add(access_admin)
    for app_label, model, codenames in ORGANISER_PERMISSIONS:
        for codename in codenames:
            organisers.permissions.add(permission_ensure(apps, app_label, model, codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=[EDITORS, ORGANISERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_profile_access_log"),
        ("home", "0002_create_homepage"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
        ("wagtailimages", "0025_alter_image_file_alter_rendition_file"),
        ("wagtaildocs", "0013_delete_uploadeddocument"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
