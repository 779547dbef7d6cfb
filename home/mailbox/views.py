"""The member's side of the mailbox: write in, read answers, reply once."""

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from school.members.forms import add_service_errors

from . import services
from .forms import MailboxItemForm, ReplyForm
from .models import MailboxItem, MailboxMessage
from .storage import private_storage

KEPT_ATTACHMENT_SALT = "home.mailbox.kept-attachment"
KEPT_ATTACHMENT_MAX_AGE = 24 * 3600


def _keep_attachment(user, upload) -> dict:
    """Hold a valid attachment while the member corrects the rest of the form."""
    suffix = PurePath(upload.name).suffix.lower()[:10]
    path = private_storage().save(f"mailbox/pending/{uuid.uuid4().hex}{suffix}", upload)
    name = PurePath(upload.name).name[-200:]
    token = signing.dumps(
        {"path": path, "name": name, "user": user.pk}, salt=KEPT_ATTACHMENT_SALT
    )
    return {"token": token, "name": name, "path": path}


def _kept_attachment(user, token: str) -> dict | None:
    """The held attachment a token of this user points to, if still there."""
    try:
        data = signing.loads(
            token, salt=KEPT_ATTACHMENT_SALT, max_age=KEPT_ATTACHMENT_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk or not private_storage().exists(data["path"]):
        return None
    return {"token": token, "name": data["name"], "path": data["path"]}


@login_required
def mailbox_new(request):
    if services.member_profile(request.user) is None:
        return render(
            request,
            "home/mailbox_not_a_member.html",
            {"profile": getattr(request.user, "profile", None)},
            status=403,
        )
    kept = None
    if request.method == "POST" and request.POST.get("carry_text"):
        # A refused follow-up, carried over as the start of a new question.
        form = MailboxItemForm(initial={"text": request.POST.get("text", "")})
    elif request.method == "POST":
        form = MailboxItemForm(request.POST, request.FILES)
        form.is_valid()
        upload = form.cleaned_data.get("attachment")
        if upload:
            try:
                services.check_attachment(upload)
            except ValidationError as error:
                form.add_error("attachment", error)
                upload = None
        token = request.POST.get("kept_attachment")
        if not upload and token and not request.POST.get("drop_attachment"):
            kept = _kept_attachment(request.user, token)
        if not form.errors:
            held = None
            if kept:
                held = File(private_storage().open(kept["path"]), name=kept["name"])
            try:
                item = services.mailbox_item_create(
                    member=request.user,
                    category=form.cleaned_data["category"],
                    text=form.cleaned_data["text"],
                    attachment=upload or held,
                    faq_consent=form.cleaned_data["faq_consent"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if kept:
                    private_storage().delete(kept["path"])
                messages.success(
                    request,
                    _(
                        "Your message has arrived. We will answer by %(due)s "
                        "(within two working days)."
                    )
                    % {"due": f"{item.due_on:%Y-%m-%d}"},
                )
                return redirect("home:mailbox_detail", pk=item.pk)
            finally:
                if held:
                    held.close()
        if upload:
            # The rest of the form has a mistake: hold the valid file for the
            # next try instead of asking for it again.
            kept = _keep_attachment(request.user, upload)
    else:
        form = MailboxItemForm()
    return render(request, "home/mailbox_form.html", {"form": form, "kept": kept})


@login_required
def my_mailbox(request):
    # The latest answer shows in the list: on a phone the member reads it
    # without opening each question.
    answers = MailboxMessage.objects.filter(from_member=False).order_by(
        "-created_at", "-pk"
    )
    items = (
        MailboxItem.objects.filter(member=request.user)
        .prefetch_related(Prefetch("messages", queryset=answers, to_attr="answers"))
        .order_by("-arrived_at", "-pk")
    )
    return render(
        request,
        "home/my_mailbox.html",
        {
            "items": items,
            "can_write": services.member_profile(request.user) is not None,
        },
    )


@login_required
def mailbox_detail(request, pk):
    item = get_object_or_404(MailboxItem, pk=pk, member=request.user)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mailbox_item_reply(
                item=item, member=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your reply was sent. Your question is open again.")
            )
            return redirect("home:mailbox_detail", pk=item.pk)
    return render(
        request,
        "home/mailbox_detail.html",
        {
            "item": item,
            "thread": item.messages.all(),
            "form": form,
        },
    )


def serve_attachment(item: MailboxItem):
    if not item.attachment:
        raise Http404
    try:
        handle = item.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=item.attachment_name or "attachment"
    )


@login_required
def mailbox_attachment(request, pk):
    item = get_object_or_404(MailboxItem, pk=pk, member=request.user)
    return serve_attachment(item)
