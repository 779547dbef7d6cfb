"""The organiser's message to every confirmed member of their branches (the
quarterly message to mobile members), in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from school.members import scope
from school.members.forms import add_service_errors
from school.members.models import Branch

from . import services
from .models import BranchMessage, Notice


def may_message_branches(user) -> bool:
    return user.is_active and bool(scope.visible_branch_ids(user))


def _require(request):
    if not may_message_branches(request.user):
        raise PermissionDenied


class BranchChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BranchMessageForm(forms.Form):
    branches = BranchChoices(
        label=gettext_lazy("Branches"),
        queryset=Branch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One short text: it goes out as one SMS, and in full on the site "
            "and by e-mail."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = Branch.objects.visible_to(user)


def branch_message_new(request):
    """Write, preview (how many by SMS, e-mail, on the site), then send."""
    _require(request)
    form = BranchMessageForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        branches = form.cleaned_data["branches"]
        text = form.cleaned_data["text"]
        try:
            if "send" in request.POST:
                message = services.branch_message_send(
                    text=text, branches=branches, by=request.user
                )
                messages.success(
                    request,
                    _("The message was sent to %(count)s members.")
                    % {"count": message.recipient_count},
                )
                return redirect("branch_messages:detail", pk=message.pk)
            services._check_branch_message(
                text=text, branches=branches, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sms_text = services.branch_message_sms(
                " ".join(text.split()), services.longest_short_link()
            )
            preview = {
                **services.branch_message_preview(branches=branches),
                "sms_text": sms_text,
                "sms_length": len(sms_text),
            }
    return TemplateResponse(
        request,
        "notices/admin/branch_message_form.html",
        {
            "form": form,
            "preview": preview,
            "max_length": services.branch_message_max_length(),
            "page_title": _("Message to my branches' members"),
            "header_icon": "mail",
        },
    )


def _visible_messages(user):
    return scope.visible(BranchMessage.objects.all(), user).distinct()


def branch_message_list(request):
    _require(request)
    sent = _visible_messages(request.user).select_related("sent_by")[:100]
    return TemplateResponse(
        request,
        "notices/admin/branch_message_list.html",
        {
            "sent": sent,
            "page_title": _("Messages to branch members"),
            "header_icon": "mail",
        },
    )


def branch_message_detail(request, pk):
    """What was sent to whom, by which channels."""
    _require(request)
    message = get_object_or_404(_visible_messages(request.user), pk=pk)
    notices = (
        Notice.objects.filter(branch_message=message)
        .filter(user__profile__branch_id__in=scope.visible_branch_ids(request.user))
        .select_related("user__profile__branch")
        .order_by("user__profile__branch__code", "user__profile__real_name", "pk")
    )
    return TemplateResponse(
        request,
        "notices/admin/branch_message_detail.html",
        {
            "message": message,
            "notices": notices,
            "branches": message.branches.all(),
            "page_title": _("Message to branch members"),
            "header_icon": "mail",
        },
    )
