"""The home app's part of a member's personal data: their voice-column
submissions and mailbox items, for the data download and account deletion
(registered with school.members.registry in HomeConfig.ready())."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from .mailbox.models import MailboxItem, MailboxMessage
from .models import VoicePage
from .voice import services as voice


def export_submissions(user) -> list[dict]:
    return [
        {
            "title": page.title,
            "state": voice.submission_state(page),
            "category": page.category,
            "author_name": page.author_name,
            "text": voice.body_text(page),
            "last_saved": page.latest_revision_created_at,
            "published_at": page.first_published_at,
            "editor_comment": voice.editor_comment(page),
        }
        for page in voice.submissions_of(user)
    ]


def export_mailbox(user) -> list[dict]:
    items = MailboxItem.objects.filter(member=user).prefetch_related("messages")
    return [
        {
            "category": item.category,
            "text": item.text,
            "attachment": item.attachment_name,
            "may_publish_in_faq": item.faq_consent,
            "arrived_at": item.arrived_at,
            "answer_by": item.current_due_on,
            "status": item.status,
            "messages": [
                {
                    "from_me": message.from_member,
                    "text": message.text,
                    "at": message.created_at,
                }
                for message in item.messages.all()
            ],
        }
        for item in items
    ]


@transaction.atomic
def anonymise(user) -> None:
    """Drop what the member wrote that is not published; take their name off
    published articles (and the revisions that held it); keep mailbox rows for
    the on-time report without their words."""
    Image = get_image_model()
    for page in VoicePage.objects.filter(author=user):
        if page.live:
            page.author = None
            page.owner = None
            page.author_name = _("A mobile party member")
            revision = page.save_revision(log_action=False)
            revision.publish()
            page.revisions.exclude(pk=revision.pk).delete()
        else:
            page.delete()
    # Their pictures go too, unless a published page still shows them.
    for image in Image.objects.filter(
        uploaded_by_user=user, collection__name=voice.SUBMISSIONS_COLLECTION
    ):
        if not ReferenceIndex.get_references_to(image).exists():
            image.delete()

    for item in MailboxItem.objects.filter(member=user):
        if item.attachment:
            item.attachment.delete(save=False)
        item.member = None
        item.text = _("(deleted)")
        item.attachment_name = ""
        item.save()
        MailboxMessage.objects.filter(item=item).update(text=_("(deleted)"))
    MailboxMessage.objects.filter(author=user).update(author=None)
