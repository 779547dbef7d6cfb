"""Forms for members' own study declarations and organisers' offline records."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from school.members.forms import DateInput, ServiceErrorsMixin
from school.members.models import MemberProfile

from .models import LessonPage, StudyRecord

NOT_YOURS = _(
    "Choose a confirmed member of a branch you organise (or a member you are "
    "the study contact of)."
)


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
    note = forms.CharField(
        label=_("Reflection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Two or three sentences on what you learned."),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def shown_values(self) -> dict:
        """What each input shows: what the member typed, or the initial value.

        The study page writes its inputs by hand: rendering Django's widget
        templates cost more than the rest of the page's markup."""
        values = {}
        for name in self.fields:
            value = self[name].value()
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            values[name] = "" if value is None else str(value)
        return values


# --- Wagtail admin forms (organisers) ------------------------------------------


def recordable_members(user):
    from .services import members_recordable_by

    return (
        members_recordable_by(user)
        .select_related("branch")
        .order_by("branch__code", "real_name")
    )


class MemberLabelMixin:
    @staticmethod
    def member_label(member):
        return f"{member.real_name}（{member.branch.name}）"


class OfflineRecordForm(ServiceErrorsMixin, MemberLabelMixin, WagtailAdminModelForm):
    """One offline study record; saved through the study service."""

    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)

    class Meta:
        model = StudyRecord
        fields = ["member", "date", "minutes", "mode", "topic", "lessons", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = recordable_members(self.for_user)
        self.fields["member"].label_from_instance = self.member_label
        self.fields["member"].error_messages["invalid_choice"] = NOT_YOURS
        self.fields["mode"].choices = [
            (mode.value, mode.label) for mode in StudyRecord.RECORDABLE_MODES
        ]
        self.fields["lessons"].queryset = lesson_choices()
        self.fields["lessons"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["lessons"].choices
        )
        self.fields["date"].initial = timezone.localdate


class GroupSessionForm(ServiceErrorsMixin, MemberLabelMixin, forms.Form):
    """A session entered once for everyone present."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[(mode.value, mode.label) for mode in StudyRecord.RECORDABLE_MODES],
        initial=StudyRecord.Mode.GROUP_SESSION,
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons studied"),
        queryset=LessonPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Who was present"),
        queryset=MemberProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple(),
        error_messages={
            "required": _("Tick at least one member present."),
            "invalid_choice": NOT_YOURS,
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = recordable_members(user)
        self.fields["members"].label_from_instance = self.member_label
        self.fields["lessons"].queryset = lesson_choices()
        self.fields["date"].initial = timezone.localdate


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Reason for the member"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class StudyPlanForm(WagtailAdminModelForm):
    """Organisers set plans for their own branches only: the admin's branch
    scope narrows the branch choices (school.members.admin_scope)."""
