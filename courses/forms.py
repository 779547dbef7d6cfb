"""Forms for members' own study declarations and organisers' offline records."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LessonPage, StudyRecord


class ServiceErrorsMixin:
    def add_service_errors(self, error):
        """Show a service's ValidationError on the fields it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def lesson_choices():
    return LessonPage.objects.live().public().order_by("path")


class DeclarationForm(ServiceErrorsMixin, forms.Form):
    """A member's own gap-time, periodic or nearest-branch study."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[(mode.value, mode.label) for mode in StudyRecord.DECLARABLE_MODES],
    )
    topic = forms.CharField(
        label=_("What I studied"),
        max_length=200,
        help_text=_("The lesson, book, document or theme."),
    )
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons of the school (optional)"),
        queryset=LessonPage.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Reflection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Two or three sentences on what you learned."),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons"].queryset = lesson_choices()
        self.fields["date"].initial = timezone.localdate
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
