from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import CountedTextField, MultipleFileField
from ..models import VoicePage
from .services import BODY_MAX_LENGTH, MAX_IMAGES, TITLE_MAX_LENGTH


class SubmissionForm(forms.Form):
    """The member's article; pictures are checked and kept by the view."""

    title = CountedTextField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Give your article a title.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("No category")), *VoicePage.Category.choices],
        required=False,
    )
    body = CountedTextField(
        label=_("Article"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=BODY_MAX_LENGTH,
        required=False,
        strip=False,
        help_text=_("Plain text. Start each paragraph on a new line."),
    )
    keep_images = forms.ModelMultipleChoiceField(
        label=_("Pictures in the article"), queryset=None, required=False
    )
    new_images = MultipleFileField(
        label=_("Add pictures"),
        required=False,
        help_text=_(
            "Up to %(max)s pictures in all: JPEG, PNG, GIF or WebP, at most 5 MB each."
        )
        % {"max": MAX_IMAGES},
    )

    def __init__(self, *args, images, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep_images"].queryset = images
        self.fields["new_images"].widget.attrs["accept"] = (
            "image/jpeg,image/png,image/gif,image/webp"
        )
