"""The member's side of voice-column submissions: write, revise, follow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from school.members.decorators import confirmed_member_required
from school.members.forms import add_service_errors

from ..models import VoicePage
from . import services
from .forms import SubmissionForm
from .services import MAX_IMAGES, State

STATE_LABELS = {
    State.DRAFT: gettext_lazy("Draft"),
    State.IN_REVIEW: gettext_lazy("In review"),
    State.CHANGES_REQUESTED: gettext_lazy("Changes requested"),
    State.PUBLISHED: gettext_lazy("Published"),
}


@confirmed_member_required
def submission_new(request):
    return _write(request, page=None)


@confirmed_member_required
def submission_edit(request, pk):
    page = get_object_or_404(VoicePage, pk=pk, author=request.user)
    if services.submission_state(page) not in State.EDITABLE:
        messages.info(
            request, _("This article is with the editors and cannot be changed now.")
        )
        return redirect("home:my_submissions")
    return _write(request, page=page)


def _write(request, page):
    allowed = services.images_member_may_use(request.user, page)
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, images=allowed)
        form.is_valid()
        selected = _selected_images(request, form)
        # Pictures are kept as soon as they pass their checks, so a mistake
        # elsewhere in the form loses none of them.
        room = MAX_IMAGES - len(selected)
        for upload in form.cleaned_data.get("new_images") or []:
            if room <= 0:
                form.add_error(
                    "new_images",
                    _(
                        "“%(name)s” was not added: an article has at most %(max)s "
                        "pictures."
                    )
                    % {"name": upload.name, "max": MAX_IMAGES},
                )
                continue
            try:
                selected.append(
                    services.submission_image_store(user=request.user, upload=upload)
                )
                room -= 1
            except ValidationError as error:
                form.add_error("new_images", error)
        submit = request.POST.get("action") == "submit"
        if not form.errors:
            try:
                page = services.submission_save(
                    user=request.user,
                    page=page,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["body"],
                    category=form.cleaned_data["category"],
                    images=selected,
                    submit=submit,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submit:
                    messages.success(
                        request,
                        _(
                            "Your article was sent to the editors. We will tell you "
                            "by e-mail when they have read it."
                        ),
                    )
                    return redirect("home:my_submissions")
                messages.success(request, _("Your draft is saved."))
                return redirect("home:submission_edit", pk=page.pk)
    else:
        initial = {}
        selected = []
        if page is not None:
            # The editors may have changed it before returning it: the member
            # goes on from their version.
            latest = page.get_latest_revision_as_object()
            initial = {
                "title": latest.title,
                "category": latest.category,
                "body": services.body_text(latest),
            }
            selected = services.body_images(latest)
        form = SubmissionForm(initial=initial, images=allowed)

    others = []
    if page is not None:
        chosen = {image.pk for image in selected}
        others = [
            i
            for i in services.body_images(page.get_latest_revision_as_object())
            if i.pk not in chosen
        ]
    return render(
        request,
        "home/submission_form.html",
        {
            "form": form,
            "submission": page,
            "comment": services.editor_comment(page) if page else "",
            "selected_images": selected,
            "other_images": others,
            "max_images": MAX_IMAGES,
        },
    )


def _selected_images(request, form) -> list:
    """The pictures the member kept ticked, in the order they were shown."""
    chosen = form.cleaned_data.get("keep_images")
    if not chosen:
        return []
    by_id = {image.pk: image for image in chosen}
    order = []
    for value in request.POST.getlist("keep_images"):
        if value.isdigit() and int(value) in by_id and by_id[int(value)] not in order:
            order.append(by_id[int(value)])
    return order


@login_required
def my_submissions(request):
    submissions = list(services.submissions_of(request.user))
    for page in submissions:
        page.title = page.draft_title or page.title
        page.state = services.submission_state(page)
        page.state_label = STATE_LABELS[page.state]
        page.comment = services.editor_comment(page)
    return render(
        request,
        "home/my_submissions.html",
        {
            "submissions": submissions,
            "can_submit": request.user.confirmed_profile is not None,
            "editable": State.EDITABLE,
        },
    )


@login_required
def submission_detail(request, pk):
    page = get_object_or_404(services.submissions_of(request.user), pk=pk)
    state = services.submission_state(page)
    return render(
        request,
        "home/submission_detail.html",
        {
            "submission": page.get_latest_revision_as_object(),
            "state": state,
            "state_label": STATE_LABELS[state],
            "comment": services.editor_comment(page),
            "editable": state in State.EDITABLE,
        },
    )
