"""The organisers' forms for meetings and who took part."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from school.members.forms import DateInput

from . import services
from .models import Attendance, Meeting


class MeetingForm(WagtailAdminModelForm):
    class Meta:
        model = Meeting
        fields = ["branch", "kind", "held_on", "topic", "place", "online", "minutes"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        self.fields["branch"].error_messages["invalid_choice"] = _(
            "Choose a branch you organise."
        )

    def clean(self):
        data = super().clean()
        held_on = data.get("held_on")
        if (
            self.instance.pk
            and held_on
            and held_on > timezone.localdate()
            and self.instance.attendances.filter(
                status__in=services.MARKED_ATTENDED
            ).exists()
        ):
            self.add_error(
                "held_on",
                _(
                    "Members are already marked present or absent: the date "
                    "cannot move after today."
                ),
            )
        if (
            self.instance.pk
            and data.get("branch")
            and data["branch"] != self.instance.branch
            and self.instance.attendances.exists()
        ):
            self.add_error(
                "branch",
                _("Who took part is recorded: the meeting stays with its branch."),
            )
        return data


class AttendanceEntryForm(forms.Form):
    """One member's line on the attendance sheet."""

    member_id = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("Not recorded")), *Attendance.Status.choices],
        required=False,
    )
    way = forms.ChoiceField(
        label=_("how"), choices=Attendance.Way.choices, required=False
    )
    nearby_branch = forms.CharField(
        label=_("branch attended nearby"), max_length=100, required=False
    )
    leave_reason = forms.CharField(
        label=_("reason for leave"), max_length=200, required=False
    )

    def __init__(self, *args, meeting, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.members = members

    def clean(self):
        data = super().clean()
        member = self.members.get(data.get("member_id"))
        if member is None:
            raise forms.ValidationError(_("This member is not on the sheet."))
        data["member"] = member
        errors = services.attendance_entry_errors(
            self.meeting, data, timezone.localdate()
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class BaseAttendanceFormSet(forms.BaseFormSet):
    def __init__(self, *args, meeting, members, **kwargs):
        self.meeting, self.members = meeting, members
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"meeting": self.meeting, "members": self.members}


AttendanceFormSet = forms.formset_factory(
    AttendanceEntryForm, formset=BaseAttendanceFormSet, extra=0, max_num=5000
)
