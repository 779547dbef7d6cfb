from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SalonPage
from .services import group_choices


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
