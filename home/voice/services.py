"""Members' voice-column submissions: draft pages moderated by Wagtail workflows.

A submission is a `VoicePage` under the voice index with the member as `author`.
It stays a draft (never live) while the member writes it; submitting saves a
revision and starts (or, after changes were requested, resumes) the workflow
the page falls under, so editors review it in Wagtail's own queue.
"""

import datetime
import html
import json
import re
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex, Revision, WorkflowState

from ..models import VoiceIndexPage, VoicePage
from .images import FORMATS, image_format
from .workflow import SUBMISSIONS_COLLECTION

MAX_IMAGES = 6
# How long an uploaded picture that no submission uses is kept: enough for a
# member still correcting the form it was sent with.
UNUSED_IMAGE_GRACE = datetime.timedelta(days=1)
TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 10_000


class State:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"

    EDITABLE = {DRAFT, CHANGES_REQUESTED}


def submission_state(page: VoicePage) -> str:
    """Where a submission stands, from Wagtail's own page and workflow state."""
    if page.live:
        return State.PUBLISHED
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        return State.DRAFT
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return State.CHANGES_REQUESTED
    return State.IN_REVIEW


def editor_comment(page: VoicePage) -> str:
    """The comment of the editor who asked for changes ('' if none)."""
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.current_task_state is None:
        return ""
    if workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return ""
    return workflow_state.current_task_state.comment


def submissions_of(user):
    """The user's submissions, newest first, with their workflow states."""
    # Wagtail's prefetch_workflow_states() matches on the base content type,
    # which a VoicePage queryset does not have: prefetch through the specific
    # relation into the attribute Wagtail's properties read.
    active = WorkflowState.objects.active().select_related("current_task_state__task")
    return (
        VoicePage.objects.filter(author=user)
        .prefetch_related(
            Prefetch(
                "_specific_workflow_states",
                queryset=active,
                to_attr="_current_workflow_states",
            )
        )
        .order_by("-latest_revision_created_at", "-pk")
    )


def submissions_collection() -> Collection:
    """The collection holding members' images (created on first use)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SUBMISSIONS_COLLECTION).first()
    return existing or root.add_child(name=SUBMISSIONS_COLLECTION)


def submission_image_store(*, user, upload):
    """Keep an uploaded picture as a Wagtail image in the submissions collection.

    Stored at once, before the rest of the form is valid, so that a picture
    is not lost (nor uploaded again) when the text has a mistake.
    """
    fmt = image_format(upload)
    image = get_image_model()(
        title=(upload.name or _("Picture"))[:255],
        collection=submissions_collection(),
        uploaded_by_user=user,
    )
    # A fresh name: the original may hold personal details or odd characters.
    image.file = ImageFile(upload, name=f"submission-{uuid.uuid4().hex}.{FORMATS[fmt]}")
    image._set_image_file_metadata()
    image.save()
    return image


def images_member_may_use(user, page: VoicePage | None = None):
    """Images a member may put in a submission: their own uploads, plus those
    already in the page (an editor may have chosen one)."""
    Image = get_image_model()
    mine = Image.objects.filter(
        uploaded_by_user=user, collection__name=SUBMISSIONS_COLLECTION
    )
    if page is None:
        return mine
    latest = page.get_latest_revision_as_object()
    return mine | Image.objects.filter(pk__in=body_image_ids(latest))


def body_image_ids(page: VoicePage) -> list[int]:
    return [
        block.value["image"].pk
        for block in page.body
        if block.block_type == "image" and block.value["image"] is not None
    ]


def body_text(page: VoicePage) -> str:
    """The body as the member types it: one paragraph a line."""
    lines = []
    for block in page.body:
        if block.block_type == "paragraph":
            source = block.value.source.replace("</p>", "</p>\n")
            source = re.sub(r"<br\s*/?>", "\n", source)
            # The text was escaped once when saved: give the member back what
            # they typed, not its entities (or each save would add a layer).
            text = html.unescape(strip_tags(source))
            lines += [line.strip() for line in text.splitlines()]
        elif block.block_type == "heading":
            lines.append(block.value["text"])
        elif block.block_type == "quote":
            lines.append(block.value["text"])
    return "\n".join(line for line in lines if line)


def body_images(page: VoicePage) -> list:
    return [
        block.value["image"]
        for block in page.body
        if block.block_type == "image" and block.value["image"] is not None
    ]


def _body(title: str, text: str, images) -> list:
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    blocks = [("paragraph", f"<p>{escape(line)}</p>") for line in paragraphs]
    for number, image in enumerate(images, start=1):
        alt = _("%(title)s, picture %(number)s") % {"title": title, "number": number}
        blocks.append(("image", {"image": image, "alt": alt[:200], "caption": ""}))
    return blocks


def _check(*, title: str, text: str, images, submit: bool) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give your article a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title is at most %(max)s characters.") % {
            "max": TITLE_MAX_LENGTH
        }
    if len(text) > BODY_MAX_LENGTH:
        errors["body"] = _("The article is at most %(max)s characters.") % {
            "max": BODY_MAX_LENGTH
        }
    elif submit and not text.strip():
        errors["body"] = _("Write your article before sending it for review.")
    if len(images) > MAX_IMAGES:
        errors["new_images"] = _("An article has at most %(max)s pictures.") % {
            "max": MAX_IMAGES
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submission_save(
    *,
    user,
    title: str,
    text: str,
    category: str = "",
    images=(),
    submit: bool = False,
    page: VoicePage | None = None,
) -> VoicePage:
    """Save a member's article as a draft page; with `submit`, send it for review.

    Only confirmed members write; a submission can be changed while it is a
    draft or after the editors asked for changes, never while in review or
    once published.
    """
    profile = user.confirmed_profile
    if profile is None:
        raise ValidationError(
            _("Only members confirmed by their branch can submit articles.")
        )
    images = list(images)
    _check(title=title, text=text, images=images, submit=submit)
    allowed = set(images_member_may_use(user, page).values_list("pk", flat=True))
    if any(image.pk not in allowed for image in images):
        raise ValidationError({"new_images": _("That picture is not yours to use.")})
    if category and category not in VoicePage.Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})

    if page is None:
        index = VoiceIndexPage.objects.first()
        if index is None:
            raise ValidationError(_("The voice column is not open yet."))
        page = VoicePage(
            title=title,
            slug=find_available_slug(index, VoicePage.slug_for(title)),
            author=user,
            author_name=profile.real_name,
            owner=user,
            live=False,
            category=category,
            body=_body(title, text, images),
        )
        if submit:
            page.date = timezone.localdate()
        index.add_child(instance=page)
    else:
        page = VoicePage.objects.select_for_update().get(pk=page.pk)
        if page.author_id != user.pk:
            raise ValidationError(_("This is not your article."))
        if submission_state(page) not in State.EDITABLE:
            raise ValidationError(
                _("This article is with the editors and cannot be changed now.")
            )
        page.title = title
        page.category = category
        page.body = _body(title, text, images)
        page.author_name = profile.real_name
        if submit:
            page.date = timezone.localdate()
        page.save()

    page.save_revision(user=user, log_action=True)
    if submit:
        _send_for_review(page, user)
    return page


def _send_for_review(page: VoicePage, user) -> None:
    workflow_state = page.current_workflow_state
    if (
        workflow_state is not None
        and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    ):
        workflow_state.resume(user)
        return
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(
            _("Submissions cannot be reviewed at the moment. Please try later.")
        )
    workflow.start(page, user)


def _image_ids_in_revisions(model) -> set[int]:
    """Images in the bodies of any revision of `model`'s pages (drafts too)."""
    ids = set()
    revisions = Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).values_list("content", flat=True)
    for content in revisions.iterator():
        body = content.get("body") or "[]"
        for block in json.loads(body) if isinstance(body, str) else body:
            if block.get("type") == "image" and isinstance(block.get("value"), dict):
                ids.add(block["value"].get("image"))
    return ids


def submission_images_prune(*, grace=UNUSED_IMAGE_GRACE) -> int:
    """Delete members' pictures that no submission uses any more.

    Pictures are stored as soon as they pass their checks, so a form left with
    a mistake, a picture unticked, or a submission the editors deleted leaves
    images behind in the submissions collection. Those older than `grace` that
    no voice page revision and nothing else on the site (Wagtail's reference
    index) uses are deleted, files and renditions with them.
    """
    Image = get_image_model()
    candidates = set(
        Image.objects.filter(
            collection__name=SUBMISSIONS_COLLECTION,
            created_at__lt=timezone.now() - grace,
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    used = _image_ids_in_revisions(VoicePage)
    used |= {
        int(pk)
        for pk in ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Image),
            to_object_id__in=[str(pk) for pk in candidates],
        ).values_list("to_object_id", flat=True)
    }
    unused = Image.objects.filter(pk__in=candidates - used)
    count = 0
    for image in unused:
        image.delete()
        count += 1
    return count
