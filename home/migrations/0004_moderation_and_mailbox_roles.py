"""The voice column's moderation workflow and the mailbox staff group.

The workflow (one GroupApprovalTask for the editors group 编辑) is assigned to
the voice index page if it exists; a voice index created later gets it from a
post_save handler (home.voice.signals). The editors group comes from members'
roles migration (a dependency); get_or_create by name keeps this safe anyway.
"""

from django.db import migrations

from school.members.permissions import permission_ensure

EDITORS_GROUP = "编辑"
MAILBOX_STAFF_GROUP = "信箱工作人员"
VOICE_WORKFLOW = "流动党员之声投稿审核"
VOICE_TASK = "编辑审核"
CALENDAR_PERMISSIONS = ["add_calendarday", "change_calendarday", "delete_calendarday"]


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    VoiceIndexPage = apps.get_model("home.VoiceIndexPage")

    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(permission_ensure(apps, "wagtailadmin", "admin", "access_admin"))

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=VOICE_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=VOICE_TASK, content_type=task_type, active=True
        )
    task.groups.add(editors)
    workflow, created = Workflow.objects.get_or_create(
        name=VOICE_WORKFLOW, defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in VoiceIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(
            page_id=page.pk, defaults={"workflow": workflow}
        )

    staff, _ = Group.objects.get_or_create(name=MAILBOX_STAFF_GROUP)
    staff.permissions.add(permission_ensure(apps, "wagtailadmin", "admin", "access_admin"))
    for codename in CALENDAR_PERMISSIONS:
        staff.permissions.add(permission_ensure(apps, "home", "calendarday", codename))


def remove(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=VOICE_WORKFLOW).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=VOICE_TASK).delete()
    apps.get_model("auth.Group").objects.filter(name=MAILBOX_STAFF_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_voice_submissions_mailbox_faq"),
        ("members", "0004_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
