from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import CountedTextField
from .models import TEXT_MAX_LENGTH, MailboxItem


class MailboxItemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *MailboxItem.Category.choices],
        error_messages={"required": _("Choose a category from the list.")},
    )
    text = CountedTextField(
        label=_("Your question or suggestion"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Write your question or suggestion.")},
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, a picture or an Office document, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,"
                ".ppt,.pptx,.wps"
            }
        ),
    )
    faq_consent = forms.BooleanField(
        label=_(
            "If my question helps others, it may be published in the FAQ without "
            "my name or anything that identifies me."
        ),
        required=False,
    )


class ReplyForm(forms.Form):
    text = CountedTextField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Write your reply.")},
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False
    )

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = handlers
        self.fields["assigned_to"].label_from_instance = _handler_label


def _handler_label(user):
    profile = getattr(user, "profile", None)
    name = profile.real_name if profile else user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


class AnswerForm(forms.Form):
    answer = CountedTextField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Write the answer.")},
    )


class FaqForm(forms.Form):
    question = CountedTextField(
        label=_("Question as published"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
    )
    answer = CountedTextField(
        label=_("Answer as published"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX_LENGTH,
    )
