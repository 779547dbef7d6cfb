"""Wagtail signals that tell members what the editors decided, and give a new
voice index the moderation workflow."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowState
from wagtail.signals import (
    page_published,
    task_rejected,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from school.notices.services import notify
from school.site import absolute_url

from ..models import VoiceIndexPage, VoicePage
from .workflow import VOICE_WORKFLOW


def _unless_member_submission(notifier):
    """Wagtail's own workflow e-mail, except about members' submissions.

    Members get ours on each decision, with links they can use (they cannot
    enter the admin). Editors get one mail per submission: Wagtail's task
    notice, which links to the preview; its workflow notice to superusers
    would be a second one, without the preview.
    """

    def receive(sender, instance, **kwargs):
        page = instance.content_object
        page = getattr(page, "specific", page)
        if isinstance(page, VoicePage) and page.author_id is not None:
            return None
        return notifier(sender=sender, instance=instance, **kwargs)

    return receive


def replace_wagtail_decision_emails():
    """Swap Wagtail's submission/approval/rejection notifiers for filtered ones.

    Connected under Wagtail's own dispatch_uids: whichever app's ready() runs
    first, only one receiver per uid stays connected, and it is ours.
    """
    from wagtail.admin import signal_handlers as wagtail_handlers

    for signal, uid, notifier in (
        (
            workflow_submitted,
            "workflow_state_submitted_email_notification",
            wagtail_handlers.workflow_submission_email_notifier,
        ),
        (
            workflow_rejected,
            "workflow_state_rejected_email_notification",
            wagtail_handlers.workflow_rejection_email_notifier,
        ),
        (
            workflow_approved,
            "workflow_state_approved_email_notification",
            wagtail_handlers.workflow_approval_email_notifier,
        ),
    ):
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(
            _unless_member_submission(notifier),
            sender=WorkflowState,
            dispatch_uid=uid,
            weak=False,
        )


@receiver(post_save, sender=VoiceIndexPage)
def assign_voice_workflow(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    workflow = Workflow.objects.filter(name=VOICE_WORKFLOW, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(
            page=instance, defaults={"workflow": workflow}
        )


@receiver(task_rejected)
def tell_author_changes_requested(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    page = getattr(page, "specific", page)
    if not isinstance(page, VoicePage) or page.author is None:
        return
    edit_url = reverse("home:submission_edit", args=[page.pk])
    notify(
        page.author,
        "submission_changes_requested",
        {
            "page": page,
            "title": page.title,
            "comment": instance.comment,
            "edit_url": absolute_url(edit_url),
            "url": edit_url,
        },
    )


@receiver(page_published, sender=VoicePage)
def tell_author_published(sender, instance, revision=None, **kwargs):
    # Only the first publication is news to the author; later corrections by
    # the editors are not.
    if instance.author is None or instance.first_published_at != (
        instance.last_published_at
    ):
        return
    notify(
        instance.author,
        "submission_published",
        {
            "page": instance,
            "title": instance.title,
            "url": absolute_url(instance.url or "/"),
            "comment": _approval_comment(instance),
        },
    )


def _approval_comment(page) -> str:
    """What the editor wrote when approving, if a workflow published the page."""
    task_state = (
        TaskState.objects.for_instance(page)
        .filter(
            status=TaskState.STATUS_APPROVED,
            workflow_state__status=WorkflowState.STATUS_APPROVED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    return task_state.comment if task_state else ""
