from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SalonPage, quarter_label
from .services import group_choices, salon_free_quarters


class TopicSuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your topic or question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Organisers collect them for the deliberation (集中议事)."),
        error_messages={
            "required": _("Write a topic or a question."),
            "max_length": _("Keep it under 1000 characters."),
        },
    )


class GroupEmailForm(forms.Form):
    salon = forms.ModelChoiceField(label=_("salon"), queryset=SalonPage.objects.none())
    group = forms.ChoiceField(label=_("Send to"), choices=group_choices)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 10})
    )


class SalonCopyForm(forms.Form):
    """复制 a salon: which quarter the copy is for (the next free one first)."""

    quarter = forms.ChoiceField(
        label=_("Quarter of the copy"),
        help_text=_(
            "The copy's times move by whole quarters; check them before you publish it."
        ),
        error_messages={"required": _("Choose the quarter of the copy.")},
    )
    new_title = forms.CharField(label=_("Title of the copy"), max_length=255)
    new_slug = forms.SlugField(
        label=_("Address of the copy"),
        max_length=255,
        allow_unicode=True,
        help_text=_("The last part of its web address: letters, digits and -."),
    )
    publish = forms.BooleanField(label=_("Publish the copy at once"), required=False)

    def __init__(self, *args, salon: SalonPage, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.salon = salon
        free = salon_free_quarters(salon=salon)
        self.fields["quarter"].choices = [
            (f"{year}-{quarter}", quarter_label(year, quarter))
            for year, quarter in free
        ]
        if free:
            year, quarter = free[0]
            self.fields["quarter"].initial = f"{year}-{quarter}"
            self.fields["new_slug"].initial = f"{salon.slug}-{year}q{quarter}"
        self.fields["new_title"].initial = salon.title
        if not (can_publish and salon.live):
            del self.fields["publish"]

    def clean_quarter(self):
        year, quarter = (int(part) for part in self.cleaned_data["quarter"].split("-"))
        return year, quarter

    def clean_new_slug(self):
        slug = self.cleaned_data["new_slug"]
        if self.salon.get_parent().get_children().filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another page here already has this address; choose another.")
            )
        return slug
